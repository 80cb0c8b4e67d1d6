namespace HealthDashboard.Scores;

/// <summary>
/// Back-fills the daily snapshots in the background: whenever the <see cref="ScoreBoard"/> re-scores (start, an
/// import, a model save, the clock moving on) it asks through <see cref="SnapshotStore.RequestBackfill"/>, and every
/// minute the worker checks anyway (a new day, or a change made by another process). Days already current are left
/// alone, so a request that finds nothing to do costs one query. After days were written the board re-reads its
/// snapshot trends (sparklines, portfolio history) and the pages are told.
/// </summary>
public sealed class SnapshotWorker(SnapshotStore snapshots, ScoreBoard board, AsOfClock asOfClock, ILogger<SnapshotWorker> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await snapshots.WaitForRequestAsync(CheckInterval, stoppingToken);
                // Before the first scores the store may not even be migrated yet, and the first refresh should have
                // the machine to itself (the pages show the last snapshot meanwhile): the board's first refresh asks again.
                if (board.Current is not { IsFromSnapshot: false })
                {
                    continue;
                }

                var written = await snapshots.BackfillToVersionAsync(asOfClock.Now().Date, board.ScoredStoreVersion, stoppingToken);
                if (written > 0)
                {
                    logger.LogInformation("Back-filled {Days} snapshot days", written);
                    await board.RefreshHistoryAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Back-filling the snapshots failed");
                // Also a failure before a run started (the store unreadable), which the store did not see as a run's.
                snapshots.ReportFailure(ex.Message);

                await Task.Delay(RetryDelay, stoppingToken);
                snapshots.RequestBackfill();
            }
        }
    }
}
