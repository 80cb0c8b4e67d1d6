using HealthDashboard.Identity;
using HealthDashboard.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace HealthDashboard.Components.Shared;

/// <summary>Saves a page's current query as a named view; closes with the saved <see cref="SavedViewInfo"/>.</summary>
public sealed partial class SaveViewDialog
{
    private string? name;
    private bool shared;
    private bool asDefault;
    private bool saving;
    private string? problem;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private SavedViewStore Store { get; set; } = default!;

    /// <summary>The page's route.</summary>
    [Parameter, EditorRequired]
    public string Page { get; set; } = "";

    /// <summary>The query to save.</summary>
    [Parameter, EditorRequired]
    public string Query { get; set; } = "";

    /// <summary>Who saves.</summary>
    [Parameter, EditorRequired]
    public SignedInMember Member { get; set; } = SignedInMember.Nobody;

    private string PageLabel => Page == "users" ? "Users" : "Accounts";

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await SubmitAsync();
        }
    }

    private async Task SubmitAsync()
    {
        if (saving)
        {
            return;
        }

        saving = true;
        try
        {
            var (view, refused) = await Store.SaveAsync(Member, Page, name, Query, shared, asDefault);
            problem = refused;
            if (view is not null)
            {
                Dialog.Close(DialogResult.Ok(view));
            }
        }
        finally
        {
            saving = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
