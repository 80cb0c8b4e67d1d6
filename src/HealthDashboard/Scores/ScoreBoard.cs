namespace HealthDashboard.Scores;

/// <summary>
/// The shared, cached scores every page reads (singleton). The <see cref="ScoreBoardWorker"/> refreshes it at
/// start, on each <see cref="RescoreTrigger"/> request (an import, an API batch, a saved model) and as the
/// clock moves the as-of time on. It scores through <see cref="ScoringService.Score"/>, like every other
/// number the product shows. Pages subscribe to <see cref="Changed"/> and re-render through
/// <c>InvokeAsync</c>; no circuit keeps its own copy of the portfolio.
/// </summary>
public sealed class ScoreBoard(PortfolioLoader loader, SnapshotStore snapshots, AsOfClock asOfClock, TimeProvider clock, ILogger<ScoreBoard> logger) : IDisposable
{
    private readonly Lock waitersLock = new();
    private readonly List<(int ModelVersion, TaskCompletionSource Scored)> modelWaiters = [];
    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private readonly TaskCompletionSource<PortfolioView> firstView = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The current view; null until the first refresh finished.</summary>
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

    /// <summary>The current view, waiting for the first refresh when needed.</summary>
    public Task<PortfolioView> GetAsync() => Current is { } view ? Task.FromResult(view) : firstView.Task;

    /// <summary>
    /// Like <see cref="GetAsync"/>, but null at once when there is no view and the last refresh failed
    /// (<see cref="LastError"/> says why), so a page shows the failure instead of waiting.
    /// </summary>
    public async Task<PortfolioView?> GetViewOrFailureAsync() =>
        Current is null && LastError is not null ? null : await GetAsync();

    /// <summary>
    /// Reloads the store, re-scores now and 30 days ago, publishes, and asks the <see cref="SnapshotWorker"/> to bring
    /// the daily snapshots up to date in the background (it finds the days a change made stale by their store
    /// version, so <paramref name="rescoreHistory"/> only says whether the caller knows of such a change).
    /// </summary>
    public async Task<PortfolioView> RefreshAsync(bool rescoreHistory, CancellationToken cancellationToken = default)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            var asOf = asOfClock.Now();
            var storeVersion = await loader.LoadStoreVersionAsync(cancellationToken);
            var (version, model) = await loader.LoadModelAsync(cancellationToken);
            var data = await loader.LoadAsync(asOf.AddDays(-LoadedUsageDays(model.WindowDays)), asOf, cancellationToken);

            var now = ScoringService.Score(data, asOf, model, version);
            var monthAgo = ScoringService.Score(data, asOf.AddDays(-30), model, version);
            // The back-fill runs in the background (SnapshotWorker): a page never waits for a year of history.
            snapshots.RequestBackfill();
            var sparklines = await snapshots.SparklinesAsync(asOf.Date.AddDays(-29), cancellationToken);
            var history = await snapshots.PortfolioHistoryAsync(cancellationToken);

            var view = new PortfolioView(now, monthAgo.Aggregates.Accounts.Length > 0 ? monthAgo : null, sparklines, history);
            logger.LogInformation("Scored {Accounts} accounts as of {AsOf:u} with model v{Version}{Reason}", view.Accounts.Count, asOf, version,
                rescoreHistory ? " (the store changed)" : "");
            ScoredStoreVersion = storeVersion;
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
            throw;
        }
        finally
        {
            refreshGate.Release();
        }
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
            Publish(new PortfolioView(view.Scored, view.MonthAgo, sparklines, history));
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>Replaces the current view and tells every subscribed page.</summary>
    public void Publish(PortfolioView view)
    {
        Current = view;
        LastError = null;
        StaleSince = null;
        firstView.TrySetResult(view);
        Changed?.Invoke(view);
        // After the subscribers: whoever waits for this model version finds every page already told.
        ReleaseModelWaiters(view.ModelVersion);
    }

    /// <summary>
    /// Completes once a view scored with model version <paramref name="modelVersion"/> or a later one is
    /// published (the model editor waits on it after a save to show the new scores).
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
