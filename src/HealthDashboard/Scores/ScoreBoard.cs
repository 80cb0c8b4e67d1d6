using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>
/// The shared, cached scores every page reads (singleton). The <see cref="ScoreBoardWorker"/> refreshes it at
/// start, on each <see cref="RescoreTrigger"/> request (an import, an API batch, a saved model) and as the
/// clock moves the as-of time on. It scores through <see cref="ScoringService.Score(Scoring.PortfolioData, DateTime, Scoring.ScoringModelSet, Func{int, Scoring.WindowAggregates?}?)"/>, like every other
/// number the product shows. Pages subscribe to <see cref="Changed"/> and re-render through
/// <c>InvokeAsync</c>; no circuit keeps its own copy of the portfolio.
/// </summary>
public sealed class ScoreBoard(PortfolioLoader loader, SnapshotStore snapshots, AsOfClock asOfClock, TimeProvider clock, ILogger<ScoreBoard> logger) : IDisposable
{
    private readonly Lock waitersLock = new();
    private readonly List<(int ModelVersion, TaskCompletionSource Scored)> modelWaiters = [];
    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private readonly TaskCompletionSource<PortfolioView> firstView = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The first view of any kind, the start-up snapshot included: what a page that opened before it waits for.
    private readonly TaskCompletionSource<PortfolioView> firstShown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The span the current view was scored from, kept so the next refresh reads only what changed since, and
    // the snapshots' sparklines and history it read.
    private LoadedSpan? loaded;
    private (IReadOnlyDictionary<string, IReadOnlyList<double>> Sparklines, IReadOnlyList<PortfolioDay> History)? lastHistory;

    /// <summary>How the last successful refresh went: updated in memory or loaded, and where its time went (for the log, the bench and tests).</summary>
    public RefreshStats? LastRefresh { get; private set; }

    /// <summary>
    /// The view every page shows: null until the first refresh finished or the newest stored snapshot is served
    /// (<see cref="ServeSnapshotAsync"/>; such a view is <see cref="PortfolioView.IsFromSnapshot"/> until the first
    /// refresh replaces it).
    /// </summary>
    public PortfolioView? Current { get; private set; }

    /// <summary>Raised after every refresh with the new view.</summary>
    public event Action<PortfolioView>? Changed;

    /// <summary>Raised when a refresh fails, with the reason (pages waiting for a first view show it).</summary>
    public event Action<string>? Failed;

    /// <summary>The store version the current view was scored from.</summary>
    public StoreVersion ScoredStoreVersion { get; private set; }

    /// <summary>The last refresh's failure, shown by pages instead of a view; null when fine.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// When refreshes started failing while a view was shown (e.g. the database was busy or unreadable):
    /// pages keep showing <see cref="Current"/> with a "stale since" note until a refresh succeeds again
    /// (the worker keeps retrying). Null when the current view is fresh.
    /// </summary>
    public DateTime? StaleSince { get; private set; }

    /// <summary>
    /// The current scored view, waiting for the first refresh when needed (never the start-up snapshot: the API,
    /// exports, the model editor and alerts need scores made from the data).
    /// </summary>
    public Task<PortfolioView> GetAsync() => Current is { IsFromSnapshot: false } view ? Task.FromResult(view) : firstView.Task;

    /// <summary>
    /// What a page shows: the current view, the start-up snapshot included; else waits for the first refresh, or
    /// null at once when there is no view and the last refresh failed (<see cref="LastError"/> says why), so a page
    /// shows the failure instead of waiting.
    /// </summary>
    public async Task<PortfolioView?> GetViewOrFailureAsync() =>
        Current ?? (LastError is not null ? null : await firstShown.Task);

    /// <summary>
    /// At start-up, before the first refresh: shows the newest stored daily snapshot's scores on every page (a view
    /// that is <see cref="PortfolioView.IsFromSnapshot"/>, as of the snapshot's day) while the first refresh scores
    /// the data. It reads the snapshot's rows and the accounts, users and revenue, but no usage, so it takes a small
    /// part of a refresh's time. Does nothing when a view is already shown or no snapshot is stored; true when it
    /// published one.
    /// </summary>
    public async Task<bool> ServeSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (Current is not null || await snapshots.NewestDayAsync(cancellationToken) is not { } day)
            {
                return false;
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var rows = await snapshots.StoredDayAsync(day, cancellationToken);
            var models = await loader.LoadModelSetAsync(cancellationToken);
            var snapshotRead = System.Diagnostics.Stopwatch.GetTimestamp();
            // No usage: the stored rows stand for everything the usage would give.
            var data = await loader.LoadAsync(day, day, cancellationToken);
            var referenceRead = System.Diagnostics.Stopwatch.GetTimestamp();
            var scored = ScoringService.Restore(data, day, models, rows);
            var restored = System.Diagnostics.Stopwatch.GetTimestamp();
            var sparklines = await snapshots.SparklinesAsync(day.AddDays(-29), cancellationToken);
            var history = await snapshots.PortfolioHistoryAsync(cancellationToken);
            var view = new PortfolioView(scored, null, sparklines, history, fromSnapshot: true);
            logger.LogInformation(
                "Showing the {Day:yyyy-MM-dd} snapshot of {Accounts} accounts while scoring: snapshot {Snapshot:0} ms, accounts and users {Reference:0} ms, restore {Restore:0} ms, trends {Trends:0} ms",
                day, view.Accounts.Count, Milliseconds(started, snapshotRead), Milliseconds(snapshotRead, referenceRead), Milliseconds(referenceRead, restored),
                System.Diagnostics.Stopwatch.GetElapsedTime(restored).TotalMilliseconds);
            // Not the first scored view: whoever waits for scores (GetAsync, a model's waiters) keeps waiting.
            Current = view;
            firstShown.TrySetResult(view);
            Changed?.Invoke(view);
            return true;
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>
    /// Brings the data up to date, re-scores now and 30 days ago, publishes, and asks the <see cref="SnapshotWorker"/> to
    /// bring the daily snapshots up to date in the background (it finds the days a change made stale by their store
    /// version; with <paramref name="rescoreHistory"/>, after an import that added only usage, the days before its
    /// earliest row are kept as they are).
    /// </summary>
    /// <remarks>
    /// The first refresh loads the span from the store (whole days from the daily roll-up); later ones, while the
    /// UTC day stays the same, only add what was imported since (<see cref="PortfolioLoader.UpdateAsync"/>) and
    /// re-score from memory, and after an import that added only usage rows only the snapshots from the
    /// earliest new row on are re-scored (in the background). A new day, a new window length or removed rows load the span again.
    /// </remarks>
    public async Task<PortfolioView> RefreshAsync(bool rescoreHistory, CancellationToken cancellationToken = default)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var asOf = asOfClock.Now();
            var storeVersion = await loader.LoadStoreVersionAsync(cancellationToken);
            var models = await loader.LoadModelSetAsync(cancellationToken);
            var version = models.LatestVersion;
            var from = asOf.AddDays(-LoadedUsageDays(models.MaxWindowDays));
            // Exact at now and 30 days ago (the trend) for every model's window; the daily snapshots are at midnights, exact anyway.
            DateTime[] edges =
            [
                .. models.All.Select(m => m.Model.WindowDays).Distinct()
                    .SelectMany(w => PortfolioLoader.WindowEdges(asOf, w).Concat(PortfolioLoader.WindowEdges(asOf.AddDays(-30), w))),
            ];
            var previous = loaded;
            var span = previous is null ? null : await loader.UpdateAsync(previous, from, asOf, edges, cancellationToken);
            var incremental = span is not null;
            span ??= await loader.LoadSpanAsync(from, asOf, edges, cancellationToken);
            if (!incremental)
            {
                await ReleaseLoadGarbageAsync();
            }

            var data = span.Data;

            var loadedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            // After an update that changed only usage under the same models, the aggregates are advanced by the rows
            // that changed instead of built from every row of the window (WindowAggregates.Advance; null: build).
            var advance = incremental && !span.ReferenceChanged && Current is { IsFromSnapshot: false } shown && shown.ModelVersion == version
                && ReferenceEquals(shown.Scored.Data, previous!.Data);
            Func<int, WindowAggregates?>? Advanced(ScoredPortfolio? before, DateTime at) =>
                advance && before is not null
                    ? windowDays => before.Scores.Groups.Select(g => g.Aggregates).FirstOrDefault(a => a.WindowDays == windowDays) is { } old
                        ? WindowAggregates.Advance(old, data, at, span.AddedUsage, from.Ticks)
                        : null
                    : null;
            // The snapshots are back-filled in the background (SnapshotWorker): a page never waits for a year of
            // history. What an import changed decides how much of it is re-scored: with only usage rows added under
            // the same models, no snapshot before the earliest of them changes (nothing after T is ever read), so
            // those days keep their scores and only take the new store version. That write depends on what the update
            // added, not on the new scores, so it runs while they are made; it is awaited before the board takes the
            // new store version and asks for a back-fill, as when it ran after them (see KeepHistoryAsync).
            var sameModels = version == Current?.ModelVersion;
            var keepHistory = rescoreHistory && incremental && !span.ReferenceChanged && sameModels;
            var unchangedBefore = span.EarliestAddedTicks is { } earliest ? FirstMidnightAtOrAfter(earliest) : asOf.Date.AddDays(1);
            var keeping = keepHistory ? KeepHistoryAsync(storeVersion, unchangedBefore, cancellationToken) : Task.CompletedTask;
            // Now and a month ago are independent (each reads the shared data and its own previous aggregates, and
            // writes only its own): advanced at once, on two cores where there are. Built (a full load) one after the
            // other: each build takes a users x event types scratch (32 MB at 100,000 users), and two at once would
            // hold two at the start-up peak.
            var (beforeNow, beforeMonthAgo) = (Current?.Scored, Current?.MonthAgo);
            ScoredPortfolio ScoreNow() => ScoringService.Score(data, asOf, models, Advanced(beforeNow, asOf));
            ScoredPortfolio ScoreMonthAgo() => ScoringService.Score(data, asOf.AddDays(-30), models, Advanced(beforeMonthAgo, asOf.AddDays(-30)));
            ScoredPortfolio now, monthAgo;
            try
            {
                if (advance)
                {
                    Task<ScoredPortfolio> scoringNow = Task.Run(ScoreNow, cancellationToken), scoringMonthAgo = Task.Run(ScoreMonthAgo, cancellationToken);
                    await Task.WhenAll(scoringNow, scoringMonthAgo);
                    (now, monthAgo) = (await scoringNow, await scoringMonthAgo);
                }
                else
                {
                    (now, monthAgo) = (ScoreNow(), ScoreMonthAgo());
                }
            }
            finally
            {
                // Never left running when the scoring failed: the next refresh's write would race it.
                await keeping;
            }

            var scoredAt = System.Diagnostics.Stopwatch.GetTimestamp();
            if (keepHistory)
            {
                // Rows after today's midnight (the usual API batch) change no snapshot at all.
                rescoreHistory = unchangedBefore <= asOf.Date;
            }

            // An update on the same UTC day under the same models that re-scores no snapshot keeps the trends the last
            // refresh (or back-fill) read: no need to read them all again.
            var (sparklines, history) = incremental && !rescoreHistory && sameModels && lastHistory is { } kept
                ? kept
                : (await snapshots.SparklinesAsync(asOf.Date.AddDays(-29), cancellationToken), await snapshots.PortfolioHistoryAsync(cancellationToken));

            var view = new PortfolioView(now, monthAgo.Aggregates.Accounts.Length > 0 ? monthAgo : null, sparklines, history);
            var stats = new RefreshStats(incremental, span.EarliestAddedTicks is not null,
                System.Diagnostics.Stopwatch.GetElapsedTime(started, loadedAt), System.Diagnostics.Stopwatch.GetElapsedTime(loadedAt, scoredAt),
                System.Diagnostics.Stopwatch.GetElapsedTime(scoredAt));
            logger.LogInformation("Scored {Accounts} accounts as of {AsOf:u} with model v{Version}: {Stats}", view.Accounts.Count, asOf, version, stats);
            loaded = span;
            lastHistory = (sparklines, history);
            LastRefresh = stats;
            ScoredStoreVersion = storeVersion;
            // After the version is set: the back-fill brings the days to the version scored here (see SnapshotWorker).
            snapshots.RequestBackfill();
            Publish(view);
            return view;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LastError = Data.DatabaseBusy.Is(ex) ? $"{Data.DatabaseBusy.Message}; the scores will refresh once it is free" : ex.Message;
            if (Current is not null)
            {
                StaleSince ??= clock.GetUtcNow().UtcDateTime;
            }

            logger.LogError(ex, "Refreshing the scores failed");
            Failed?.Invoke(LastError);
            // Whoever waits for a new model's scores learns it now (the editor stops saying "re-scoring");
            // the worker keeps retrying and the pages follow once a refresh succeeds.
            FailModelWaiters(LastError);
            throw;
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>
    /// Stamps the snapshot days before <paramref name="unchangedBefore"/> that were current at the scored store version
    /// with <paramref name="storeVersion"/> (<see cref="SnapshotStore.KeepDaysAsync"/>), on a thread of its own: SQLite's
    /// "async" calls complete synchronously, and this runs beside the scoring. Safe before the scores exist: whether a
    /// day's scores changed depends only on the rows the update added (none at or before that day's midnight), and the
    /// back-fill sees the new version only once the refresh has awaited this and set <see cref="ScoredStoreVersion"/>.
    /// </summary>
    private Task KeepHistoryAsync(StoreVersion storeVersion, DateTime unchangedBefore, CancellationToken cancellationToken)
    {
        var scored = ScoredStoreVersion;
        return Task.Run(() => snapshots.KeepDaysAsync(scored, storeVersion, unchangedBefore, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Days of usage a view holds in memory: enough for the window now, 30 days ago (the trend) and the Users
    /// page's activity of the last 90 days. The model editor previews longer windows on this span. (The snapshot
    /// back-fill loads its own spans.)
    /// </summary>
    public static int LoadedUsageDays(int windowDays) => 91 + windowDays;

    /// <summary>
    /// Re-reads the trends that come from the snapshots (sparklines, portfolio history) into the current view and
    /// publishes it, without re-scoring: the <see cref="SnapshotWorker"/> calls it after a back-fill wrote days.
    /// </summary>
    public async Task RefreshHistoryAsync(CancellationToken cancellationToken = default)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (Current is not { } view)
            {
                return;
            }

            var sparklines = await snapshots.SparklinesAsync(view.AsOf.Date.AddDays(-29), cancellationToken);
            var history = await snapshots.PortfolioHistoryAsync(cancellationToken);
            lastHistory = (sparklines, history);
            Publish(new PortfolioView(view.Scored, view.MonthAgo, sparklines, history));
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>
    /// The data of <paramref name="saved"/> made exact for a window edge at <paramref name="edge"/> as well: the UTC
    /// day the edge cuts read as raw rows when the board holds it as roll-up rows (synchronous: the model
    /// preview computes off the circuit). <paramref name="saved"/>'s own data when it is not the board's current
    /// span or needs nothing.
    /// </summary>
    public PortfolioData DataExactAt(ScoredPortfolio saved, DateTime edge) =>
        loaded is { } span && ReferenceEquals(span.Data, saved.Data) ? loader.WithRawDay(span, edge) : saved.Data;


    /// <summary>
    /// After a full load, before scoring: one blocking full collection (not compacting: a mark and sweep), so the load's
    /// garbage (the entities of everything but usage, the raw days' lists, the id maps) is free space the scoring's
    /// aggregates and the history read fill, instead of the process growing by both before the
    /// <see cref="ScoreBoardWorker"/>'s collection after the refresh. That peak is the app's peak working set at start-up
    /// (bench part 18, 10 million usage rows); the collection costs well under the load it follows, once per full load.
    /// It yields first: right after the load's last await this method runs as the loader's continuation, on top of the
    /// loader's finished frames, whose state machines still hold the load's buffers (see
    /// <see cref="ScoreBoardWorker"/>'s <c>ReleaseLoadBuffersAsync</c>).
    /// </summary>
    private static async Task ReleaseLoadGarbageAsync()
    {
        await Task.Yield();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    private static double Milliseconds(long from, long to) => System.Diagnostics.Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static DateTime FirstMidnightAtOrAfter(long ticks) =>
        new((ticks + TimeSpan.TicksPerDay - 1) / TimeSpan.TicksPerDay * TimeSpan.TicksPerDay, DateTimeKind.Utc);

    /// <summary>Replaces the current view and tells every subscribed page.</summary>
    public void Publish(PortfolioView view)
    {
        Current = view;
        LastError = null;
        StaleSince = null;
        firstView.TrySetResult(view);
        firstShown.TrySetResult(view);
        Changed?.Invoke(view);
        // After the subscribers: whoever waits for this model version finds every page already told.
        ReleaseModelWaiters(view.ModelVersion);
    }

    /// <summary>
    /// Completes once a view scored with model version <paramref name="modelVersion"/> or a later one is
    /// published (the model editor waits on it after a save to show the new scores); faults with the reason
    /// when a refresh fails first, so nobody waits forever on a store that cannot be read.
    /// </summary>
    public Task WhenScoredWithModelAsync(int modelVersion)
    {
        lock (waitersLock)
        {
            if (Current?.ModelVersion >= modelVersion)
            {
                return Task.CompletedTask;
            }

            var scored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            modelWaiters.Add((modelVersion, scored));
            return scored.Task;
        }
    }

    /// <inheritdoc />
    public void Dispose() => refreshGate.Dispose();

    private void FailModelWaiters(string reason)
    {
        lock (waitersLock)
        {
            foreach (var waiter in modelWaiters)
            {
                waiter.Scored.TrySetException(new InvalidOperationException(reason));
            }

            modelWaiters.Clear();
        }
    }

    private void ReleaseModelWaiters(int publishedVersion)
    {
        lock (waitersLock)
        {
            foreach (var waiter in modelWaiters.Where(w => w.ModelVersion <= publishedVersion))
            {
                waiter.Scored.TrySetResult();
            }

            modelWaiters.RemoveAll(w => w.ModelVersion <= publishedVersion);
        }
    }
}

/// <summary>One refresh of the <see cref="ScoreBoard"/>: whether it updated the data in memory, and its time in data, scoring and history.</summary>
/// <param name="Incremental">True when it added only what was imported since (<see cref="PortfolioLoader.UpdateAsync"/>); false when it loaded the span.</param>
/// <param name="UsageAdded">True when an update added usage rows.</param>
public sealed record RefreshStats(bool Incremental, bool UsageAdded, TimeSpan Data, TimeSpan Scoring, TimeSpan History)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{(Incremental ? UsageAdded ? "updated in memory, usage added" : "updated in memory" : "loaded from the store")}; data {Data.TotalMilliseconds:0} ms, scoring {Scoring.TotalMilliseconds:0} ms, history {History.TotalMilliseconds:0} ms");
}
