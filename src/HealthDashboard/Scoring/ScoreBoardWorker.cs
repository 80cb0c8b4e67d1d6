using HealthDashboard.Data;

namespace HealthDashboard.Scoring;

/// <summary>
/// Background start-up: migrate, seed demo data into an empty database when configured
/// (<c>Demo:SeedWhenEmpty</c>), score, then move the as-of time on every few minutes.
/// </summary>
public sealed class ScoreBoardWorker(DatabaseInitializer initializer, ScoreBoard board, IServiceProvider services, IConfiguration configuration, ILogger<ScoreBoardWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await initializer.InitializeAsync(stoppingToken);
            await DemoSeeding.SeedIfEmptyAsync(services, configuration, stoppingToken);
            await board.RefreshAsync(rescoreHistory: true, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Start-up scoring failed");
        }

        var minutes = Math.Max(1, configuration.GetValue("Scoring:RefreshMinutes", 10));
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await board.RefreshAsync(rescoreHistory: false, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Periodic scoring failed");
            }
        }
    }
}

/// <summary>Fills an empty database with the demo data set on first start (wired once the generator exists).</summary>
internal static class DemoSeeding
{
    public static Task SeedIfEmptyAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken) => Task.CompletedTask;
}
