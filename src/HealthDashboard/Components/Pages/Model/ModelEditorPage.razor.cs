using HealthDashboard.Components.Shared;
using HealthDashboard.Identity;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The admin's scoring model editor: every change re-scores the whole portfolio in memory
/// (<see cref="DraftPreview"/>, never the database) and shows its effect before anything is saved.
/// The draft and the state of saving live in the circuit's <see cref="ModelEditorSession"/>; the draft is
/// also kept in the browser (<see cref="ModelEditorBrowser"/>) so it survives a reload or a server restart,
/// and leaving with unsaved changes asks first. Saving goes through <see cref="ModelStore"/>, which refuses a
/// save based on an outdated version and keeps the draft.
/// </summary>
public sealed partial class ModelEditorPage : IAsyncDisposable
{
    private ModelEditorBrowser browser = default!;
    private PortfolioView? view;
    private string? loadError;
    private ModelPreviewResult? impact;
    private bool rescoring;
    private bool keptDraftChecked;
    private bool disposed;
    private List<EventTypeRow> eventRows = [];

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    private SignedInMember member = SignedInMember.Nobody;
    [Inject] private ScoreBoard Board { get; set; } = default!;
    [Inject] private ModelStore Store { get; set; } = default!;
    [Inject] private ModelEditorSession Session { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<ModelEditorPage> Logger { get; set; } = default!;

    /// <summary>
    /// How long a change waits for the next before the preview recomputes (the slider fires on every
    /// pixel); later changes replace earlier ones, so stale work never queues. Tests set 0.
    /// </summary>
    [Parameter]
    public int PreviewDelayMilliseconds { get; set; } = 120;

    /// <summary>
    /// How long a change waits before the draft's backtest recomputes: longer than the preview's, so the preview
    /// (the slider's immediate feedback) is never queued behind it. Tests set 0.
    /// </summary>
    [Parameter]
    public int BacktestDelayMilliseconds { get; set; } = 250;

    // Only an admin may save; the session knows the rest (dirty, valid, not saving, not stale).
    private bool CanSave => member.IsAdmin && Session.CanSave;

    private string EventSubtitle => $"Weights (0–10) of each product event toward Engagement; key features count toward Depth · {Format.Counted(eventRows.Count, "type")}";

    private double? EngagementBenchmark => view is { Accounts.Count: > 0 } v && !v.Scored.Scores.EngagementCurve.AllScoreOne
        ? v.Scored.Scores.EngagementCurve.Benchmark
        : null;

    private string? PreviewPaused => Session.IsValid
        ? null
        : $"Fix the {Format.Counted(Session.Problems.Count, "highlighted field")} and the preview follows the draft again.";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        Session.Who = member.Name;
        browser = new ModelEditorBrowser(JS);
        Board.Changed += OnBoardChanged;
        Session.Changed += OnSessionChanged;
        await LoadAsync();
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Once the saved version is known: bring back a draft kept in this browser (a reload, a restart).
        if (!keptDraftChecked && Session.Base is not null && view is not null)
        {
            keptDraftChecked = true;
            await RestoreKeptDraftAsync();
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            loadError = null;
            view = Board.Current ?? (Board.LastError is null ? await Board.GetAsync() : null);
            if (view is null)
            {
                loadError = $"The scores are not available: {Board.LastError}";
                return;
            }

            var latest = await Store.GetLatestAsync();
            if (latest is null)
            {
                loadError = "The store has no scoring model yet; start the app once so it creates the default model.";
                return;
            }

            Session.UseEventTypeNames(EventTypeNames(view.Scored.Data));
            Session.Follow(latest);
            eventRows = BuildEventRows();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the model editor failed");
            loadError = ex.Message;
        }
    }

    private Task ReloadAsync() => LoadAsync();

    private async Task RestoreKeptDraftAsync()
    {
        if (Session.IsDirty || await browser.LoadDraftAsync() is not { } kept)
        {
            await KeepDraftAsync();
            return;
        }

        ScoringModel draft;
        try
        {
            draft = ScoringModel.FromJson(kept.Model);
        }
        catch (System.Text.Json.JsonException ex)
        {
            Logger.LogWarning(ex, "A draft kept in the browser could not be read; it is dropped");
            await KeepDraftAsync();
            return;
        }

        var draftBase = kept.BaseVersion == Session.Base!.Info.Version ? Session.Base : await Store.GetAsync(kept.BaseVersion);
        if (draftBase is null || draft.Equals(draftBase.Model))
        {
            await KeepDraftAsync();
            return;
        }

        Session.RestoreDraft(draftBase, draft, (await Store.GetLatestAsync())?.Info);
        Snackbar.Add($"Your unsaved draft is back: {Format.Counted(Session.Changes.Count, "change")} on version {draftBase.Info.Version}.", Severity.Info);
    }

    /// <summary>Keeps the draft in the browser while it has changes, and forgets it once saved or discarded.</summary>
    private Task KeepDraftAsync() => Session.Base is { } saved
        ? browser.SaveDraftAsync(saved.Info.Version, Session.IsDirty ? Session.Draft : null)
        : Task.CompletedTask;

    private void OnSessionChanged() => _ = InvokeAsync(async () =>
    {
        if (disposed)
        {
            return;
        }

        eventRows = BuildEventRows();
        StateHasChanged();
        // Before the kept draft was looked at, writing would erase it.
        if (keptDraftChecked)
        {
            await KeepDraftAsync();
        }
    });

    private void OnBoardChanged(PortfolioView next) => _ = InvokeAsync(async () =>
    {
        if (disposed)
        {
            return;
        }

        view = next;
        // Versions are one sequence over every model: a newer view may come from a segment model's save, so follow
        // the default model's own newest version only.
        if (Session.Base is { } current && next.ModelVersion > current.Info.Version && await Store.GetLatestAsync() is { } latest
            && latest.Info.Version > current.Info.Version)
        {
            Session.Follow(latest);
        }

        eventRows = BuildEventRows();
        StateHasChanged();
    });

    private async Task ConfirmLeavingAsync(LocationChangingContext context)
    {
        // The version history is part of the editor (its tab shows the draft); elsewhere, ask first.
        var path = Navigation.ToAbsoluteUri(context.TargetLocation).AbsolutePath.TrimEnd('/');
        if (!Session.IsDirty || path.EndsWith("/model", StringComparison.Ordinal) || path.Contains("/model/", StringComparison.Ordinal))
        {
            return;
        }

        var leave = await Dialogs.ShowMessageBoxAsync(
            "Leave with unsaved changes?",
            $"Your {Format.Counted(Session.Changes.Count, "unsaved change")} {(Session.Changes.Count == 1 ? "is" : "are")} not a version yet. " +
            "The draft stays in this browser for when you come back, but nobody else sees it until you save.",
            yesText: "Leave", cancelText: "Stay and save");
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }

    // ---- Editing ----

    private void OnIndicatorChanged(IndicatorWeightChange change) =>
        Edit(d => d with { IndicatorWeights = d.IndicatorWeights.With(change.Indicator, change.Weight) });

    private void OnEventChanged(EventTypeChange change) => Session.SetEventType(change.Key, change.Settings);

    private void OnCurvatureChanged(double k) => Edit(d => d with { Curvature = k });

    private void OnWindowChanged(int days) => Edit(d => d with { WindowDays = days });

    private void OnThresholdsChanged(GradeThresholds thresholds) => Edit(d => d with { Thresholds = thresholds });

    private void Edit(Func<ScoringModel, ScoringModel> change)
    {
        if (Session.Draft is { } draft)
        {
            Session.Update(change(draft));
        }
    }

    private static Dictionary<string, string> EventTypeNames(PortfolioData data) =>
        data.EventTypeKeys.Select((key, e) => (key, name: data.EventTypeNames[e]))
            .ToDictionary(p => p.key, p => p.name, StringComparer.Ordinal);

    private List<EventTypeRow> BuildEventRows()
    {
        if (view is null || Session.Draft is not { } draft || Session.Base is not { } saved)
        {
            return [];
        }

        var data = view.Scored.Data;
        var rows = new List<EventTypeRow>(data.EventTypeKeys.Count);
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (var e = 0; e < data.EventTypeKeys.Count; e++)
        {
            var key = data.EventTypeKeys[e];
            known.Add(key);
            rows.Add(Row(key, data.EventTypeNames[e], inData: true));
        }

        foreach (var key in draft.EventTypes.Keys.Union(saved.Model.EventTypes.Keys).Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
        {
            rows.Add(Row(key, key, inData: false));
        }

        return rows;

        EventTypeRow Row(string key, string name, bool inData) =>
            new(key, name, draft.SettingsOf(key), saved.Model.SettingsOf(key), inData, Session.ProblemOf(ModelFields.EventWeight(key)));
    }

    private void OnPreviewComputed(ModelPreviewResult result) => impact = result;

    // ---- Save, discard, rebase ----

    private async Task OpenSaveAsync()
    {
        if (!CanSave || Session.Base is null)
        {
            return;
        }

        var parameters = new DialogParameters<SaveModelDialog>
        {
            { d => d.Changes, Session.Changes },
            { d => d.BaseVersion, Session.Base.Info.Version },
            { d => d.Name, Session.Who },
            { d => d.Impact, impact },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };
        var dialog = await Dialogs.ShowAsync<SaveModelDialog>(null, parameters, options);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: SaveRequest request })
        {
            await SaveAsync(request);
        }
    }

    /// <summary>Saves the draft as the next version, or shows why not (keeping the draft).</summary>
    internal async Task SaveAsync(SaveRequest request)
    {
        // Checked here, on the server, whatever the page's buttons showed.
        if (!member.IsAdmin)
        {
            Snackbar.Add("Only an admin can change the scoring model.", Severity.Error);
            return;
        }

        if (Session.Base is not { } baseVersion || Session.Draft is not { } draft || !Session.BeginSave())
        {
            return;
        }

        try
        {
            // "Saved by" is the signed-in member, not a typed name.
            var result = await Store.SaveAsync(draft, baseVersion.Info.Version, member.Name, request.Comment, member.Actor);
            Session.EndSave(result, draft, member.Name);
            if (result.Saved is { } version)
            {
                Snackbar.Add($"Saved version {version.Version}. Every page is being re-scored.", Severity.Success);
                _ = WatchRescoreAsync(result.Rescored);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Saving the model failed");
            Session.FailSave(ex.Message);
        }
    }

    private async Task WatchRescoreAsync(Task rescored)
    {
        rescoring = true;
        try
        {
            await rescored;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Re-scoring after a model save failed");
            await InvokeAsync(() => Snackbar.Add($"The new version is saved, but re-scoring failed: {ex.Message}", Severity.Error));
        }
        finally
        {
            rescoring = false;
            if (!disposed)
            {
                await InvokeAsync(StateHasChanged);
            }
        }
    }

    private async Task DiscardAsync()
    {
        if (!Session.IsDirty)
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Discard the draft?",
            $"Your {Format.Counted(Session.Changes.Count, "unsaved change")} {(Session.Changes.Count == 1 ? "goes" : "go")} back to version {Session.Base!.Info.Version}.",
            yesText: "Discard", cancelText: "Keep editing");
        if (confirmed == true)
        {
            Session.Discard();
        }
    }

    private async Task RebaseAsync()
    {
        if (await Store.GetLatestAsync() is { } latest)
        {
            Session.Rebase(latest);
        }
    }

    private async Task LoadNewerAsync()
    {
        if (await Store.GetLatestAsync() is { } latest)
        {
            Session.Load(latest);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        disposed = true;
        Board.Changed -= OnBoardChanged;
        Session.Changed -= OnSessionChanged;
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
    }
}
