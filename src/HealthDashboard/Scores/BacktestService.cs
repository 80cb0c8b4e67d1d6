using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Scores;

/// <summary>The evaluation times of a backtest and the data span they were chosen in.</summary>
/// <param name="Times">Month starts, ascending (empty when the data allows none).</param>
/// <param name="HorizonDays">The horizon in days.</param>
/// <param name="DataStart">The earliest usage row (or account creation without usage); null with no data.</param>
/// <param name="DataEnd">The latest time the data records, not after now; null with no data.</param>
public sealed record BacktestRange(IReadOnlyList<DateTime> Times, int HorizonDays, DateTime? DataStart, DateTime? DataEnd);

/// <summary>A backtest's pairs and figures under one model.</summary>
public sealed record BacktestResult(ScoringModel Model, BacktestSample Sample, BacktestFigures Figures)
{
    /// <summary>
    /// The same figures for the effective health (model plus the overrides active at each evaluation time), null when
    /// no override was active at any: whether CSM judgment adds to the model (SCORING.md "Backtest").
    /// </summary>
    public BacktestFigures? Effective { get; init; }
}

/// <summary>One churned account's health before it churned ("would we have seen it?").</summary>
/// <param name="AccountId">The account's id.</param>
/// <param name="Name">The account's name.</param>
/// <param name="ChurnedAt">When it churned.</param>
/// <param name="HealthBefore">H at 90, 60 and 30 days before the churn; null when it was not scored then (not yet created).</param>
public sealed record ChurnedAccountHistory(string AccountId, string Name, DateTime ChurnedAt, IReadOnlyList<double?> HealthBefore)
{
    /// <summary>The days before churn the table shows.</summary>
    public static readonly IReadOnlyList<int> DaysBefore = [90, 60, 30];
}

/// <summary>
/// The data of a backtest loaded once for its whole span: every account, and the usage rows from the first
/// evaluation time's window to the last time, sliced per time. Any set of models whose windows fit in what was
/// loaded is evaluated from memory; the window aggregates of each time are kept per window length, so trying
/// other weights, flags or thresholds (the model editor's draft) only re-scores.
/// </summary>
/// <remarks>
/// Only the per-time slices are kept, not the whole span as loaded: every evaluation reads the slices, and the
/// span's usage array beside them held the same rows a second time for as long as the history is shared (until
/// the next import; bench part 18's peak working set).
/// </remarks>
public sealed class BacktestHistory
{
    private readonly Dictionary<int, IReadOnlyList<WindowAggregates>> aggregatesByWindow = [];
    private (ScoringModelSet Models, BacktestResult Result)? lastEvaluated;
    private readonly Lock gate = new();
    private readonly IReadOnlyList<PortfolioData> slices;

    internal BacktestHistory(PortfolioData data, BacktestRange range, int loadedWindowDays)
    {
        Range = range;
        LoadedWindowDays = loadedWindowDays;
        slices = Backtest.Slice(data, range.Times, loadedWindowDays);
    }

    /// <summary>The evaluation times and horizon.</summary>
    public BacktestRange Range { get; }

    /// <summary>The longest window the loaded usage covers before the first evaluation time.</summary>
    public int LoadedWindowDays { get; }

    /// <summary>True when every window of <paramref name="models"/> fits in the loaded usage.</summary>
    public bool Covers(ScoringModelSet models) => models.MaxWindowDays <= LoadedWindowDays;

    /// <summary>
    /// The pairs and figures of <paramref name="models"/> (each account with its own model). The last result is
    /// kept: every opening of the model editor evaluates the saved models, which is then free after the first.
    /// </summary>
    public BacktestResult Evaluate(ScoringModelSet models)
    {
        ArgumentNullException.ThrowIfNull(models);
        lock (gate)
        {
            if (lastEvaluated is { } last && SameModels(last.Models, models))
            {
                return last.Result with { Model = models.Default };
            }
        }

        var sample = SampleOf(models);
        var result = new BacktestResult(models.Default, sample, sample.Figures()) { Effective = sample.HasOverrides ? sample.EffectiveFigures() : null };
        lock (gate)
        {
            lastEvaluated = (models, result);
        }

        return result;
    }

    private static bool SameModels(ScoringModelSet a, ScoringModelSet b) =>
        a.Default.Equals(b.Default)
        && Equals(a.Onboarding, b.Onboarding)
        && a.Segments.Count == b.Segments.Count
        && a.Segments.All(s => b.Segments.TryGetValue(s.Key, out var other) && s.Value.Equals(other));

    /// <summary>The pairs and figures of one model alone.</summary>
    public BacktestResult Evaluate(ScoringModel model) => Evaluate(ScoringModelSet.Of(model));

    /// <summary>Suggested indicator weights for the default model of <paramref name="models"/> (SCORING.md "Suggested weights").</summary>
    public WeightSuggestion Suggest(ScoringModelSet models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return WeightFit.Suggest(SampleOf(models), models.Default.IndicatorWeights, models.Default.CustomIndicators.Select(c => c.Weight).ToList());
    }

    /// <summary>Suggested indicator weights for one model alone.</summary>
    public WeightSuggestion Suggest(ScoringModel model) => Suggest(ScoringModelSet.Of(model));

    private BacktestSample SampleOf(ScoringModelSet models)
    {
        if (!Covers(models))
        {
            throw new ArgumentException($"The models' longest window ({models.MaxWindowDays} d) is longer than the loaded history ({LoadedWindowDays} d): load it again.", nameof(models));
        }

        return Backtest.Sample(slices, Range.Times, models, Range.HorizonDays, AggregatesFor);
    }

    private IReadOnlyList<WindowAggregates> AggregatesFor(int windowDays)
    {
        lock (gate)
        {
            if (!aggregatesByWindow.TryGetValue(windowDays, out var aggregates))
            {
                aggregates = Backtest.Aggregate(slices, Range.Times, windowDays);
                aggregatesByWindow[windowDays] = aggregates;
            }

            return aggregates;
        }
    }
}

/// <summary>
/// Backtests over the store (SCORING.md "Backtest"): chooses the evaluation times, loads the data span once
/// and hands a <see cref="BacktestHistory"/> that evaluates models from memory. It needs only as-of scoring,
/// so it works on any imported history.
/// </summary>
public sealed class BacktestService(PortfolioLoader loader, IDbContextFactory<HealthDbContext> dbFactory, AsOfClock clock) : IDisposable
{
    private readonly SemaphoreSlim defaultGate = new(1, 1);
    private (StoreVersion Store, BacktestHistory History)? defaultHistory;
    private volatile KeptBacktest? keptSaved;

    /// <summary>
    /// The model editor's last backtest of a saved model (<see cref="KeepSaved"/>) when it was of <paramref name="model"/> as
    /// model <paramref name="key"/>, else null. The editor shows it at once on opening (the prerender included) and
    /// evaluates again behind it, so after an import it is replaced within the circuit's first moments.
    /// </summary>
    public BacktestResult? KeptSaved(ModelKey key, ScoringModel model) =>
        keptSaved is { } kept && kept.Key == key && kept.Model.Equals(model) ? kept.Result : null;

    /// <summary>Keeps <paramref name="result"/>, the backtest of saved model <paramref name="key"/>, for <see cref="KeptSaved"/>.</summary>
    public void KeepSaved(ModelKey key, ScoringModel model, BacktestResult result) => keptSaved = new KeptBacktest(key, model, result);

    private sealed record KeptBacktest(ModelKey Key, ScoringModel Model, BacktestResult Result);

    /// <summary>
    /// The default range's history (last 12 month starts, 90 days' horizon) covering windows up to
    /// <paramref name="windowDays"/>, shared by the backtest page and the model editor: loaded once and kept
    /// until an import changes the data (or a longer window is asked for).
    /// </summary>
    public async Task<BacktestHistory> GetDefaultHistoryAsync(int windowDays, CancellationToken cancellationToken = default)
    {
        await defaultGate.WaitAsync(cancellationToken);
        try
        {
            var store = await loader.LoadStoreVersionAsync(cancellationToken);
            if (defaultHistory is { } kept && kept.Store.ImportBatch == store.ImportBatch && kept.History.LoadedWindowDays >= windowDays)
            {
                return kept.History;
            }

            var range = await ResolveRangeAsync(null, null, BacktestCalendar.DefaultHorizonDays, cancellationToken);
            var history = await LoadAsync(range, Math.Max(windowDays, defaultHistory?.History.LoadedWindowDays ?? 0), cancellationToken);
            defaultHistory = (store, history);
            return history;
        }
        finally
        {
            defaultGate.Release();
        }
    }

    /// <summary>
    /// The evaluation times: the month starts from <paramref name="from"/> to <paramref name="to"/> (see
    /// <see cref="BacktestCalendar"/> for ends that are not month starts). A missing end takes the default
    /// range's: the last 12 month starts T with a full horizon of data after them (T + horizon at or before the
    /// data's end) and not before the data's start.
    /// </summary>
    /// <remarks>
    /// The data's start is its earliest usage row (accounts are often imported with creation dates long
    /// before any usage was recorded); its end is the latest time any row records (usage, ticket opened or
    /// closed, survey, revenue entry, churn), but never after the as-of clock's now.
    /// </remarks>
    public async Task<BacktestRange> ResolveRangeAsync(DateTime? from, DateTime? to, int horizonDays = BacktestCalendar.DefaultHorizonDays, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        var (start, end) = await LoadDataSpanAsync(cancellationToken);
        if (from is { } f && to is { } t)
        {
            return new BacktestRange(BacktestCalendar.MonthStarts(f, t), horizonDays, start, end);
        }

        if (start is null || end is null)
        {
            return new BacktestRange([], horizonDays, start, end);
        }

        var defaults = BacktestCalendar.DefaultRange(start.Value, end.Value, horizonDays);
        if (from is null && to is null)
        {
            return new BacktestRange(defaults, horizonDays, start, end);
        }

        // One end given: the other is the default range's (or, past it, 12 month starts from the given end).
        var first = from ?? (defaults.Count > 0 ? defaults[0] : BacktestCalendar.MonthStartAtOrBefore(to!.Value).AddMonths(1 - BacktestCalendar.DefaultCount));
        var last = to ?? (defaults.Count > 0 && defaults[^1] >= first ? defaults[^1] : BacktestCalendar.MonthStartAtOrAfter(first).AddMonths(BacktestCalendar.DefaultCount - 1));
        return new BacktestRange(BacktestCalendar.MonthStarts(first, last), horizonDays, start, end);
    }

    /// <summary>Loads the data of <paramref name="range"/> for models with windows up to <paramref name="windowDays"/> days.</summary>
    public async Task<BacktestHistory> LoadAsync(BacktestRange range, int windowDays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (range.Times.Count == 0)
        {
            return new BacktestHistory(new PortfolioData([], [], [], []), range, windowDays);
        }

        var edges = range.Times.SelectMany(t => PortfolioLoader.WindowEdges(t, windowDays));
        var data = await loader.LoadAsync(range.Times[0].AddDays(-windowDays), range.Times[^1], edges, cancellationToken);
        return new BacktestHistory(data, range, windowDays);
    }

    /// <summary>The newest saved default model.</summary>
    public async Task<ScoringModel> LoadCurrentModelAsync(CancellationToken cancellationToken = default) =>
        (await loader.LoadModelAsync(cancellationToken)).Model;

    /// <summary>The newest saved models (default, segment and onboarding): what a backtest evaluates unless told otherwise.</summary>
    public Task<ScoringModelSet> LoadCurrentModelsAsync(CancellationToken cancellationToken = default) =>
        loader.LoadModelSetAsync(cancellationToken);

    /// <summary>
    /// The accounts that churned after the first evaluation time and within the horizon of the last, most
    /// recent first (at most <paramref name="limit"/>), with their health under <paramref name="models"/> 90,
    /// 60 and 30 days before they churned. Each of those times is scored as of that exact time.
    /// </summary>
    public async Task<IReadOnlyList<ChurnedAccountHistory>> ChurnedAccountsAsync(BacktestRange range, ScoringModelSet models, int limit = 25, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(models);
        if (range.Times.Count == 0)
        {
            return [];
        }

        DateTime first = range.Times[0], last = range.Times[^1].AddDays(range.HorizonDays);
        List<(string Id, string Name, DateTime ChurnedAt)> churned;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var rows = await db.Accounts.AsNoTracking().Where(a => a.ChurnedAt != null && a.ChurnedAt > first && a.ChurnedAt <= last)
                .Select(a => new { a.ExternalId, a.Name, a.ChurnedAt }).ToListAsync(cancellationToken);
            churned = rows.Select(a => (a.ExternalId, a.Name, a.ChurnedAt!.Value)).OrderByDescending(a => a.Item3).ThenBy(a => a.ExternalId, StringComparer.Ordinal).Take(limit).ToList();
        }

        if (churned.Count == 0)
        {
            return [];
        }

        var longest = ChurnedAccountHistory.DaysBefore.Max();
        var shortest = ChurnedAccountHistory.DaysBefore.Min();
        var times = churned.SelectMany(c => ChurnedAccountHistory.DaysBefore.Select(d => c.ChurnedAt.AddDays(-d))).Distinct().Order().ToArray();
        var window = models.MaxWindowDays;
        // Churn times are any instant: each scored time and its window start are edges the loader reads exactly.
        var data = await loader.LoadAsync(times[0].AddDays(-window), times[^1], times.SelectMany(t => PortfolioLoader.WindowEdges(t, window)), cancellationToken);
        var sample = Backtest.Run(data, models, times, 1);
        var scores = new Dictionary<(int Time, string Account), double>();
        foreach (var pair in sample.Pairs)
        {
            scores[(pair.TimeIndex, pair.AccountId)] = pair.Health;
        }

        var timeIndex = times.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);

        return churned.Select(c => new ChurnedAccountHistory(c.Id, c.Name, c.ChurnedAt, ChurnedAccountHistory.DaysBefore.Select(d =>
            scores.TryGetValue((timeIndex[c.ChurnedAt.AddDays(-d)], c.Id), out var health) ? health : (double?)null).ToArray())).ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => defaultGate.Dispose();

    /// <summary>The earliest usage row (or account creation) and the latest recorded time, not after now.</summary>
    public async Task<(DateTime? Start, DateTime? End)> LoadDataSpanAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var firstUsage = await db.Usage.MinAsync(u => (long?)u.Timestamp, cancellationToken);
        var lastUsage = await db.Usage.MaxAsync(u => (long?)u.Timestamp, cancellationToken);
        var firstCreated = await db.Accounts.MinAsync(a => (DateTime?)a.CreatedAt, cancellationToken);
        DateTime?[] ends =
        [
            lastUsage is { } ticks ? new DateTime(ticks, DateTimeKind.Utc) : null,
            await db.Accounts.MaxAsync(a => a.ChurnedAt, cancellationToken),
            await db.Tickets.MaxAsync(t => (DateTime?)t.OpenedAt, cancellationToken),
            await db.Tickets.MaxAsync(t => t.ClosedAt, cancellationToken),
            await db.Surveys.MaxAsync(s => (DateTime?)s.RespondedAt, cancellationToken),
            await db.Revenue.MaxAsync(r => (DateTime?)r.Date, cancellationToken),
        ];
        DateTime? start = firstUsage is { } first ? new DateTime(first, DateTimeKind.Utc) : firstCreated;
        var now = clock.Now();
        DateTime? end = ends.Where(e => e is not null).Select(e => e!.Value).DefaultIfEmpty().Max() is var latest && latest != default
            ? (latest > now ? now : latest)
            : null;
        return (start, end);
    }
}
