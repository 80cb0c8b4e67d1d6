using System.Diagnostics;
using System.Globalization;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Scoring;
using Microsoft.Data.Sqlite;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 2: scoring from the SQLite file (ScoringService.ScoreAtAsync: load + aggregate + score) beside
/// the time the SQLite engine itself needs to sum the window's usage per account and event type, in
/// the same run over the same file (page cache warm for both: each is run once untimed first).
/// The breakdown (load, aggregate, score, and a bare read of the loader's rows) says where the time goes.
/// </summary>
public sealed class SqliteScoringBench : BenchPart
{
    private const string SqliteShell = "/usr/bin/sqlite3";

    public override int Number => 2;

    public override string Title => "scoring from SQLite";

    public override Task PrepareAsync(Scale scale, TextWriter log) => SqliteDatabase.EnsureAsync(scale.Portfolio, log);

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var spec = scale.Portfolio;
        var file = SqliteDatabase.PathFor(spec);
        DateTime asOf = PortfolioSpec.AsOf, from = asOf.AddDays(-PortfolioSpec.WindowDays);
        using var app = await AppHost.OpenAsync(file);
        var service = app.Get<ScoringService>();
        var loader = app.Get<PortfolioLoader>();

        var rows = await CountWindowRowsAsync(file, from, asOf);
        log.WriteLine($"  {rows:N0} usage rows in the window of {file}");

        var scoreAt = await Timing.MeasureAsync(1, scale.SlowRuns, _ => service.ScoreAtAsync(asOf));

        // The same three steps ScoreAtAsync takes, timed one by one.
        var model = (await loader.LoadModelAsync()).Model;
        PortfolioData data = null!;
        WindowAggregates aggregates = null!;
        var load = await Timing.MeasureAsync(0, scale.SlowRuns, async _ => data = await loader.LoadAsync(from, asOf));
        var build = Timing.Measure(0, scale.SlowRuns, _ => aggregates = WindowAggregates.Build(data, asOf, model.WindowDays));
        var score = Timing.Measure(0, scale.SlowRuns, _ => Scorer.Score(aggregates, model));
        data = null!;
        aggregates = null!;

        var bareRead = await Timing.MeasureAsync(1, scale.SlowRuns, _ => ReadLoaderRowsAsync(file, from, asOf));
        var groupByAdo = await Timing.MeasureAsync(1, scale.SlowRuns, _ => GroupByThroughAdoNetAsync(file, from, asOf));
        var groupByShell = await GroupByThroughShellAsync(file, from, asOf, scale.SlowRuns);

        var what = $"{spec.Accounts:N0} accounts, {rows:N0} rows in window";
        var figures = new List<Figure>
        {
            new(2, $"ScoringService.ScoreAtAsync, {what}: median of {scoreAt.Count}", scoreAt.Median, "ms"),
            new(2, "  of which PortfolioLoader.LoadAsync (read + map rows)", load.Median, "ms"),
            new(2, "  of which WindowAggregates.Build", build.Median, "ms"),
            new(2, "  of which Scorer.Score", score.Median, "ms"),
            new(2, "Bare ADO.NET read of the loader's window query (no mapping)", bareRead.Median, "ms"),
            new(2, "Engine via Microsoft.Data.Sqlite: GROUP BY AccountId, EventTypeId", groupByAdo.Median, "ms"),
        };
        if (groupByShell is { } shell)
        {
            figures.Add(new(2, "Engine via sqlite3 shell: same GROUP BY (.timer real)", shell.Median, "ms"));
            figures.Add(new(2, "Ratio ScoreAtAsync / sqlite3 GROUP BY", scoreAt.Median / shell.Median, "x", Target.Under(2)));
        }
        else
        {
            log.WriteLine($"  {SqliteShell} not found: the ratio uses the Microsoft.Data.Sqlite figure.");
            figures.Add(new(2, "Ratio ScoreAtAsync / Microsoft.Data.Sqlite GROUP BY (no sqlite3 shell)", scoreAt.Median / groupByAdo.Median, "x", Target.Under(2)));
        }

        return figures;
    }

    private static string GroupBySql(DateTime from, DateTime to) =>
        $"SELECT AccountId, EventTypeId, SUM(Count) FROM Usage WHERE Timestamp > {from.Ticks} AND Timestamp <= {to.Ticks} GROUP BY AccountId, EventTypeId";

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task<long> CountWindowRowsAsync(string file, DateTime from, DateTime to)
    {
        await using var connection = Open(file);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM Usage WHERE Timestamp > {from.Ticks} AND Timestamp <= {to.Ticks}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The loader's query, read column by column into nothing: the floor of any loader over ADO.NET.</summary>
    private static async Task ReadLoaderRowsAsync(string file, DateTime from, DateTime to)
    {
        await using var connection = Open(file);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT "Timestamp", "AccountId", "EventTypeId", "UserId", "Count" FROM "Usage" INDEXED BY "IX_Usage_Window"
            WHERE "Timestamp" > {from.Ticks} AND "Timestamp" <= {to.Ticks} ORDER BY "Timestamp"
            """;
        await using var reader = await command.ExecuteReaderAsync();
        long checksum = 0;
        while (reader.Read())
        {
            checksum += reader.GetInt64(0) + reader.GetInt32(1) + reader.GetInt32(2) + (reader.IsDBNull(3) ? 0 : reader.GetInt32(3)) + reader.GetInt32(4);
        }

        GC.KeepAlive(checksum);
    }

    private static async Task GroupByThroughAdoNetAsync(string file, DateTime from, DateTime to)
    {
        await using var connection = Open(file);
        await using var command = connection.CreateCommand();
        command.CommandText = GroupBySql(from, to);
        await using var reader = await command.ExecuteReaderAsync();
        long total = 0;
        while (reader.Read())
        {
            total += reader.GetInt64(2);
        }

        GC.KeepAlive(total);
    }

    /// <summary>
    /// The query in the sqlite3 shell, once untimed and <paramref name="runs"/> times timed, each time
    /// by the shell's own <c>.timer</c> (the result rows go to /dev/null, the timer lines to stdout).
    /// </summary>
    private static async Task<Samples?> GroupByThroughShellAsync(string file, DateTime from, DateTime to, int runs)
    {
        if (!File.Exists(SqliteShell))
        {
            return null;
        }

        var start = new ProcessStartInfo(SqliteShell) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-batch");
        start.ArgumentList.Add("-readonly");
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(".output /dev/null");
        await process.StandardInput.WriteLineAsync(".timer on");
        for (var i = 0; i <= runs; i++)
        {
            await process.StandardInput.WriteLineAsync(GroupBySql(from, to) + ";");
        }

        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // "Run Time: real 1.234 user 1.100000 sys 0.120000"; the first run is the warm-up.
        var times = output.Split('\n')
            .Where(l => l.StartsWith("Run Time: real ", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[3], CultureInfo.InvariantCulture) * 1000)
            .Skip(1)
            .ToList();
        if (process.ExitCode != 0 || times.Count != runs)
        {
            throw new InvalidOperationException($"sqlite3 failed (exit {process.ExitCode}): {output}");
        }

        return new Samples(times);
    }
}
