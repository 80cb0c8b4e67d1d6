using HealthDashboard.Identity;
using HealthDashboard.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// Manages the saved views of a page: every view the member sees can be their default; rename and delete are
/// offered where <see cref="SavedViewInfo.CanManage"/>, and the store checks again (its refusal shows here).
/// </summary>
public sealed partial class ManageViewsDialog
{
    private IReadOnlyList<SavedViewInfo> views = [];
    private int? renaming;
    private string? newName;
    private string? problem;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private SavedViewStore Store { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    /// <summary>The page's route.</summary>
    [Parameter, EditorRequired]
    public string Page { get; set; } = "";

    /// <summary>Who manages.</summary>
    [Parameter, EditorRequired]
    public SignedInMember Member { get; set; } = SignedInMember.Nobody;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync() => await ReloadAsync();

    private async Task ReloadAsync() => views = await Store.ListAsync(Member, Page);

    private async Task ToggleDefaultAsync(SavedViewInfo view) =>
        await AfterAsync(await Store.SetDefaultAsync(Member, Page, view.IsDefault ? null : view.Id));

    private void StartRename(SavedViewInfo view)
    {
        renaming = view.Id;
        newName = view.Name;
        problem = null;
    }

    private async Task OnRenameKeyAsync(KeyboardEventArgs e, SavedViewInfo view)
    {
        if (e.Key == "Enter")
        {
            await RenameAsync(view);
        }
    }

    private async Task RenameAsync(SavedViewInfo view)
    {
        var refused = await Store.RenameAsync(Member, view.Id, newName);
        if (refused is null)
        {
            renaming = null;
        }

        await AfterAsync(refused);
    }

    private async Task DeleteAsync(SavedViewInfo view)
    {
        var who = view.Shared ? "Nobody on the team will see it any more." : "Only you had it.";
        var sure = await Dialogs.ShowMessageBoxAsync($"Delete the view '{view.Name}'?", who, yesText: "Delete", cancelText: "Cancel");
        if (sure == true)
        {
            await AfterAsync(await Store.DeleteAsync(Member, view.Id));
        }
    }

    private async Task AfterAsync(string? refused)
    {
        problem = refused;
        await ReloadAsync();
    }

    private void Close() => Dialog.Close(DialogResult.Ok(true));
}
