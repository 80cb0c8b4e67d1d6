using Microsoft.AspNetCore.Components.Authorization;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Components.Shared;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The admin's scoring model editor: every change re-scores the whole portfolio in memory
/// (<see cref="ModelPreview"/>, never the database) and shows its effect before anything is saved.
/// The draft lives in the circuit's <see cref="ModelEditorSession"/>; saving goes through
/// <see cref="ModelStore"/>, which refuses a save based on an outdated version and keeps the draft.
/// </summary>
public sealed partial class ModelEditorPage : IAsyncDisposable
{
    /// <summary>Path of the page's JS module (download, remembered name), shared with the version history.</summary>
    public const string ModulePath = "./Components/Pages/Model/ModelEditorPage.razor.js";

    private LatestWinsScheduler<PreviewInput, ModelPreviewResult>? scheduler;
    private IJSObjectReference? module;
    private PortfolioView? view;
    private string? loadError;
    private ModelPreviewResult? preview;
    private TimeSpan? previewElapsed;
    private bool previewBusy;
    private string? previewError;
    private ModelVersionInfo? newer;
    private string? refusal;
    private IReadOnlyList<string>? conflicts;
    private bool saving;
    private bool rescoring;
    private bool disposed;
    private List<EventTypeRow> eventRows = [];
    private Func<string, string?> problemOf = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    private SignedInMember member = SignedInMember.Nobody;
    [Inject] private ScoreBoard Board { get; set; } = default!;
    [Inject] private ModelStore Store { get; set; } = default!;
    [Inject] private ModelPreview Preview { get; set; } = default!;
    [Inject] private ModelEditorSession Session { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<ModelEditorPage> Logger { get; set; } = default!;

    /// <summary>
    /// How long a change waits for the next before the preview recomputes (the slider fires on every
    /// pixel); later changes replace earlier ones, so stale work never queues. Tests set 0.
    /// </summary>
    [Parameter]
    public int PreviewDelayMilliseconds { get; set; } = 120;

    private bool CanSave => member.IsAdmin && Session.IsDirty && Session.IsValid && !saving && newer is null;

    private string EventSubtitle => $"Weights (0–10) of each product event toward Engagement; key features count toward Depth · {eventRows.Count} types";

    private double? EngagementBenchmark => view is { Accounts.Count: > 0 } v && !v.Scored.Scores.EngagementCurve.AllScoreOne
        ? v.Scored.Scores.EngagementCurve.Benchmark
        : null;

    private string? PreviewBlocked => Session.IsValid
        ? null
        : $"Fix {Session.Problems.Count} highlighted {(Session.Problems.Count == 1 ? "field" : "fields")} to update the preview; the figures below are for the last valid draft.";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        Session.Who = member.Name;
        problemOf = Session.ProblemOf;
        scheduler = new LatestWinsScheduler<PreviewInput, ModelPreviewResult>(
            input => Preview.Compute(input.Saved, input.Draft),
            ApplyPreviewAsync,
            TimeSpan.FromMilliseconds(PreviewDelayMilliseconds));
        Board.Changed += OnBoardChanged;
        await LoadAsync();
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

            if (Session.Base is null || (!Session.IsDirty && latest.Info.Version != Session.Base.Info.Version))
            {
                Session.Load(latest);
            }
            else if (latest.Info.Version > Session.Base.Info.Version)
            {
                newer = latest.Info;
            }

            DraftChanged();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the model editor failed");
            loadError = ex.Message;
        }
    }

    private Task ReloadAsync() => LoadAsync();

    private void OnBoardChanged(PortfolioView next) => _ = InvokeAsync(async () =>
    {
        if (disposed)
        {
            return;
        }

        view = next;
        if (Session.Base is { } current && next.ModelVersion > current.Info.Version)
        {
            if (!Session.IsDirty && await Store.GetAsync(next.ModelVersion) is { } latest)
            {
                Session.Load(latest);
            }
            else
            {
                newer ??= (await Store.GetAsync(next.ModelVersion))?.Info;
            }
        }

        DraftChanged();
        StateHasChanged();
    });

    // ---- Editing ----

    private void OnIndicatorChanged(IndicatorWeightChange change) =>
        Edit(d => d with { IndicatorWeights = d.IndicatorWeights.With(change.Indicator, change.Weight) });

    private void OnEventChanged(EventTypeChange change) => Edit(d => WithEventType(d, change.Key, change.Settings));

    private void OnCurvatureChanged(double k) => Edit(d => d with { Curvature = k });

    private void OnWindowChanged(int days) => Edit(d => d with { WindowDays = days });

    private void OnThresholdsChanged(GradeThresholds thresholds) => Edit(d => d with { Thresholds = thresholds });

    private void Edit(Func<ScoringModel, ScoringModel> change)
    {
        if (Session.Draft is null)
        {
            return;
        }

        Session.Update(change(Session.Draft));
        DraftChanged();
    }

    /// <summary>
    /// Sets an event type's settings; an event type the saved model does not list, set back to the
    /// defaults, is dropped again so it does not show as a change.
    /// </summary>
    private ScoringModel WithEventType(ScoringModel draft, string key, EventTypeSettings settings)
    {
        if (settings == ScoringModel.DefaultEventType && !Session.Base!.Model.EventTypes.ContainsKey(key))
        {
            var types = new Dictionary<string, EventTypeSettings>(draft.EventTypes, StringComparer.Ordinal);
            types.Remove(key);
            return draft with { EventTypes = types };
        }

        return draft.WithEventType(key, settings);
    }

    /// <summary>After any change of draft, base or scores: rebuild the event rows and ask for a preview.</summary>
    private void DraftChanged()
    {
        eventRows = BuildEventRows();
        RequestPreview();
    }

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

    // ---- Preview ----

    private void RequestPreview()
    {
        // Prerendering shows the loading state; the interactive render computes the preview once.
        if (view is null || Session.Draft is null || scheduler is null || !RendererInfo.IsInteractive)
        {
            return;
        }

        if (!Session.IsValid)
        {
            previewBusy = false;
            return;
        }

        previewBusy = true;
        scheduler.Request(new PreviewInput(view.Scored, Session.Draft));
    }

    private Task ApplyPreviewAsync(LatestWinsScheduler<PreviewInput, ModelPreviewResult>.Outcome outcome) => InvokeAsync(() =>
    {
        if (disposed)
        {
            return;
        }

        if (outcome.Error is { } error)
        {
            Logger.LogError(error, "The model preview failed");
            previewError = error.Message;
        }
        else
        {
            preview = outcome.Result;
            previewElapsed = outcome.Elapsed;
            previewError = null;
        }

        // Still busy while a newer draft (or newer scores) is on its way.
        previewBusy = Session.IsValid && (!ReferenceEquals(outcome.Input.Draft, Session.Draft) || !ReferenceEquals(outcome.Input.Saved, view?.Scored));
        StateHasChanged();
    });

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
            { d => d.Impact, preview },
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
        if (Session.Base is not { } baseVersion || Session.Draft is not { } draft)
        {
            return;
        }

        if (!member.IsAdmin)
        {
            refusal = "Only an admin can change the scoring model.";
            return;
        }

        saving = true;
        refusal = null;
        conflicts = null;
        try
        {
            // "Saved by" is the signed-in member, not a typed name.
            var result = await Store.SaveAsync(draft, baseVersion.Info.Version, member.Name, request.Comment, member.Actor);
            Session.Who = member.Name;
            if (result.Saved is { } version)
            {
                Session.Load(new ModelVersionDetail(version, draft));
                newer = null;
                Snackbar.Add($"Saved version {version.Version}. Every page is being re-scored.", Severity.Success);
                _ = WatchRescoreAsync(result.Rescored);
                DraftChanged();
            }
            else if (result.NewerVersion is { } other)
            {
                newer = other;
                refusal = result.Message;
            }
            else
            {
                var details = result.Problems.Where(p => p.Field is "Comment" or "SavedBy").Select(p => p.Message);
                refusal = string.Join(" ", new[] { result.Message }.Concat(details));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Saving the model failed");
            refusal = $"The model could not be saved: {ex.Message}. Your draft is kept.";
        }
        finally
        {
            saving = false;
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
            $"Your {Session.Changes.Count} unsaved {(Session.Changes.Count == 1 ? "change goes" : "changes go")} back to version {Session.Base!.Info.Version}.",
            yesText: "Discard", cancelText: "Keep editing");
        if (confirmed == true)
        {
            Session.Discard();
            refusal = null;
            conflicts = null;
            DraftChanged();
        }
    }

    private async Task RebaseAsync()
    {
        var latest = await Store.GetLatestAsync();
        if (latest is null)
        {
            return;
        }

        conflicts = Session.Rebase(latest);
        newer = null;
        refusal = null;
        DraftChanged();
    }

    private async Task LoadNewerAsync()
    {
        var latest = await Store.GetLatestAsync();
        if (latest is null)
        {
            return;
        }

        Session.Load(latest);
        newer = null;
        refusal = null;
        conflicts = null;
        DraftChanged();
    }

    // ---- Import and export ----

    private async Task ImportAsync(IBrowserFile? file)
    {
        if (file is null || Session.Base is null)
        {
            return;
        }

        string text;
        try
        {
            await using var stream = file.OpenReadStream(ModelJsonFile.MaxBytes);
            using var reader = new StreamReader(stream);
            text = await reader.ReadToEndAsync();
        }
        catch (IOException ex)
        {
            Snackbar.Add($"{file.Name} could not be read: {ex.Message}", Severity.Error);
            return;
        }

        var imported = ModelJsonFile.Import(text);
        if (imported.Model is null)
        {
            Snackbar.Add($"{file.Name}: {imported.Error}", Severity.Error);
            return;
        }

        var origin = imported.SourceVersion is { } v ? $"Imported from {file.Name} (version {v})" : $"Imported from {file.Name}";
        Session.Replace(imported.Model, origin);
        DraftChanged();
        Snackbar.Add(
            imported.Problems.Count == 0
                ? $"Loaded {file.Name} as the draft: {Session.Changes.Count} {(Session.Changes.Count == 1 ? "change" : "changes")}. Nothing is saved until you save."
                : $"Loaded {file.Name} as the draft; fix {imported.Problems.Count} highlighted fields before saving.",
            imported.Problems.Count == 0 ? Severity.Info : Severity.Warning);
    }

    private async Task ExportAsync()
    {
        if (Session.Base is not { } saved || Session.Draft is not { } draft)
        {
            return;
        }

        var (name, json) = Session.IsDirty
            ? ($"scoring-model-v{saved.Info.Version}-draft.json", ModelJsonFile.ExportDraft(draft, saved.Info.Version))
            : ($"scoring-model-v{saved.Info.Version}.json", ModelJsonFile.Export(saved));
        try
        {
            await (await ModuleAsync()).InvokeVoidAsync("downloadText", name, json);
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; nothing to download into.
        }
    }


    private async Task<IJSObjectReference> ModuleAsync() =>
        module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        disposed = true;
        Board.Changed -= OnBoardChanged;
        scheduler?.Dispose();
        if (module is not null)
        {
            try
            {
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone with the module.
            }
        }
    }

    /// <summary>What one preview computes from: the saved scores and the draft.</summary>
    private sealed record PreviewInput(ScoredPortfolio Saved, ScoringModel Draft);
}
