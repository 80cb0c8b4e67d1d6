using HealthDashboard.Identity;
using HealthDashboard.Queries;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// Saved views of a URL-bound grid page (issue 16): the member's own and the team's shared views as links
/// (opening one is a navigation, so the page rebuilds its grid from the URL), "Save this view" for the
/// current query, and "Manage views" (rename, delete, default). Follows <see cref="SavedViewStore.Changed"/>
/// so a view saved in another tab appears here too.
/// </summary>
public sealed partial class SavedViewsMenu : IDisposable
{
    private IReadOnlyList<SavedViewInfo> views = [];

    [Inject]
    private SavedViewStore Store { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The page's route (<c>accounts</c> or <c>users</c>).</summary>
    [Parameter, EditorRequired]
    public string Page { get; set; } = "";

    /// <summary>The query string of the view on screen (what "Save this view" stores).</summary>
    [Parameter, EditorRequired]
    public string Query { get; set; } = "";

    /// <summary>Who is signed in (whose views, and what they may manage).</summary>
    [Parameter, EditorRequired]
    public SignedInMember Member { get; set; } = SignedInMember.Nobody;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        Store.Changed += OnStoreChanged;
        await ReloadAsync();
    }

    private async Task ReloadAsync() => views = await Store.ListAsync(Member, Page);

    private void OnStoreChanged() => _ = InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    });

    private async Task SaveAsync()
    {
        var parameters = new DialogParameters<SaveViewDialog>
        {
            { d => d.Page, Page },
            { d => d.Query, Query },
            { d => d.Member, Member },
        };
        var dialog = await Dialogs.ShowAsync<SaveViewDialog>("Save this view", parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: SavedViewInfo saved })
        {
            Snackbar.Add($"Saved the view '{saved.Name}'{(saved.Shared ? ", shared with the team" : "")}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task ManageAsync()
    {
        var parameters = new DialogParameters<ManageViewsDialog>
        {
            { d => d.Page, Page },
            { d => d.Member, Member },
        };
        var dialog = await Dialogs.ShowAsync<ManageViewsDialog>("Saved views", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        await dialog.Result;
        await ReloadAsync();
    }

    private static string IconOf(SavedViewInfo view) =>
        view.IsDefault ? Icons.Material.Rounded.Star : view.Shared ? Icons.Material.Rounded.Groups : Icons.Material.Rounded.BookmarkBorder;

    private static string Meta(SavedViewInfo view) =>
        (view.IsDefault ? "Your default · " : "") + (view.Shared ? (view.Mine ? "Shared by you" : "Shared by " + view.OwnerName) : "Private");

    /// <inheritdoc />
    public void Dispose() => Store.Changed -= OnStoreChanged;
}
