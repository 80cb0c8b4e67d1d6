using System.Data.Common;
using HealthDashboard.Data;
using HealthDashboard.Import;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HealthDashboard.Tests.Import;

/// <summary>
/// The importer's usage writers (<see cref="SqliteUsageWriter"/>, <see cref="PostgresUsageWriter"/>, each on the
/// caller's thread and in the background) with a roll-up limit of a few groups, so that one file's groups are flushed many
/// times (on PostgreSQL each flush ends the COPY, merges and starts a new one): the stored roll-up still equals the one
/// recomputed from the raw rows, group by group.
/// </summary>
public abstract class UsageWriterTests(DatabaseProvider engine) : IAsyncLifetime
{
    private ImportTestDatabase db = null!;

    /// <summary>The test's store (ImportTestDatabase's own helpers).</summary>
    private protected ImportTestDatabase Database => this.db;

    public async Task InitializeAsync() => this.db = await ImportTestDatabase.CreateAsync(engine);

    public async Task DisposeAsync() => await this.db.DisposeAsync();

    [Fact]
    public async Task A_file_flushed_every_few_groups_stores_the_rollup_its_raw_rows_make()
    {
        // ImportData's rows first: its group (A1, U1, login, Nov 1) is met again below and must add up.
        var imported = await this.db.ImportAsync(ImportData.All);
        Assert.True(imported.Succeeded, string.Join("\n", imported.Problems));
        await using var context = await this.db.DbAsync();
        var account = await context.Accounts.ToDictionaryAsync(a => a.ExternalId, a => a.Id);
        var user = await context.Users.ToDictionaryAsync(u => u.ExternalId, u => u.Id);
        var type = await context.EventTypes.ToDictionaryAsync(e => e.Key, e => e.Id);
        var nov1 = ImportData.Utc(2026, 11, 1);

        // 60 rows over 6 days (Nov 1-4 have roll-up rows, Nov 5-6 not yet), 2 accounts, 3 users or none, 2 event types,
        // some exactly at midnight, in no key order.
        var rows = Enumerable.Range(0, 60).Select(i => (
            Account: account[i % 3 == 2 ? "A2" : "A1"],
            User: i % 3 == 2 ? (i % 2 == 0 ? (int?)null : user["U3"]) : user[i % 2 == 0 ? "U1" : "U2"],
            Type: type[i % 4 == 0 ? "report" : "login"],
            Ticks: nov1.AddDays(i * 7 % 6).AddMinutes(i % 5 == 0 ? 0 : i * 37 % 1440).Ticks,
            Count: 1 + i % 4)).ToList();

        await context.Database.OpenConnectionAsync();
        var connection = context.Database.GetDbConnection();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await WriteAsync(connection, rows);
            await transaction.CommitAsync();
        }

        Assert.Empty(await UsageRollup.FindDifferencesAsync(connection));
        Assert.Equal(4 + rows.Count, await context.Usage.CountAsync());
        // One group by hand: A1, U1, login, Nov 1, not at midnight: ImportData's 09:00 row (count 1) and these rows.
        var expected = rows.Where(r => (r.Account, r.User, r.Type) == (account["A1"], user["U1"], type["login"])
            && r.Ticks / TimeSpan.TicksPerDay == nov1.Ticks / TimeSpan.TicksPerDay && r.Ticks % TimeSpan.TicksPerDay != 0).ToList();
        Assert.NotEmpty(expected);
        var stored = await context.UsageDaily.SingleAsync(d => d.Day == (int)(nov1.Ticks / TimeSpan.TicksPerDay)
            && d.AccountId == account["A1"] && d.UserId == user["U1"] && d.EventTypeId == type["login"] && !d.AtMidnight);
        Assert.Equal((1 + expected.Sum(r => r.Count), Math.Max(ImportData.Utc(2026, 11, 1, 9).Ticks, expected.Max(r => r.Ticks))),
            (stored.Count, stored.LastTimestamp));
    }

    private async Task WriteAsync(DbConnection connection, List<(int Account, int? User, int Type, long Ticks, int Count)> rows)
    {
        const int maxGroups = 3;
        var stages = new ImportStages();
        if (engine == DatabaseProvider.Postgres)
        {
            // The first half written from the caller's thread (flushed by the caller), the rest by the background writer
            // (the importer's, which flushes by itself).
            foreach (var (half, inBackground) in new[] { (rows[..(rows.Count / 2)], false), (rows[(rows.Count / 2)..], true) })
            {
                await using var writer = await PostgresUsageWriter.BeginAsync((NpgsqlConnection)connection, stages, maxGroups, inBackground, CancellationToken.None);
                foreach (var row in half)
                {
                    writer.Add(row.Account, row.User, row.Type, row.Ticks, row.Count);
                    if (writer.Full)
                    {
                        await writer.FlushAsync(CancellationToken.None);
                    }
                }

                await writer.CompleteAsync(CancellationToken.None);
            }
        }
        else
        {
            // The first half stored on the caller's thread (an API batch), the rest on the background writer (a large file).
            foreach (var (half, inBackground) in new[] { (rows[..(rows.Count / 2)], false), (rows[(rows.Count / 2)..], true) })
            {
                using var writer = new SqliteUsageWriter((SqliteConnection)connection, stages, inBackground, maxGroups);
                foreach (var row in half)
                {
                    writer.Add(row.Account, row.User, row.Type, row.Ticks, row.Count);
                }

                writer.Complete();
            }
        }

        Assert.Contains(stages.ToList(), s => s.Name == "roll-up");
    }
}

/// <summary>The SQLite writer's background thread.</summary>
public sealed class UsageWriterSqliteTests() : UsageWriterTests(DatabaseProvider.Sqlite)
{
    [Fact]
    public async Task A_row_the_database_refuses_on_the_background_writer_fails_the_import_and_frees_the_connection()
    {
        await using var context = await Database.DbAsync();
        await context.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)context.Database.GetDbConnection();
        using (var trigger = connection.CreateCommand())
        {
            trigger.CommandText = """CREATE TEMP TRIGGER refuse_99 BEFORE INSERT ON "Usage" WHEN NEW."Count" = 99 BEGIN SELECT RAISE(ABORT, 'count 99 refused'); END""";
            trigger.ExecuteNonQuery();
        }

        await using var transaction = await connection.BeginTransactionAsync();
        var error = Assert.Throws<SqliteException>(() =>
        {
            using var writer = new SqliteUsageWriter(connection, new ImportStages(), inBackground: true);
            // Well past the first chunks, so the failure meets the reader at a hand-over or at the end.
            for (var i = 0; i < 50_000; i++)
            {
                writer.Add(1, null, 1, ImportData.Utc(2026, 11, 1).AddSeconds(i).Ticks, i == 20_000 ? 99 : 1);
            }

            writer.Complete();
        });

        Assert.Contains("count 99 refused", error.Message);
        // The writer's thread has let go of the connection: the transaction rolls back and the connection runs on.
        await transaction.RollbackAsync();
        Assert.Equal(0, await context.Usage.CountAsync());
    }
}

/// <summary>
/// PostgreSQL's raw usage has no primary key (migration UsageWithoutIdBtree): the ids' uniqueness and the newest id
/// come from the writer's numbering and the identity sequence.
/// </summary>
public sealed class UsageWriterPostgresTests() : UsageWriterTests(DatabaseProvider.Postgres)
{
    [Fact]
    public async Task Ids_stay_distinct_across_flushes_and_the_newest_is_found_when_the_sequence_ran_far_ahead()
    {
        await using var context = await Database.DbAsync();
        var (connection, account, type) = await ImportedAsync(context);
        Assert.Equal(0L, await ScalarAsync(connection, """SELECT count(*) FROM pg_constraint WHERE conname = 'PK_Usage'"""));
        var before = await UsageRollup.LastUsageIdAsync(connection, null);
        Assert.Equal(await ScalarAsync(connection, """SELECT max("Id") FROM "Usage" """), before);

        // Flushed after every 2 groups: each flush starts a new COPY, which must go on with the ids, not reuse them.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var writer = await PostgresUsageWriter.BeginAsync(connection, new ImportStages(), 2, CancellationToken.None);
            for (var i = 0; i < 20; i++)
            {
                writer.Add(account, null, type, ImportData.Utc(2026, 11, 1 + i % 5, 10).Ticks, 1);
                if (writer.Full)
                {
                    await writer.FlushAsync(CancellationToken.None);
                }
            }

            await writer.CompleteAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(20L, await ScalarAsync(connection, $"""SELECT count(DISTINCT "Id") FROM "Usage" WHERE "Id" > {before}"""));
        Assert.Equal(before + 20, await UsageRollup.LastUsageIdAsync(connection, null));

        // An import that took many ids and rolled back leaves the sequence far past every stored id (setval is not
        // transactional): the newest stored id is still the answer, and the next writer starts past the sequence.
        var farAhead = before + 20 + 3 * UsageRollup.NewestIdsScanned;
        await ScalarAsync(connection, $"""SELECT setval(pg_get_serial_sequence('"Usage"', 'Id'), {farAhead})""");
        Assert.Equal(before + 20, await UsageRollup.LastUsageIdAsync(connection, null));
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var copy = await PostgresUsageCopy.BeginAsync(connection, CancellationToken.None);
            copy.Write(account, null, type, ImportData.Utc(2026, 11, 6, 10).Ticks, 1);
            await copy.CompleteAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(farAhead + 1, await UsageRollup.LastUsageIdAsync(connection, null));
    }

    [Fact]
    public async Task Several_large_days_in_time_order_written_in_the_background_store_their_rollup_day_by_day()
    {
        await using var context = await Database.DbAsync();
        var (connection, account, type) = await ImportedAsync(context);
        // Three days after ImportData's (no roll-up rows yet), each with more groups than a day flush needs: raw usage has
        // no foreign keys on PostgreSQL, so stand-in user ids make the groups (a quarter of the rows repeat a group).
        var day0 = ImportData.Utc(2026, 11, 10);
        var usersPerDay = PostgresUsageWriter.MinGroupsPerDayFlush + 800;
        var rowsPerDay = usersPerDay * 4 / 3;
        var rows = Enumerable.Range(0, 3 * rowsPerDay)
            .Select(i => (Ticks: day0.AddDays(i / rowsPerDay).AddSeconds(1 + (i % rowsPerDay)).Ticks, User: 1_000_000 + (i % rowsPerDay % usersPerDay)))
            .ToList();

        var stages = new ImportStages();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var writer = await PostgresUsageWriter.BeginAsync(connection, stages, UsageDailySums.MaxGroups, inBackground: true, CancellationToken.None);
            foreach (var (ticks, user) in rows)
            {
                writer.Add(account, user, type, ticks, 1);
                Assert.False(writer.Full);
            }

            await writer.CompleteAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Empty(await UsageRollup.FindDifferencesAsync(connection));
        var firstDay = (int)(day0.Ticks / TimeSpan.TicksPerDay);
        Assert.Equal(3 * usersPerDay, await context.UsageDaily.CountAsync(d => d.Day >= firstDay));
        Assert.Equal(rows.Count, await context.UsageDaily.Where(d => d.Day >= firstDay).SumAsync(d => d.Count));
        Assert.Contains(stages.ToList(), s => s.Name == "waiting for the usage writer");
    }

    [Fact]
    public async Task A_row_the_database_refuses_on_the_background_writer_fails_the_import_and_frees_the_connection()
    {
        await using var context = await Database.DbAsync();
        var (connection, account, type) = await ImportedAsync(context);
        var stored = await context.Usage.CountAsync();
        await ScalarAsync(connection, """
            CREATE FUNCTION pg_temp.refuse_99() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN IF NEW."Count" = 99 THEN RAISE EXCEPTION 'count 99 refused'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_99 BEFORE INSERT ON "Usage" FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_99();
            SELECT 0
            """);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var error = await Assert.ThrowsAsync<PostgresException>(async () =>
            {
                await using var writer = await PostgresUsageWriter.BeginAsync(connection, new ImportStages(), 4, inBackground: true, CancellationToken.None);
                // Well past the first chunks and several flushes, so the failure meets the reader at a hand-over or at the end.
                for (var i = 0; i < 50_000; i++)
                {
                    writer.Add(account, null, type, ImportData.Utc(2026, 11, 10).AddSeconds(i).Ticks, i == 20_000 ? 99 : 1);
                }

                await writer.CompleteAsync(CancellationToken.None);
            });

            Assert.Contains("count 99 refused", error.Message);
            // The writer's thread has let go of the connection: the transaction rolls back and the connection runs on.
            await transaction.RollbackAsync();
        }
        finally
        {
            await ScalarAsync(connection, """DROP TRIGGER refuse_99 ON "Usage"; SELECT 0""");
        }

        Assert.Equal(stored, await context.Usage.CountAsync());
    }

    /// <summary>
    /// Imports the reference data and opens <paramref name="context"/>'s connection: the connection, and the first
    /// account's and event type's ids for the rows a test writes.
    /// </summary>
    private async Task<(NpgsqlConnection Connection, int Account, int Type)> ImportedAsync(HealthDbContext context)
    {
        Assert.True((await Database.ImportAsync(ImportData.All)).Succeeded);
        await context.Database.OpenConnectionAsync();
        return ((NpgsqlConnection)context.Database.GetDbConnection(), await context.Accounts.MinAsync(a => a.Id), await context.EventTypes.MinAsync(e => e.Id));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
