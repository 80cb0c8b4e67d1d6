using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Npgsql;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 20 (issue 11): the 100-million-event case on PostgreSQL, scored end to end once. Only when
/// <c>HEALTHDASHBOARD_BENCH_100M=1</c> is set, at full scale and with a PostgreSQL server configured (not in
/// <c>--quick</c>, not in CI): it writes about 20 GB and takes tens of minutes. Into a fresh database the importer loads
/// part 2's accounts, users and event types (10,000 accounts, 100,000 users); the server then generates 100 million raw
/// events (count 1) over the 30-day window with one <c>INSERT ... SELECT</c> from <c>generate_series</c>, in time order,
/// each of a user drawn uniformly and an event type drawn with a skew (the first types the most used), so nothing of
/// the size crosses the wire; the roll-up is computed by <see cref="UsageRollup.RebuildAsync"/> (the same
/// <c>GROUP BY</c> the raw rows' check uses). Then a fresh app scores the portfolio (ScoringService.ScoreAtAsync at the
/// window's midnight, then at noon) and its peak resident set is read. The database is dropped at the end.
/// </summary>
public sealed class HundredMillionBench : BenchPart
{
    /// <summary>The environment variable that turns the part on ("1").</summary>
    public const string FlagVariable = "HEALTHDASHBOARD_BENCH_100M";

    private const string Database = "hd_bench_100m";

    private const long Events = 100_000_000;

    // One statement, streamed: generate_series in the select list (a ProjectSet, not a FunctionScan that would
    // materialise 100 million rows first); the users' and event types' ids in arrays read once.
    private const string GenerateSql = """
        INSERT INTO "Usage" ("Id", "AccountId", "UserId", "EventTypeId", "Timestamp", "Count")
        SELECT s.g, r.accounts[p.u], r.users[p.u], r.events[p.e], @from + s.g * @step, 1
        FROM (SELECT array_agg("Id" ORDER BY "Id") AS users, array_agg("AccountId" ORDER BY "Id") AS accounts,
                     (SELECT array_agg("Id" ORDER BY "Id") FROM "EventTypes") AS events FROM "AccountUsers") AS r
        CROSS JOIN (SELECT generate_series(1::bigint, @events) AS g) AS s
        CROSS JOIN LATERAL (SELECT 1 + (hashint8extended(s.g, 1) & 2147483647) % array_length(r.users, 1) AS u,
               1 + floor(array_length(r.events, 1) * power((hashint8extended(s.g, 2) & 2147483647)::float8 / 2147483648, 3))::int AS e) AS p
        """;

    public override int Number => 20;

    public override string Title => "100 million events on PostgreSQL";

    private static bool Enabled(Scale scale) =>
        !scale.Quick && Environment.GetEnvironmentVariable(FlagVariable) == "1" && PostgresDatabase.Server is not null;

    public override Task PrepareAsync(Scale scale, TextWriter log)
    {
        if (Enabled(scale))
        {
            CsvFolders.Ensure(scale.Portfolio, log);
        }

        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        if (!Enabled(scale))
        {
            log.WriteLine($"  skipped: set {FlagVariable}=1 (full scale, with a PostgreSQL server) to run the 100-million-event case.");
            return [];
        }

        var server = PostgresDatabase.Server!;
        var database = await PostgresDatabase.RecreateAsync(server, Database);
        try
        {
            using (var app = await AppHost.OpenAsync(databaseFile: null, PostgresDatabase.AppConfiguration(database)))
            {
                var reference = await app.Get<FolderImporter>().ImportFolderAsync(CsvFolders.PathsFor(scale.Portfolio).Reference, "bench");
                log.WriteLine($"  reference: {reference.Summary}");
            }

            DateTime asOf = PortfolioSpec.AsOf, from = asOf.AddDays(-PortfolioSpec.WindowDays);
            log.WriteLine($"  generating {Events:N0} events on the server...");
            var generation = await TimedAsync(database, GenerateSql, command =>
            {
                command.Parameters.AddWithValue("from", from.Ticks);
                command.Parameters.AddWithValue("step", (asOf - from).Ticks / Events);
                command.Parameters.AddWithValue("events", Events);
            });
            // The identity sequence past the generated ids, as PostgresUsageCopy leaves it.
            await TimedAsync(database, """SELECT setval(pg_get_serial_sequence('"Usage"', 'Id'), (SELECT max("Id") FROM "Usage"))""");
            log.WriteLine($"  generated in {generation / 1000:N0} s; rolling up...");
            var rollup = await RollUpAsync(database);
            var analyze = await TimedAsync(database, "VACUUM ANALYZE");
            var groups = await CountAsync(database, """SELECT count(*) FROM "UsageDaily" """);
            var megabytes = await CountAsync(database, "SELECT pg_database_size(current_database()) / 1048576");
            log.WriteLine($"  roll-up {rollup / 1000:N0} s ({groups:N0} groups), vacuum and analyze {analyze / 1000:N0} s, database {megabytes:N0} MB");

            NpgsqlConnection.ClearAllPools();
            GC.Collect();
            PeakMemory.Reset();
            double score, scoreNoon;
            using (var app = await AppHost.OpenAsync(databaseFile: null, PostgresDatabase.AppConfiguration(database)))
            {
                var service = app.Get<ScoringService>();
                (_, score) = await Timing.OnceAsync(() => service.ScoreAtAsync(asOf));
                (_, scoreNoon) = await Timing.OnceAsync(() => service.ScoreAtAsync(asOf.AddHours(-12)));
            }

            var peak = PeakMemory.PeakMegabytes();
            log.WriteLine($"  scored in {score:N0} ms (at noon {scoreNoon:N0} ms), peak resident set {peak:N0} MB");
            return
            [
                new(Number, $"100M: generation of {Events:N0} events on the server (INSERT ... SELECT generate_series)", generation / 1000, "s"),
                new(Number, $"100M: roll-up of the raw rows (UsageRollup.RebuildAsync, {groups:N0} groups)", rollup / 1000, "s"),
                new(Number, "100M: VACUUM ANALYZE after the load", analyze / 1000, "s"),
                new(Number, "100M: database size", megabytes, "MB"),
                new(Number, "100M: first ScoreAtAsync at midnight (fresh app: reference, roll-up read, aggregate, score)", score / 1000, "s"),
                new(Number, "100M: ScoreAtAsync at noon (two edge days grouped by the database)", scoreNoon / 1000, "s"),
                new(Number, "100M: peak resident set of the app while scoring", peak, "MB"),
            ];
        }
        finally
        {
            await PostgresDatabase.DropAsync(server, Database);
        }
    }

    /// <summary>Rebuilds the roll-up in one transaction, with room to hash its groups; returns the milliseconds.</summary>
    private static async Task<double> RollUpAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var setting = new NpgsqlCommand("SET work_mem = '256MB'", connection))
        {
            await setting.ExecuteNonQueryAsync();
        }

        var (_, milliseconds) = await Timing.OnceAsync(async () =>
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await UsageRollup.RebuildAsync(connection, transaction);
            await transaction.CommitAsync();
            return 0;
        });
        return milliseconds;
    }

    private static async Task<double> TimedAsync(string database, string sql, Action<NpgsqlCommand>? parameters = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        parameters?.Invoke(command);
        var (_, milliseconds) = await Timing.OnceAsync(() => command.ExecuteNonQueryAsync());
        return milliseconds;
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
