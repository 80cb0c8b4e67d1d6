using HealthDashboard.Data;
using HealthDashboard.Demo;
using HealthDashboard.Identity;
using Microsoft.EntityFrameworkCore;
using Polly;
using Polly.Retry;

namespace HealthDashboard.Scores;

/// <summary>
/// Background start-up and upkeep of the <see cref="ScoreBoard"/>: migrate, seed demo data into an
/// empty database when configured (<c>Demo:SeedWhenEmpty</c>), show the newest stored snapshot, score; then
/// re-score with history on each <see cref="RescoreTrigger"/> request (this process changed the store), on a
/// new import or model version found by the store-version check every few seconds (another process changed it),
/// and move the as-of time on every <c>Scoring:RefreshMinutes</c>.
/// </summary>
/// <remarks>
/// A refresh that fails (the database lost, locked or unreadable) is retried with exponential back-off (1 s,
/// doubling, at most a minute, with jitter; Polly's retry strategy, which the app already carries through
/// Microsoft.Extensions.Http.Resilience) until it succeeds: meanwhile the pages keep the last scores marked
/// "stale since" (<see cref="ScoreBoard.StaleSince"/>).
/// </remarks>
public sealed class ScoreBoardWorker(
    DatabaseInitializer initializer,
    ScoreBoard board,
    RescoreTrigger trigger,
    IServiceProvider services,
    PortfolioLoader loader,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<ScoreBoardWorker> logger) : BackgroundService
{
    /// <summary>How often the store is checked for changes made by other processes.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = RetryPipeline();
        try
        {
            await initializer.InitializeAsync(stoppingToken);
            await DemoSeeding.SeedIfEmptyAsync(services, configuration, stoppingToken);
            await DemoSeeding.AnnounceSignInAsync(services, stoppingToken);
            await ServeSnapshotAsync(stoppingToken);
            await ReleaseLoadBuffersAsync();
            await retry.ExecuteAsync(async token => await board.RefreshAsync(rescoreHistory: true, token), stoppingToken);
            await ReleaseLoadBuffersAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Start-up scoring failed");
        }

        var refreshEvery = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Scoring:RefreshMinutes", 10)));
        var lastRefresh = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var requested = await trigger.WaitAsync(WatchInterval, clock, stoppingToken);
                var changed = requested || await loader.LoadStoreVersionAsync(stoppingToken) != board.ScoredStoreVersion;
                var unscored = board.Current is not { IsFromSnapshot: false };
                if (changed || clock.GetUtcNow() - lastRefresh >= refreshEvery || unscored)
                {
                    lastRefresh = clock.GetUtcNow();
                    var rescoreHistory = changed || unscored;
                    await retry.ExecuteAsync(async token => await board.RefreshAsync(rescoreHistory, token), stoppingToken);
                    if (board.LastRefresh is { Incremental: false })
                    {
                        await ReleaseLoadBuffersAsync();
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Refreshing the scores failed");
            }
        }
    }

    /// <summary>Shows the newest stored snapshot until the first refresh; a failure only means waiting for that refresh.</summary>
    private async Task ServeSnapshotAsync(CancellationToken stoppingToken)
    {
        try
        {
            await board.ServeSnapshotAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Showing the last snapshot at start-up failed; the pages wait for the first scores");
        }
    }

    /// <summary>
    /// After a load from the store (the start-up snapshot, a full refresh): one blocking, compacting collection that
    /// also compacts the large-object heap and gives the freed memory back to the system. A load leaves its read
    /// buffers and the replaced view (hundreds of MB of large arrays at 10 million usage rows) as garbage that only a
    /// full collection frees, and until one happens by itself the process keeps all of it, and every page served
    /// afterwards adds to it (bench part 18: the peak working set). A few tens of ms once per load, on this thread.
    /// </summary>
    /// <remarks>
    /// It yields before collecting. Awaiting the refresh, this method resumes as its continuation, on top of the finished
    /// frames of the refresh and the loader (an async method's completion runs its awaiter inline), and their state
    /// machines still hold the load's buffers and the replaced span: a collection made there frees none of them (bench part
    /// 2's store, 2026-12-02: a dropped 10-million-row load kept the managed heap at 162 MB through a full collection made
    /// right after it, and at 5 MB through one made after a <see cref="Task.Yield"/>).
    /// </remarks>
    private async Task ReleaseLoadBuffersAsync()
    {
        await Task.Yield();
        var before = Environment.WorkingSet;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        logger.LogInformation("Released the load's buffers in {Milliseconds:0} ms: working set {Before} MB, now {After} MB",
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, before / 1048576, Environment.WorkingSet / 1048576);
    }

    /// <summary>Retries a failed refresh until it succeeds: 1 s, doubling to at most a minute, with jitter.</summary>
    private ResiliencePipeline RetryPipeline() => new ResiliencePipelineBuilder { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromMinutes(1),
            OnRetry = args =>
            {
                // The board logged the failure itself; this says when the next try comes.
                logger.LogWarning("Refreshing the scores failed ({Attempt} in a row); trying again in {Delay:0.0} s",
                    args.AttemptNumber + 1, args.RetryDelay.TotalSeconds);
                return default;
            },
        })
        .Build();
}

/// <summary>Fills an empty database with the demo data set on first start when <c>Demo:SeedWhenEmpty</c> is true.</summary>
internal static class DemoSeeding
{
    public static async Task SeedIfEmptyAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:SeedWhenEmpty", false))
        {
            return;
        }

        var dbFactory = services.GetRequiredService<IDbContextFactory<HealthDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Accounts.AnyAsync(cancellationToken))
            {
                return;
            }
        }

        var summary = await services.GetRequiredService<DemoDataGenerator>().GenerateAsync(new DemoOptions(), cancellationToken);
        services.GetRequiredService<ILogger<ScoreBoardWorker>>().LogInformation("Empty database filled with demo data: {Summary}", summary);
        await DemoTeam.EnsureAsync(services.GetRequiredService<TeamService>(), cancellationToken);
    }

    /// <summary>
    /// Prints how to sign in at start: the demo members of a demo database, or, when nobody can sign in yet,
    /// the <c>users add</c> command that creates the first admin (a real database has no default password).
    /// </summary>
    public static async Task AnnounceSignInAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var team = services.GetRequiredService<TeamService>();
        IReadOnlyList<string> lines = await DemoTeam.IsPresentAsync(team, cancellationToken) ? DemoTeam.SignInLines()
            : await team.IsEmptyAsync(cancellationToken)
                ? ["Nobody can sign in yet: create the first admin with", "  dotnet run --project src/HealthDashboard -- users add EMAIL --role Admin"]
                : [];
        foreach (var line in lines)
        {
            // The console, not the log: a person starting the app reads this, whatever the log levels say.
            await Console.Out.WriteLineAsync(line);
        }
    }
}
