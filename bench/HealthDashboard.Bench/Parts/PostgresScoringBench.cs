using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Scores;
using Npgsql;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 19 (issue 11): part 2 and part 10 on PostgreSQL. Part 2's portfolio (10,000 accounts, 10 million raw
/// events in the window) imported once through the app's importer into a kept database
/// (<see cref="PostgresDatabase.EnsurePortfolioAsync"/>); scoring from it (ScoringService.ScoreAtAsync at the
/// window's midnight, whole days from the roll-up, and at noon, the two edge days grouped by the database) beside the
/// engine's own <c>SELECT "AccountId", "EventTypeId", sum("Count") ... GROUP BY</c> over the window's raw rows, the
/// issue's yardstick on PostgreSQL, timed through Npgsql with every row read, interleaved round by round. Then part
/// 10's refresh after a one-day import of 100,000 rows, on a copy of that database (<c>CREATE DATABASE ... TEMPLATE</c>).
/// Skipped (no figures) when no PostgreSQL server is configured.
/// </summary>
public sealed class PostgresScoringBench : BenchPart
{
    public override int Number => 19;

    public override string Title => "scoring and refresh on PostgreSQL";

    public override async Task PrepareAsync(Scale scale, TextWriter log)
    {
        if (PostgresDatabase.Server is { } server)
        {
            await PostgresDatabase.EnsurePortfolioAsync(server, scale.Portfolio, log);
        }
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        if (PostgresDatabase.Server is not { } server)
        {
            log.WriteLine("  no PostgreSQL server (HEALTHDASHBOARD_BENCH_POSTGRES or HEALTHDASHBOARD_TEST_POSTGRES): skipped.");
            return [];
        }

        var name = await PostgresDatabase.EnsurePortfolioAsync(server, scale.Portfolio, log);
        var figures = new List<Figure>(await ScoringAsync(scale, PostgresDatabase.On(server, name), log));
        var copy = await PostgresDatabase.RecreateAsync(server, "hd_bench_refresh", template: name);
        var folder = Path.Combine(CacheFolder.Path, $"pg-refresh-{Environment.ProcessId}");
        try
        {
            var configuration = new Dictionary<string, string?>(RefreshBench.PinnedClock);
            foreach (var (key, value) in PostgresDatabase.AppConfiguration(copy))
            {
                configuration[key] = value;
            }

            using var app = await AppHost.OpenAsync(databaseFile: null, configuration);
            var rows = scale.Quick ? 5_000 : 100_000;
            figures.AddRange(await RefreshBench.MeasureAsync(app, folder, rows, Number, "PostgreSQL: ", log));
        }
        finally
        {
            await PostgresDatabase.DropAsync(server, "hd_bench_refresh");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return figures;
    }

    private async Task<IReadOnlyList<Figure>> ScoringAsync(Scale scale, string database, TextWriter log)
    {
        DateTime asOf = PortfolioSpec.AsOf, from = asOf.AddDays(-PortfolioSpec.WindowDays), noon = asOf.AddHours(-12);
        using var app = await AppHost.OpenAsync(databaseFile: null, PostgresDatabase.AppConfiguration(database));
        var service = app.Get<ScoringService>();
        var rows = await ScalarAsync(database, """SELECT count(*) FROM "Usage" WHERE "Timestamp" > @from AND "Timestamp" <= @to""", from, asOf);
        var groups = await ScalarAsync(database, """SELECT count(*) FROM "UsageDaily" WHERE "LastTimestamp" > @from AND "LastTimestamp" <= @to""", from, asOf);
        log.WriteLine($"  {rows:N0} usage rows and {groups:N0} roll-up rows in the window");

        // Warm-up: JIT, and the tables in the server's and the OS's caches for everything below.
        await service.ScoreAtAsync(asOf);
        await GroupByAsync(database, from, asOf);

        List<double> scoreAt = [], scoreAtNoon = [], groupBy = [], ratios = [];
        for (var round = 0; round < scale.SlowRuns; round++)
        {
            await PeakMemory.CollectAsync(returnMemory: false);
            var (_, scoreMs) = await Timing.OnceAsync(() => service.ScoreAtAsync(asOf));
            await PeakMemory.CollectAsync(returnMemory: false);
            var (_, noonMs) = await Timing.OnceAsync(() => service.ScoreAtAsync(noon));
            var (groupRows, groupByMs) = await Timing.OnceAsync(() => GroupByAsync(database, from, asOf));
            scoreAt.Add(scoreMs);
            scoreAtNoon.Add(noonMs);
            groupBy.Add(groupByMs);
            ratios.Add(scoreMs / groupByMs);
            log.WriteLine($"  round {round + 1}: ScoreAtAsync {scoreMs:N0} ms, at noon {noonMs:N0} ms; GROUP BY account, event type ({groupRows:N0} groups) {groupByMs:N0} ms");
        }

        return
        [
            new(Number, $"PostgreSQL: ScoreAtAsync at midnight, {rows:N0} raw rows ({groups:N0} roll-up rows) in the window: median of {scale.SlowRuns}", new Samples(scoreAt).Median, "ms"),
            new(Number, "PostgreSQL: ScoreAtAsync at noon (two edge days grouped by the database)", new Samples(scoreAtNoon).Median, "ms"),
            new(Number, "PostgreSQL: the engine's SELECT account, event type, sum(count) ... GROUP BY over the window (Npgsql, rows read)", new Samples(groupBy).Median, "ms"),
            new(Number, "PostgreSQL: ratio ScoreAtAsync / GROUP BY (median of per-round ratios)", new Samples(ratios).Median, "x", Target.Under(2)),
        ];
    }

    /// <summary>The engine's own aggregation of the window's raw rows per account and event type, every group read; returns the number of groups.</summary>
    private static async Task<int> GroupByAsync(string database, DateTime from, DateTime to)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT "AccountId", "EventTypeId", sum("Count") FROM "Usage" WHERE "Timestamp" > @from AND "Timestamp" <= @to GROUP BY 1, 2""", connection)
        {
            CommandTimeout = 0,
        };
        command.Parameters.AddWithValue("from", from.Ticks);
        command.Parameters.AddWithValue("to", to.Ticks);
        await using var reader = await command.ExecuteReaderAsync();
        var groups = 0;
        while (await reader.ReadAsync())
        {
            _ = reader.GetInt32(0) + reader.GetInt32(1) + reader.GetInt64(2);
            groups++;
        }

        return groups;
    }

    private static async Task<long> ScalarAsync(string database, string sql, DateTime from, DateTime to)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("from", from.Ticks);
        command.Parameters.AddWithValue("to", to.Ticks);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
