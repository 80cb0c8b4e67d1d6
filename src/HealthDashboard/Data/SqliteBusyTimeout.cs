using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HealthDashboard.Data;

/// <summary>
/// Lets SQLite itself wait for a lock another connection holds (<c>PRAGMA busy_timeout</c>, as long as the
/// connection's <see cref="SqliteConnection.DefaultTimeout"/>), set on every connection the store opens.
/// </summary>
/// <remarks>
/// Without it Microsoft.Data.Sqlite retries a busy statement itself, sleeping 150 ms between tries: every time an
/// import's <c>BEGIN IMMEDIATE</c> met a short write of the snapshot worker or the score board (a few milliseconds),
/// the import lost 150 ms, a third of the API's ingestion rate under load. SQLite's own busy handler polls after 1, 2,
/// 5, 10 ... ms, so the waiter gets the lock soon after it is released. The overall limit stays the same: SQLite gives
/// up after the timeout and the driver, its own timer past it too, throws the busy error the callers answer.
/// </remarks>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // A pragma without I/O: SQLite completes it synchronously, so there is nothing to await.
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets the busy timeout of <paramref name="connection"/> when it is SQLite (nothing otherwise).</summary>
    public static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {Math.Max(0, sqlite.DefaultTimeout) * 1000L};");
        command.ExecuteNonQuery();
    }
}
