using HealthDashboard.Data;
using Npgsql;

namespace HealthDashboard.Scores;

/// <summary>
/// Several instances on one PostgreSQL database: every instance LISTENs on <see cref="Channel"/>, and triggers on
/// the tables whose new rows change the scores (import batches, model versions, overrides; see the PostgreSQL
/// migration <c>MultiInstance</c>) NOTIFY it when the writing transaction commits, whoever wrote (another
/// instance, the command line, the API). A notification requests a re-score (<see cref="RescoreTrigger"/>), so
/// every instance scores a change within a second instead of at its next store-version check (every 5 s, which
/// stays as the fallback, e.g. while this connection is being re-established). The instance that made the change
/// is notified too; its second request finds nothing new and costs one incremental refresh.
/// </summary>
public sealed class PostgresChangeListener(StoreOptions store, RescoreTrigger trigger, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    /// <summary>The notification channel the triggers use.</summary>
    public const string Channel = "healthdashboard_changes";

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised for each notification received (after the re-score was requested) with its table; for tests and logs.</summary>
    public event Action<string>? Notified;

    /// <summary>Completes once the first LISTEN is in place.</summary>
    public Task Listening => listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.Provider != DatabaseProvider.Postgres)
        {
            // One SQLite file has one app on it; the command line's changes are found by the store-version check.
            return;
        }

        // A connection of its own, outside the pool: it stays open and waits.
        var connectionString = new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false, KeepAlive = 30 }.ToString();
        var reconnecting = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) =>
                {
                    trigger.Request();
                    Notified?.Invoke(e.Payload);
                };
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (reconnecting)
                {
                    // Changes may have been committed while nothing listened.
                    trigger.Request();
                }

                reconnecting = true;
                listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Listening for changes by other instances failed; trying again in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
