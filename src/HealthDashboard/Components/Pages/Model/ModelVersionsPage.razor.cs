using HealthDashboard.Components.Shared;
using HealthDashboard.Identity;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The scoring model's history: every version with who, when and why, the field-by-field changes of any
/// version from the one before it or from any other version (<c>?with=</c>), Restore (asks for a comment,
/// shows what it changes and its impact like a save, then saves that version again as the newest), export,
/// and opening a version in the editor as a draft.
/// </summary>
public sealed partial class ModelVersionsPage : IAsyncDisposable
{
    private IReadOnlyList<ModelVersionSummary>? history;
    private ModelVersionDiff? detail;
    private int selectedVersion;
    private string? loadError;
    private string? restoreMessage;
    private bool restoring;
    private ModelEditorBrowser browser = default!;
    private IReadOnlyList<ModelChoice> models = [];
    private ModelKey loadedKey;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    private SignedInMember member = SignedInMember.Nobody;
    [Inject] private ModelStore Store { get; set; } = default!;
    [Inject] private ScoreBoard Board { get; set; } = default!;
    [Inject] private ModelPreview Preview { get; set; } = default!;
    [Inject] private ModelEditorSession Session { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<ModelVersionsPage> Logger { get; set; } = default!;

    /// <summary>The version to show (from the route); the newest when absent.</summary>
    [Parameter]
    public int? Version { get; set; }

    /// <summary>The version to compare with (query <c>with</c>); the one before when absent.</summary>
    [SupplyParameterFromQuery(Name = "with")]
    public int? CompareWith { get; set; }

    /// <summary>The model whose history is shown (query <c>model</c>); the default when absent.</summary>
    [SupplyParameterFromQuery(Name = ModelLinks.Query)]
    public string? ModelName { get; set; }

    private ModelKey Key => ModelLinks.KeyOf(ModelName);

    private int Newest => history is { Count: > 0 } h ? h[0].Info.Version : 0;

    /// <inheritdoc />
    protected override void OnInitialized() => browser = new ModelEditorBrowser(JS);

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        restoreMessage = null;
        if (history is null || loadedKey != Key)
        {
            await LoadAsync();
        }
        else
        {
            await SelectAsync();
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            loadError = null;
            loadedKey = Key;
            history = await Store.HistoryAsync(Key);
            // Removed models stay listed here, so an old version of theirs can be read and restored.
            var counts = Board.Current is { } view ? view.Accounts.GroupBy(a => a.ModelKey).ToDictionary(g => g.Key, g => g.Count()) : [];
            models = (await Store.ListModelsAsync()).Select(m => new ModelChoice(m.Key, counts.GetValueOrDefault(m.Key))).ToList();
            await SelectAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the model history failed");
            loadError = ex.Message;
        }
    }

    private async Task SelectAsync()
    {
        selectedVersion = Version ?? Newest;
        var comparedWith = CompareWith is { } other && other != selectedVersion ? other : (int?)null;
        detail = selectedVersion > 0 ? await Store.DiffAsync(selectedVersion, comparedWith) : null;
        if (detail is null && comparedWith is not null && selectedVersion > 0)
        {
            // A comparison with a version that does not exist falls back to the version before.
            detail = await Store.DiffAsync(selectedVersion);
        }
    }

    private static string ChangeSummary(ModelVersionSummary item) => item.ChangedFields.Count switch
    {
        0 => "no changes",
        <= 2 => string.Join(", ", item.ChangedFields),
        var n => $"{n} changes",
    };

    private void CompareWithChanged(int? other)
    {
        Navigation.NavigateTo(ModelLinks.Versions(Key, selectedVersion, other));
    }

    private async Task RestoreAsync()
    {
        if (detail is null || restoring)
        {
            return;
        }

        var version = detail.Version.Version;
        var newest = Newest;
        var old = await Store.GetAsync(version);
        var changes = await Store.DiffAsync(version, comparedWith: newest);
        if (old is null || changes is null)
        {
            return;
        }

        var view = Board.Current;
        var impact = view is { Accounts.Count: > 0, IsFromSnapshot: false } && view.ModelVersion == newest
            ? await Task.Run(() => Preview.Compute(view.Scored, Key, old.Model))
            : null;
        var parameters = new DialogParameters<SaveModelDialog>
        {
            { d => d.Changes, changes.Changes },
            { d => d.BaseVersion, newest },
            { d => d.RestoredFrom, version },
            { d => d.Name, Session.Who },
            { d => d.Impact, impact },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };
        var dialog = await Dialogs.ShowAsync<SaveModelDialog>(null, parameters, options);
        if (await dialog.Result is not { Canceled: false, Data: SaveRequest request })
        {
            return;
        }

        restoring = true;
        try
        {
            member = await SignedInMember.OfAsync(AuthenticationState);
            if (!member.IsAdmin)
            {
                restoreMessage = "Only an admin can restore a version of the scoring model.";
                return;
            }

            var result = await Store.RestoreAsync(version, newest, member.Name, request.Comment, member.Actor);
            if (result.Saved is { } saved)
            {
                Session.Who = request.Name;
                await browser.SaveNameAsync(request.Name);
                Snackbar.Add($"Version {version} restored as version {saved.Version}. Every page is being re-scored.", Severity.Success);
                history = null;
                // The page reloads the history when the route's version changes.
                Navigation.NavigateTo(ModelLinks.Versions(Key, saved.Version));
            }
            else
            {
                restoreMessage = string.Join(" ", new[] { result.Message }.Concat(result.Problems.Where(p => p.Field is "Comment" or "SavedBy").Select(p => p.Message)));
                if (result.IsStale)
                {
                    history = await Store.HistoryAsync(Key);
                }
            }
        }
        finally
        {
            restoring = false;
        }
    }

    private async Task OpenInEditorAsync()
    {
        if (detail is null || await Store.GetAsync(detail.Version.Version) is not { } version)
        {
            return;
        }

        if (Session.IsDirty)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Replace your draft?",
                $"The editor holds {Format.Counted(Session.Changes.Count, "unsaved change")}. Opening version {version.Info.Version} replaces them.",
                yesText: "Replace draft", cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        // The editor edits on top of the newest version; this version's model becomes the draft.
        if (await Store.GetLatestAsync(Key) is { Info.Removed: false } latest)
        {
            Session.Load(latest);
            if (version.Info.Version != latest.Info.Version)
            {
                Session.Replace(version.Model, $"Opened from version {version.Info.Version}");
            }
        }

        Navigation.NavigateTo(ModelLinks.Editor(Key));
    }

    private async Task ExportAsync()
    {
        if (detail is null || await Store.GetAsync(detail.Version.Version) is not { } version)
        {
            return;
        }

        await browser.DownloadAsync($"{ModelJsonButtons.FileStem(version.Info.Key)}-v{version.Info.Version}.json", ModelJsonFile.Export(version));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => browser?.DisposeAsync() ?? ValueTask.CompletedTask;
}
