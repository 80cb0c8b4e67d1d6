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

    // The dirty state the browser's navigation lock was last confirmed for (null: not yet), see MarkLeaveGuardedAsync.
    private bool? leaveGuarded;
    private bool disposed;
    private List<EventTypeRow> eventRows = [];
    private IReadOnlyList<ModelChoice> models = [];
    private IReadOnlyList<string> metricKeys = [];
    private ModelKey requestedKey = ModelKey.Default;
    private bool managing;

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

    /// <summary>The model to edit (query <c>model</c>: <c>segment:NAME</c> or <c>onboarding</c>); the default when absent.</summary>
    [SupplyParameterFromQuery(Name = ModelLinks.Query)]
    public string? ModelName { get; set; }

    /// <summary>The model edited: the session's once loaded.</summary>
    private ModelKey Key => Session.Base?.Info.Key ?? requestedKey;

    /// <summary>Accounts the edited model scores now.</summary>
    private int KeyAccounts => models.FirstOrDefault(m => m.Key == Key)?.Accounts ?? 0;

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
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        // First render, or another model chosen in the switcher (the same page, a new query).
        var key = ModelLinks.KeyOf(ModelName);
        if (key != requestedKey || (Session.Base is null && loadError is null) || view is null)
        {
            requestedKey = key;
            await LoadAsync();
        }
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

        await MarkLeaveGuardedAsync();
    }

    /// <summary>
    /// Sets the page's <c>data-leave-guarded</c> to whether a reload or closing the tab now asks first. The
    /// <c>NavigationLock</c> turns the browser's prompt on or off from its own after-render call, in this same round
    /// after the client took the render; yielding first puts this call behind that one on the circuit, so once the
    /// attribute says true the prompt (and the draft kept in the browser, saved before the render was taken) is there.
    /// </summary>
    private async Task MarkLeaveGuardedAsync()
    {
        if (leaveGuarded == Session.IsDirty)
        {
            return;
        }

        leaveGuarded = Session.IsDirty;
        await Task.Yield();
        await browser.MarkLeaveGuardedAsync(leaveGuarded.Value);
    }

    private async Task LoadAsync()
    {
        try
        {
            loadError = null;
            // The preview re-scores the view's data: the start-up snapshot has no usage, so wait for the first scores.
            view = Board.Current is { IsFromSnapshot: false } scored ? scored : Board.LastError is null ? await Board.GetAsync() : null;
            if (view is null)
            {
                loadError = $"The scores are not available: {Board.LastError}";
                return;
            }

            await LoadModelsAsync();
            var latest = await Store.GetLatestAsync(requestedKey);
            if (latest is null || latest.Info.Removed)
            {
                loadError = requestedKey.Kind == ModelKind.Default
                    ? "The store has no scoring model yet; start the app once so it creates the default model."
                    : $"There is no {requestedKey.DisplayName}{(latest is null ? "" : " any more: it was removed")}. Pick a model above.";
                return;
            }

            Session.UseEventTypeNames(EventTypeNames(view.Scored.Data));
            metricKeys = view.Scored.Data.MetricKeys;
            if (Session.Base is { } current && current.Info.Key != requestedKey)
            {
                // Another model: its own saved version, never the other model's draft.
                Session.Load(latest);
            }
            else
            {
                Session.Follow(latest);
            }

            eventRows = BuildEventRows();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the model editor failed");
            loadError = ex.Message;
        }
    }

    private Task ReloadAsync() => LoadAsync();

    /// <summary>The models in use with the accounts each scores now (from the shared scores, no query per account).</summary>
    private async Task LoadModelsAsync()
    {
        var stored = await Store.ListModelsAsync();
        var counts = view is null ? [] : view.Accounts.GroupBy(a => a.ModelKey).ToDictionary(g => g.Key, g => g.Count());
        models = stored.Where(m => m.Active).Select(m => new ModelChoice(m.Key, counts.GetValueOrDefault(m.Key))).ToList();
    }

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
        if (draftBase is null || draftBase.Info.Key != Session.Key || draft.Equals(draftBase.Model))
        {
            await KeepDraftAsync();
            return;
        }

        Session.RestoreDraft(draftBase, draft, (await Store.GetLatestAsync(Session.Key))?.Info);
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
        if (disposed || next.IsFromSnapshot)
        {
            return;
        }

        view = next;
        metricKeys = next.Scored.Data.MetricKeys;
        await LoadModelsAsync();
        // Versions are one sequence over every model: a newer view may come from another model's save, so follow
        // the edited model's own newest version only (a removal leaves the editor on what was loaded).
        if (Session.Base is { } current && next.ModelVersion > current.Info.Version && await Store.GetLatestAsync(current.Info.Key) is { } latest
            && latest.Info.Version > current.Info.Version && !latest.Info.Removed)
        {
            Session.Follow(latest);
        }

        eventRows = BuildEventRows();
        StateHasChanged();
    });

    private async Task ConfirmLeavingAsync(LocationChangingContext context)
    {
        // The version history is part of the editor (its tab shows the draft); elsewhere, ask first.
        var target = Navigation.ToAbsoluteUri(context.TargetLocation);
        var path = target.AbsolutePath.TrimEnd('/');
        if (!Session.IsDirty)
        {
            return;
        }

        if (path.EndsWith("/model", StringComparison.Ordinal) && ModelLinks.KeyOf(QueryValue(target, ModelLinks.Query)) != Session.Key)
        {
            // Another model in the switcher: one draft at a time, so this one would be dropped.
            var drop = await Dialogs.ShowMessageBoxAsync(
                "Switch models and drop your draft?",
                $"Your {Format.Counted(Session.Changes.Count, "unsaved change")} to the {Session.Key.DisplayName} {(Session.Changes.Count == 1 ? "is" : "are")} " +
                "not saved. Save them first to keep them.",
                yesText: "Drop and switch", cancelText: "Stay");
            if (drop != true)
            {
                context.PreventNavigation();
            }

            return;
        }

        if (path.EndsWith("/model", StringComparison.Ordinal) || path.Contains("/model/", StringComparison.Ordinal))
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

    private static string? QueryValue(Uri uri, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var values) ? values.ToString() : null;

    // ---- Models: create, remove ----

    private async Task NewModelAsync(ModelKind kind)
    {
        if (!member.IsAdmin || view is null || managing)
        {
            return;
        }

        var withModel = models.Where(m => m.Key.Kind == ModelKind.Segment).Select(m => m.Key.Segment!).ToHashSet(StringComparer.Ordinal);
        var segments = view.Accounts.Where(a => !string.IsNullOrEmpty(a.Segment) && !withModel.Contains(a.Segment!))
            .GroupBy(a => a.Segment!, StringComparer.Ordinal)
            .Select(g => new SegmentChoice(g.Key, g.Count()))
            .OrderByDescending(c => c.Accounts).ThenBy(c => c.Segment, StringComparer.Ordinal)
            .ToList();
        var defaultVersion = await Store.GetLatestAsync();
        if (defaultVersion is null)
        {
            return;
        }

        var parameters = new DialogParameters<NewModelDialog>
        {
            { d => d.Kind, kind },
            { d => d.Segments, segments },
            { d => d.DefaultVersion, defaultVersion.Info.Version },
        };
        var dialog = await Dialogs.ShowAsync<NewModelDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: NewModelRequest request })
        {
            return;
        }

        managing = true;
        try
        {
            var model = defaultVersion.Model with { OnboardingDays = request.OnboardingDays };
            var result = await Store.SaveAsync(request.Key, model, 0, member.Name,
                $"Created from the default model (version {defaultVersion.Info.Version})", member.Actor);
            if (result.Saved is null)
            {
                Snackbar.Add(string.Join(" ", new[] { result.Message }.Concat(result.Problems.Select(p => p.Message))), Severity.Error);
                return;
            }

            Snackbar.Add($"Created the {request.Key.DisplayName} (version {result.Saved.Version}); its accounts are being re-scored.", Severity.Success);
            _ = WatchRescoreAsync(result.Rescored);
            Session.Load(new ModelVersionDetail(result.Saved, model));
            Navigation.NavigateTo(ModelLinks.Editor(request.Key));
        }
        finally
        {
            managing = false;
        }
    }

    private async Task RemoveModelAsync()
    {
        if (!member.IsAdmin || Session.Base is not { } current || current.Info.Key.Kind == ModelKind.Default || managing)
        {
            return;
        }

        var key = current.Info.Key;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Remove the {key.DisplayName}?",
            $"Its {Format.Counted(KeyAccounts, "account")} return to {(key.Kind == ModelKind.Onboarding ? "their segment's model or the default" : "the default model")} " +
            "at the next re-score. The removal is a version of its own in the history and the audit trail" +
            (Session.IsDirty ? $"; your {Format.Counted(Session.Changes.Count, "unsaved change")} {(Session.Changes.Count == 1 ? "is" : "are")} dropped." : "."),
            yesText: "Remove", cancelText: "Keep it");
        if (confirmed != true)
        {
            return;
        }

        managing = true;
        try
        {
            var result = await Store.RemoveAsync(key, current.Info.Version, member.Name, null, member.Actor);
            if (result.Saved is null)
            {
                Snackbar.Add(result.Message ?? "The model was not removed.", Severity.Error);
                return;
            }

            Snackbar.Add($"Removed the {key.DisplayName}; its accounts are being re-scored.", Severity.Success);
            _ = WatchRescoreAsync(result.Rescored);
            Session.Discard();
            Navigation.NavigateTo(ModelLinks.Editor(ModelKey.Default));
        }
        finally
        {
            managing = false;
        }
    }

    // ---- Editing ----

    private void OnIndicatorChanged(IndicatorWeightChange change) =>
        Edit(d => d with { IndicatorWeights = d.IndicatorWeights.With(change.Indicator, change.Weight) });

    private void OnEventChanged(EventTypeChange change) => Session.SetEventType(change.Key, change.Settings);

    private void OnCurvatureChanged(double k) => Edit(d => d with { Curvature = k });

    private void OnWindowChanged(int days) => Edit(d => d with { WindowDays = days });

    private void OnThresholdsChanged(GradeThresholds thresholds) => Edit(d => d with { Thresholds = thresholds });

    private void OnOnboardingDaysChanged(int? days) => Edit(d => d with { OnboardingDays = days });

    private void OnCustomIndicatorsChanged(IReadOnlyList<CustomIndicator> indicators) => Edit(d => d with { CustomIndicators = indicators });

    /// <summary>The draft's problems with other custom indicators: the rules and messages of a save and of <c>model import</c>.</summary>
    private List<ModelProblem> CheckCustomIndicators(IReadOnlyList<CustomIndicator> indicators) =>
        Session.Draft is { } draft ? ModelStore.ValidateFor(Key, draft with { CustomIndicators = indicators }) : [];

    private string CustomSubtitle => Session.Draft is { CustomIndicators.Count: > 0 } d
        ? $"Indicators over imported account metrics · {Format.Counted(d.CustomIndicators.Count, "indicator")}, weight {d.CustomIndicators.Sum(c => c.Weight):0.##}"
        : "Indicators over imported account metrics (CRM, surveys, onboarding trackers)";

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
            var result = await Store.SaveAsync(baseVersion.Info.Key, draft, baseVersion.Info.Version, member.Name, request.Comment, member.Actor);
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
        if (await Store.GetLatestAsync(Session.Key) is { } latest)
        {
            Session.Rebase(latest);
        }
    }

    private async Task LoadNewerAsync()
    {
        if (await Store.GetLatestAsync(Session.Key) is { } latest)
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
