using HealthDashboard.Scores;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Faults;

/// <summary>
/// How the store's SQLite connections meet another connection's write lock: SQLite itself waits (busy_timeout, as long
/// as the connection's timeout) instead of the driver's 150 ms retry sleeps, and a snapshot back-fill that finds
/// nothing to do never asks for the lock at all, so the API's imports do not queue behind it.
/// </summary>
public sealed class WriteLockWaitTests : IAsyncLifetime
{
    private TestStore store = null!;

    public async Task InitializeAsync() =>
        store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Every_connection_of_the_store_lets_SQLite_wait_for_a_lock_as_long_as_its_timeout()
    {
        await using var db = await store.DbAsync();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout;";

        Assert.Equal(connection.DefaultTimeout * 1000L, (long)(await command.ExecuteScalarAsync())!);
        Assert.True(connection.DefaultTimeout > 0);
    }

    [Fact]
    public async Task A_back_fill_gives_the_pool_its_connections_back_with_SQLites_own_durability_and_checkpoint_settings()
    {
        long[] Settings(System.Data.Common.DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous;";
            var synchronous = (long)command.ExecuteScalar()!;
            command.CommandText = "PRAGMA wal_autocheckpoint;";
            return [synchronous, (long)command.ExecuteScalar()!];
        }

        long[] expected;
        using (var fresh = store.OpenConnection())
        {
            expected = Settings(fresh);
        }

        Assert.Equal(SnapshotStore.DefaultHistoryDays, await store.Get<SnapshotStore>().BackfillAsync(TestPortfolio.AsOf.Date));

        // The writer relaxed its own connection's (synchronous NORMAL, no automatic checkpoint): several pooled
        // connections at once, so the writer's is among them.
        var contexts = new List<HealthDashboard.Data.HealthDbContext>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var db = await store.DbAsync();
                contexts.Add(db);
                await db.Database.OpenConnectionAsync();
                Assert.Equal(expected, Settings(db.Database.GetDbConnection()));
            }
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_back_fill_with_nothing_to_do_runs_while_another_connection_holds_the_write_lock()
    {
        var snapshots = store.Get<SnapshotStore>();
        var lastDay = TestPortfolio.AsOf.Date;
        Assert.Equal(SnapshotStore.DefaultHistoryDays, await snapshots.BackfillAsync(lastDay));

        using var holder = store.OpenConnection();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
        }

        // Before: an empty DELETE of the days outside the history waited for the lock, then failed as busy.
        Assert.Equal(0, await snapshots.BackfillAsync(lastDay).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Null(snapshots.Status.Error);
    }
}
