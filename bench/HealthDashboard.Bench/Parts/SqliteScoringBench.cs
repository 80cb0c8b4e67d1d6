using System.Diagnostics;
using System.Globalization;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.Data.Sqlite;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 2: scoring from the SQLite file (ScoringService.ScoreAtAsync: load + aggregate + score) beside
/// the time the SQLite engine itself needs to scan the window's raw usage rows (<c>SELECT SUM(Count)</c>, the
/// issue's yardstick) and to sum them per account and event type, in the same run over the same file, with
/// the file in the OS page cache for both (an untimed ScoreAtAsync reads it first). Scoring is timed at a
/// midnight (whole days: the daily roll-up alone) and at noon (the two days the window's edges cut are read as
/// raw rows, as the live dashboard's "now" does). The engine is timed by the sqlite3 shell's own <c>.timer</c> and,
/// for comparison, through Microsoft.Data.Sqlite. The breakdown (ScoreAtAsync's three steps one by
/// one, a bare ADO.NET read of the loader's rows, the engine's plain scan) says where the time goes.
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
        DateTime noon = asOf.AddHours(-12), noonFrom = noon.AddDays(-PortfolioSpec.WindowDays);
        using var app = await AppHost.OpenAsync(file);
        var service = app.Get<ScoringService>();
        var loader = app.Get<PortfolioLoader>();
        var model = (await loader.LoadModelAsync()).Model;
        var shell = File.Exists(SqliteShell);

        var rows = await CountWindowRowsAsync(file, from, asOf);
        log.WriteLine($"  {rows:N0} usage rows in the window of {file}");

        // Warm-up: JIT, and the file in the OS page cache for everything below.
        await service.ScoreAtAsync(asOf);

        // The machine is shared, so the measurements are interleaved round by round: a burst of
        // load elsewhere slows all of one round rather than all runs of one measurement. Each step
        // starts from a collected heap (as a periodic re-score would), outside its timing.
        var times = new Dictionary<string, List<double>>();
        void Record(string name, double milliseconds) => (times.TryGetValue(name, out var list) ? list : times[name] = []).Add(milliseconds);
        async Task TimeAsync(string name, Func<Task> step)
        {
            await PeakMemory.CollectAsync(returnMemory: false);
            var (_, milliseconds) = await Timing.OnceAsync(async () =>
            {
                await step();
                return 0;
            });
            Record(name, milliseconds);
        }

        for (var round = 0; round < scale.SlowRuns; round++)
        {
            await TimeAsync("scoreAt", () => service.ScoreAtAsync(asOf));
            await TimeAsync("scoreAtNoon", () => service.ScoreAtAsync(noon));
            PortfolioData data = null!;
            WindowAggregates aggregates = null!;
            await TimeAsync("load", async () => data = await loader.LoadAsync(from, asOf));
            await TimeAsync("build", () => Task.FromResult(aggregates = WindowAggregates.Build(data, asOf, model.WindowDays, WindowAggregates.AllCores)));
            await TimeAsync("score", () => Task.FromResult(Scorer.Score(aggregates, model)));
            data = null!;
            aggregates = null!;
            await TimeAsync("reference", () => loader.LoadAsync(asOf, asOf));
            await TimeAsync("rollupRead", () => Task.FromResult(ReadRollupThroughStatementApi(file, from, asOf)));
            await TimeAsync("bareRead", () => ReadLoaderRowsAsync(file, from, asOf));
            await TimeAsync("groupByAdo", () => GroupByThroughAdoNetAsync(file, from, asOf));
            if (shell)
            {
                // Timed by the shell itself: its process start is not the engine's time.
                Record("groupByShell", await ShellQueryMillisecondsAsync(file, GroupBySql(from, asOf)));
                Record("scanShell", await ShellQueryMillisecondsAsync(file, ScanSql(from, asOf)));
                Record("scanShellNoon", await ShellQueryMillisecondsAsync(file, ScanSql(noonFrom, noon)));
            }

            log.WriteLine($"  round {round + 1} of {scale.SlowRuns} done");
        }

        // The whole process's peak also holds the comparisons above (the engine's GROUP BY sorts in
        // this process too), so the app's own operation is measured alone once more.
        var alone = await PeakMemory.OfAsync(() => service.ScoreAtAsync(asOf));

        Samples Of(string name) => new(times[name]);
        var scoreAt = Of("scoreAt");
        var what = $"{spec.Accounts:N0} accounts, {rows:N0} rows in window";
        var figures = new List<Figure>
        {
            new(2, $"ScoringService.ScoreAtAsync at midnight, {what}: median of {scoreAt.Count}", scoreAt.Median, "ms"),
            new(2, "ScoringService.ScoreAtAsync at noon (two edge days read raw)", Of("scoreAtNoon").Median, "ms"),
            new(2, "  roll-up rows standing for the window's raw rows", await CountRollupRowsAsync(file, from, asOf), "rows"),
            new(2, "  its steps: PortfolioLoader.LoadAsync (read + map rows)", Of("load").Median, "ms"),
            new(2, "    of it: everything but usage (a load of an empty span)", Of("reference").Median, "ms"),
            new(2, "    of it: the roll-up read alone through SQLitePCL's statement API, no mapping", Of("rollupRead").Median, "ms"),
            new(2, "  its steps: WindowAggregates.Build (on every core, as ScoreAtAsync builds)", Of("build").Median, "ms"),
            new(2, "  its steps: Scorer.Score", Of("score").Median, "ms"),
            new(2, "Bare ADO.NET read of the loader's query (no mapping)", Of("bareRead").Median, "ms"),
            new(2, "Engine via Microsoft.Data.Sqlite: GROUP BY AccountId, EventTypeId", Of("groupByAdo").Median, "ms"),
        };

        // The ratio of each round (same load on both sides), then the median of those ratios.
        Samples Ratio(string ours, string theirs) => new(times[ours].Zip(times[theirs], (a, b) => a / b).ToList());
        if (shell)
        {
            figures.Add(new(2, "Engine via sqlite3 shell: same GROUP BY (.timer real)", Of("groupByShell").Median, "ms"));
            figures.Add(new(2, "Engine via sqlite3 shell: scan only, SUM(Count) over the window", Of("scanShell").Median, "ms"));
        }
        else
        {
            log.WriteLine($"  {SqliteShell} not found: the ratio uses the Microsoft.Data.Sqlite figure.");
        }

        figures.Add(new(4, "Peak working set during one ScoreAtAsync of part 2 (high-water mark reset before it)", alone.Peak, "MB"));
        figures.Add(new(4, "  resident before that ScoreAtAsync (after a full collection)", alone.ResidentBefore, "MB"));
        if (shell)
        {
            figures.Add(new(2, "Ratio ScoreAtAsync at midnight / sqlite3 scan SUM(Count) of its window (median of per-round ratios)", Ratio("scoreAt", "scanShell").Median, "x", Target.Under(2)));
            figures.Add(new(2, "Ratio ScoreAtAsync at noon / sqlite3 scan SUM(Count) of its window", Ratio("scoreAtNoon", "scanShellNoon").Median, "x", Target.Under(2)));
        }

        figures.Add(new(2, $"Ratio ScoreAtAsync at midnight / {(shell ? "sqlite3" : "Microsoft.Data.Sqlite")} GROUP BY AccountId, EventTypeId", Ratio("scoreAt", shell ? "groupByShell" : "groupByAdo").Median, "x"));
        return figures;
    }

    private static string GroupBySql(DateTime from, DateTime to) =>
        $"SELECT AccountId, EventTypeId, SUM(Count) FROM Usage WHERE Timestamp > {from.Ticks} AND Timestamp <= {to.Ticks} GROUP BY AccountId, EventTypeId";

    private static string ScanSql(DateTime from, DateTime to) =>
        $"SELECT SUM(Count) FROM Usage WHERE Timestamp > {from.Ticks} AND Timestamp <= {to.Ticks}";

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task<long> CountRollupRowsAsync(string file, DateTime from, DateTime to)
    {
        await using var connection = Open(file);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT COUNT(*) FROM "UsageDaily" WHERE "Day" >= {from.Ticks / TimeSpan.TicksPerDay} AND "Day" <= {to.Ticks / TimeSpan.TicksPerDay}
              AND "LastTimestamp" > {from.Ticks} AND "LastTimestamp" <= {to.Ticks}
            """;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountWindowRowsAsync(string file, DateTime from, DateTime to)
    {
        await using var connection = Open(file);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM Usage WHERE Timestamp > {from.Ticks} AND Timestamp <= {to.Ticks}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The loader's roll-up query on SQLite's statement API, four columns a row summed into nothing: the floor of the loader's usage read.</summary>
    private static long ReadRollupThroughStatementApi(string file, DateTime from, DateTime to)
    {
        using var connection = Open(file);
        var handle = connection.Handle!;
        var sql = $"""
            SELECT "AccountId" * 4294967296 + "UserId", "EventTypeId", "Count", "LastTimestamp" FROM "UsageDaily"
            WHERE "Day" >= {from.Ticks / TimeSpan.TicksPerDay} AND "Day" <= {to.Ticks / TimeSpan.TicksPerDay}
              AND "LastTimestamp" > {from.Ticks} AND "LastTimestamp" <= {to.Ticks} ORDER BY "Day"
            """;
        if (SQLitePCL.raw.sqlite3_prepare_v2(handle, sql, out var statement) != SQLitePCL.raw.SQLITE_OK)
        {
            throw new InvalidOperationException(SQLitePCL.raw.sqlite3_errmsg(handle).utf8_to_string());
        }

        long checksum = 0;
        using (statement)
        {
            while (SQLitePCL.raw.sqlite3_step(statement) == SQLitePCL.raw.SQLITE_ROW)
            {
                checksum += SQLitePCL.raw.sqlite3_column_int64(statement, 0) + SQLitePCL.raw.sqlite3_column_int64(statement, 1)
                    + SQLitePCL.raw.sqlite3_column_int64(statement, 2) + SQLitePCL.raw.sqlite3_column_int64(statement, 3);
            }
        }

        return checksum;
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
    /// Runs one query in the sqlite3 shell and returns the time the shell's own <c>.timer</c> reports
    /// (real time of the statement alone; result rows go to /dev/null, the timer line to stdout).
    /// </summary>
    private static async Task<double> ShellQueryMillisecondsAsync(string file, string sql)
    {
        var start = new ProcessStartInfo(SqliteShell) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-batch");
        start.ArgumentList.Add("-readonly");
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(".output /dev/null");
        await process.StandardInput.WriteLineAsync(".timer on");
        await process.StandardInput.WriteLineAsync(sql + ";");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // "Run Time: real 1.234 user 1.100000 sys 0.120000"
        var timer = output.Split('\n').FirstOrDefault(l => l.StartsWith("Run Time: real ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || timer is null)
        {
            throw new InvalidOperationException($"sqlite3 failed (exit {process.ExitCode}): {output}");
        }

        return double.Parse(timer.Split(' ')[3], CultureInfo.InvariantCulture) * 1000;
    }
}
