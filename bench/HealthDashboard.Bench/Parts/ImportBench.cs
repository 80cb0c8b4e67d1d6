using System.Diagnostics;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Import;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 3: importing a usage.csv through the real importer (FolderImporter.ImportFolderAsync, as the
/// command line and the Import page do). Each round starts from a fresh database with the app's
/// schema, imports the matching event types, accounts and users first (untimed for the rate), then
/// times the usage folder alone, with the importer's own stopwatches per stage. In the same round the sqlite3 shell
/// loads the same file into a bare table of text columns (<c>.import</c>, no index, no check) in a fresh file: the
/// engine's own floor for loading that CSV. With a PostgreSQL server named by <c>HEALTHDASHBOARD_BENCH_POSTGRES</c> (or
/// <c>HEALTHDASHBOARD_TEST_POSTGRES</c>: <c>scripts/test-postgres.sh</c> starts a throw-away one) the same rounds run on
/// it, each into fresh databases, against <c>psql</c>'s <c>\copy</c> of the file into a bare table of text columns.
/// </summary>
public sealed class ImportBench : BenchPart
{
    private const string SqliteShell = "/usr/bin/sqlite3";

    public override int Number => 3;

    public override string Title => "CSV import";

    public override Task PrepareAsync(Scale scale, TextWriter log)
    {
        CsvFolders.EnsureOneDay(scale.Import, log);
        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var (folders, day, activeUsers) = CsvFolders.EnsureOneDay(scale.Import, log);
        UsageFile[] files =
        [
            new("30 days", $"30 days of {scale.Import.Users:N0} users' events, 0.3 a user and day: one roll-up group per row, the worst case", folders.Usage),
            new("one day", $"one day's raw events ({day:yyyy-MM-dd}: {activeUsers:N0} of {scale.Import.Users:N0} users active, 50-100 events of count 1 each): issue 11's workload", folders.UsageOfOneDay),
        ];
        // HEALTHDASHBOARD_BENCH_IMPORT_ENGINE=postgres (or sqlite) runs one engine's rounds alone, for quicker comparisons.
        var engine = Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_IMPORT_ENGINE");
        var figures = new List<Figure>();
        if (engine is null or "" or "sqlite")
        {
            foreach (var file in files)
            {
                figures.AddRange(await SqliteRoundsAsync(scale, folders, file, log));
            }

            figures.Add(new(3, "Import of event types, accounts and users first (untimed for the rates above)", referenceTime.Median, "ms"));
        }

        if (PostgresDatabase.Server is { } server && engine is null or "" or "postgres")
        {
            foreach (var file in files)
            {
                figures.AddRange(await PostgresRoundsAsync(scale, folders, file, server, log));
            }
        }

        return figures;
    }

    /// <summary>One of the usage files imported: <paramref name="Tag"/> prefixes its figures.</summary>
    private sealed record UsageFile(string Tag, string Description, string Folder)
    {
        public string Csv => Path.Combine(Folder, "usage.csv");
    }

    private Samples referenceTime = new([double.NaN]);

    private async Task<IReadOnlyList<Figure>> SqliteRoundsAsync(Scale scale, CsvFolders folders, UsageFile usageFile, TextWriter log)
    {
        var usageTimes = new List<double>();
        var cpuTimes = new List<double>();
        var shellTimes = new List<double>();
        var ratios = new List<double>();
        var referenceTimes = new List<double>();
        var stageTimes = new Dictionary<string, List<double>>();
        int usageRows = 0, groups = 0;
        for (var round = 0; round < scale.SlowRuns; round++)
        {
            var shellMs = await ShellImportMillisecondsAsync(usageFile.Csv);
            var file = Path.Combine(CacheFolder.Path, $"import-round-{Environment.ProcessId}.db");
            SqliteDatabase.DeleteWithSidecars(file);
            try
            {
                using var app = await AppHost.OpenAsync(file);
                var importer = app.Get<FolderImporter>();
                var (_, referenceMs) = await Timing.OnceAsync(() => ImportAsync(importer, folders.Reference));
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var (usage, usageMs) = await Timing.OnceAsync(() => ImportAsync(importer, usageFile.Folder));
                cpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                usageRows = usage.Files.Single().Rows;
                groups = await CountRollupGroupsAsync(app);
                referenceTimes.Add(referenceMs);
                usageTimes.Add(usageMs);
                shellTimes.Add(shellMs);
                ratios.Add(usageMs / shellMs);
                AddStageTimes(stageTimes, usage);

                log.WriteLine($"  {usageFile.Tag}, round {round + 1}: {usage.Summary} in {usageMs:N0} ms; sqlite3 .import {shellMs:N0} ms; "
                    + StageLine(usage));
            }
            finally
            {
                SqliteDatabase.DeleteWithSidecars(file);
            }
        }

        referenceTime = new Samples(referenceTimes);
        var usageTime = new Samples(usageTimes);
        var tag = usageFile.Tag;
        var figures = new List<Figure>
        {
            new(3, $"{tag}: import usage.csv of {usageRows:N0} rows, {groups:N0} roll-up groups ({usageFile.Description}; ImportFolderAsync), median of {usageTime.Count}", usageTime.Median, "ms"),
            new(3, $"{tag}: import rate of usage rows", usageRows / (usageTime.Median / 1000), "rows/s", Target.Over(300_000)),
            new(3, $"{tag}:   CPU time of the process during the usage import (all threads)", new Samples(cpuTimes).Median, "ms"),
        };
        figures.AddRange(stageTimes.Select(s => new Figure(3, $"{tag}:   stage: {s.Key}", new Samples(s.Value).Median, "ms")));
        figures.Add(new(3, $"{tag}: sqlite3 shell .import of the same usage.csv into a bare table of text columns", new Samples(shellTimes).Median, "ms"));
        figures.Add(new(3, $"{tag}: ratio import / sqlite3 .import (median of per-round ratios)", new Samples(ratios).Median, "x", Target.Under(2)));
        return figures;
    }

    private static async Task<IReadOnlyList<Figure>> PostgresRoundsAsync(Scale scale, CsvFolders folders, UsageFile usageFile, string server, TextWriter log)
    {
        var importTimes = new List<double>();
        var copyTimes = new List<double>();
        var ratios = new List<double>();
        var cpuTimes = new List<double>();
        var serverCpuTimes = new List<double>();
        var stageTimes = new Dictionary<string, List<double>>();
        var rows = 0;
        for (var round = 0; round < scale.SlowRuns; round++)
        {
            var copyMs = await PsqlCopyMillisecondsAsync(server, usageFile.Csv);
            var database = await PostgresDatabase.RecreateAsync(server, "hd_bench_import");
            using (var app = await AppHost.OpenAsync(databaseFile: null, PostgresDatabase.AppConfiguration(database)))
            {
                var importer = app.Get<FolderImporter>();
                await ImportAsync(importer, folders.Reference);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var serverCpuBefore = PostgresServerCpuMilliseconds();
                var (usage, usageMs) = await Timing.OnceAsync(() => ImportAsync(importer, usageFile.Folder));
                cpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                serverCpuTimes.Add(PostgresServerCpuMilliseconds() - serverCpuBefore);
                rows = usage.Files.Single().Rows;
                importTimes.Add(usageMs);
                copyTimes.Add(copyMs);
                ratios.Add(usageMs / copyMs);
                AddStageTimes(stageTimes, usage);

                log.WriteLine($"  PostgreSQL {usageFile.Tag}, round {round + 1}: {usage.Summary} in {usageMs:N0} ms (CPU {cpuTimes[^1]:N0} ms, server {serverCpuTimes[^1]:N0} ms); "
                    + $"psql \\copy {copyMs:N0} ms; " + StageLine(usage));
            }

            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        var importTime = new Samples(importTimes);
        var tag = usageFile.Tag;
        var figures = new List<Figure>
        {
            new(3, $"PostgreSQL {tag}: import usage.csv of {rows:N0} rows (ImportFolderAsync): median of {importTime.Count}", importTime.Median, "ms"),
            new(3, $"PostgreSQL {tag}: import rate of usage rows", rows / (importTime.Median / 1000), "rows/s"),
            new(3, $"PostgreSQL {tag}:   CPU time of the bench process during the import (all threads)", new Samples(cpuTimes).Median, "ms"),
            new(3, $"PostgreSQL {tag}:   CPU time of the server's processes meanwhile (local server)", new Samples(serverCpuTimes).Median, "ms"),
        };
        figures.AddRange(stageTimes.Select(s => new Figure(3, $"PostgreSQL {tag}:   stage: {s.Key}", new Samples(s.Value).Median, "ms")));
        figures.Add(new(3, $"PostgreSQL {tag}: psql \\copy of the same usage.csv into a bare table of text columns", new Samples(copyTimes).Median, "ms"));
        figures.Add(new(3, $"PostgreSQL {tag}: ratio import / psql \\copy (median of per-round ratios)", new Samples(ratios).Median, "x", Target.Under(2)));
        return figures;
    }

    /// <summary>The roll-up rows the import left (its groups: one per account, user, event type and day).</summary>
    private static async Task<int> CountRollupGroupsAsync(AppHost app)
    {
        await using var db = await app.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<HealthDashboard.Data.HealthDbContext>>().CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.UsageDaily);
    }

    /// <summary>
    /// CPU time (user + system) of every process named <c>postgres</c> on this machine, in milliseconds: the server
    /// the bench imports into when it is local (<c>scripts/test-postgres.sh</c>); NaN where /proc is missing.
    /// </summary>
    private static double PostgresServerCpuMilliseconds()
    {
        if (!Directory.Exists("/proc"))
        {
            return double.NaN;
        }

        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var nameEnd = stat.LastIndexOf(')');
                if (nameEnd < 0 || !stat.AsSpan(0, nameEnd).EndsWith("(postgres", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the name: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
                var fields = stat[(nameEnd + 2)..].Split(' ');
                ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // A process that ended meanwhile, or not a process folder.
            }
        }

        // USER_HZ is 100 on Linux.
        return ticks * 10.0;
    }

    /// <summary>The wall time of <c>psql</c> loading <paramref name="csv"/> with <c>\copy</c> into a new bare table of a fresh database.</summary>
    private static async Task<double> PsqlCopyMillisecondsAsync(string server, string csv)
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresDatabase.RecreateAsync(server, "hd_bench_copy"));
        var start = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add($"host={database.Host} port={database.Port} user={database.Username} dbname={database.Database}");
        start.ArgumentList.Add("-v");
        start.ArgumentList.Add("ON_ERROR_STOP=1");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("CREATE TABLE usage(account_id text, user_id text, event_type text, timestamp text, count text)");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"\\copy usage FROM '{csv}' WITH (FORMAT csv, HEADER true)");
        if (!string.IsNullOrEmpty(database.Password))
        {
            start.Environment["PGPASSWORD"] = database.Password;
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await output;
        return process.ExitCode == 0
            ? elapsed
            : throw new InvalidOperationException($"psql \\copy failed (exit {process.ExitCode}): {errors}");
    }

    /// <summary>Adds each stage's time of one import to its list, for the medians printed per stage.</summary>
    private static void AddStageTimes(Dictionary<string, List<double>> stageTimes, ImportResult import)
    {
        foreach (var stage in import.Stages)
        {
            (stageTimes.TryGetValue(stage.Name, out var times) ? times : stageTimes[stage.Name] = []).Add(stage.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>One import's stages for the round's log line.</summary>
    private static string StageLine(ImportResult import) =>
        string.Join(", ", import.Stages.Select(s => $"{s.Name} {s.Elapsed.TotalMilliseconds:N0} ms"));

    private static async Task<ImportResult> ImportAsync(FolderImporter importer, string folder)
    {
        var result = await importer.ImportFolderAsync(folder, "bench");
        return result.Succeeded
            ? result
            : throw new InvalidOperationException($"The import of {folder} was refused: {string.Join("; ", result.Problems.Take(5))}");
    }

    /// <summary>
    /// The wall time of the sqlite3 shell creating a bare table in a fresh WAL file (as the app's) and loading
    /// <paramref name="csv"/> into it with <c>.import</c> (one transaction), start of the shell included.
    /// </summary>
    private static async Task<double> ShellImportMillisecondsAsync(string csv)
    {
        var file = Path.Combine(CacheFolder.Path, $"shell-import-{Environment.ProcessId}.db");
        SqliteDatabase.DeleteWithSidecars(file);
        try
        {
            var start = new ProcessStartInfo(SqliteShell) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-batch");
            start.ArgumentList.Add(file);
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteLineAsync("PRAGMA journal_mode=WAL;");
            await process.StandardInput.WriteLineAsync("CREATE TABLE usage(account_id TEXT, user_id TEXT, event_type TEXT, timestamp TEXT, count TEXT);");
            await process.StandardInput.WriteLineAsync($".import --csv --skip 1 '{csv}' usage");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await output;
            return process.ExitCode == 0 && errors.Length == 0
                ? elapsed
                : throw new InvalidOperationException($"sqlite3 .import failed (exit {process.ExitCode}): {errors}");
        }
        finally
        {
            SqliteDatabase.DeleteWithSidecars(file);
        }
    }
}
