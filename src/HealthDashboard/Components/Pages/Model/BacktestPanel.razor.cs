using System.Globalization;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The model editor's backtest: the draft's AUC and churn rate per band beside the saved model's, over the
/// default range (<see cref="BacktestService.GetDefaultHistoryAsync"/>, loaded once and shared). Each draft is
/// evaluated on a <see cref="LatestWinsScheduler{TInput,TResult}"/> like the preview, so a dragged slider
/// computes only its last position and the preview stays smooth: a draft that keeps the window only
/// re-scores the kept month-start aggregates.
/// </summary>
public sealed partial class BacktestPanel : IDisposable
{
    private static readonly Band[] Bands = [Band.Green, Band.Yellow, Band.Red];

    private LatestWinsScheduler<ScoringModel, BacktestResult>? scheduler;
    private BacktestResult? saved;
    private BacktestResult? draft;
    private ScoringModel? requested;
    private ScoringModel? evaluatedSaved;
    private string? error;
    private bool busy;
    private bool disposed;
    private ScoringModelSet? currentModels;

    [Inject] private BacktestService Backtests { get; set; } = default!;
    [Inject] private ILogger<BacktestPanel> Logger { get; set; } = default!;

    /// <summary>The saved model the draft is compared with.</summary>
    [Parameter, EditorRequired]
    public ScoringModel Saved { get; set; } = default!;

    /// <summary>The draft (followed while it is valid).</summary>
    [Parameter, EditorRequired]
    public ScoringModel Draft { get; set; } = default!;

    /// <summary>The model the draft replaces (every other saved model still applies).</summary>
    [Parameter]
    public ModelKey Key { get; set; } = ModelKey.Default;

    /// <summary>True while the draft is invalid: the panel keeps its last figures.</summary>
    [Parameter]
    public bool Paused { get; set; }

    /// <summary>How long a change waits for the next before the backtest recomputes. Tests set 0.</summary>
    [Parameter]
    public int DelayMilliseconds { get; set; } = 250;

    private string Subtitle => draft is not null && saved is not null && !ReferenceEquals(draft.Model, saved.Model)
        ? "How well the draft's health would have predicted churn"
        : "How well health predicted churn on your history";

    /// <inheritdoc />
    protected override void OnInitialized() =>
        scheduler = new LatestWinsScheduler<ScoringModel, BacktestResult>(
            Evaluate,
            ApplyAsync,
            TimeSpan.FromMilliseconds(DelayMilliseconds));

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        // On opening, the last backtest of this saved model is shown at once (the prerender included) instead of a
        // spinner; the circuit evaluates it again behind it (cheap: the history keeps its last evaluation).
        if (saved is null && Backtests.KeptSaved(Key, Saved) is { } kept)
        {
            saved = kept;
            draft = Draft.Equals(Saved) ? kept : null;
        }

        if (!RendererInfo.IsInteractive || scheduler is null)
        {
            return;
        }

        if (!ReferenceEquals(evaluatedSaved, Saved))
        {
            evaluatedSaved = Saved;
            try
            {
                currentModels = await Backtests.LoadCurrentModelsAsync();
                var model = Saved;
                var key = Key;
                saved = await Task.Run(() => Evaluate(model));
                Backtests.KeepSaved(key, model, saved);
                error = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Logger.LogError(ex, "The saved model's backtest failed");
                error = ex.Message;
                return;
            }
        }

        if (Paused || ReferenceEquals(requested, Draft))
        {
            return;
        }

        requested = Draft;
        if (Draft.Equals(Saved))
        {
            draft = saved;
            busy = false;
            return;
        }

        busy = true;
        scheduler.Request(Draft);
    }

    private Task ApplyAsync(LatestWinsScheduler<ScoringModel, BacktestResult>.Outcome outcome) => InvokeAsync(() =>
    {
        if (disposed)
        {
            return;
        }

        if (outcome.Error is { } failure)
        {
            Logger.LogError(failure, "The draft's backtest failed");
            error = failure.Message;
        }
        else
        {
            draft = outcome.Result;
            error = null;
        }

        busy = !ReferenceEquals(outcome.Input, requested);
        StateHasChanged();
    });

    /// <summary>The backtest of <paramref name="model"/> in <see cref="Key"/>'s place (every other model still applies).</summary>
    private async Task<BacktestResult> Evaluate(ScoringModel model)
    {
        var models = (currentModels ?? ScoringModelSet.Of(ScoringModel.Default)).With(Key, model);
        var history = await Backtests.GetDefaultHistoryAsync(models.MaxWindowDays);
        return history.Evaluate(models);
    }

    private static string Auc(double? auc) => auc is { } a ? a.ToString("0.000", CultureInfo.InvariantCulture) : "—";

    private static string Rate(BacktestFigures figures, Band band) =>
        figures.ByBand.TryGetValue(band, out var count) && count.Rate is { } rate ? rate.ToString("0.0%", CultureInfo.InvariantCulture) : "—";

    private static string? Direction(double? saved, double? draft) =>
        saved is { } s && draft is { } d ? d > s + 0.0005 ? "me-bt-up" : d < s - 0.0005 ? "me-bt-down" : null : null;

    /// <inheritdoc />
    public void Dispose()
    {
        disposed = true;
        scheduler?.Dispose();
    }
}
