using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Import;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 3: importing a usage.csv through the real importer (FolderImporter.ImportFolderAsync, as the
/// command line and the Import page do). Each round starts from a fresh database with the app's
/// schema, imports the matching event types, accounts and users first (untimed for the rate), then
/// times the usage folder alone.
/// </summary>
public sealed class ImportBench : BenchPart
{
    public override int Number => 3;

    public override string Title => "CSV import";

    public override Task PrepareAsync(Scale scale, TextWriter log)
    {
        CsvFolders.Ensure(scale.Import, log);
        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var folders = CsvFolders.PathsFor(scale.Import);
        var usageTimes = new List<double>();
        var referenceTimes = new List<double>();
        int usageRows = 0, referenceRows = 0;
        for (var round = 0; round < scale.SlowRuns; round++)
        {
            var file = Path.Combine(CacheFolder.Path, $"import-round-{Environment.ProcessId}.db");
            SqliteDatabase.DeleteWithSidecars(file);
            try
            {
                using var app = await AppHost.OpenAsync(file);
                var importer = app.Get<FolderImporter>();
                var (reference, referenceMs) = await Timing.OnceAsync(() => ImportAsync(importer, folders.Reference));
                var (usage, usageMs) = await Timing.OnceAsync(() => ImportAsync(importer, folders.Usage));
                referenceRows = reference.Files.Sum(f => f.Rows);
                usageRows = usage.Files.Single().Rows;
                referenceTimes.Add(referenceMs);
                usageTimes.Add(usageMs);
                log.WriteLine($"  round {round + 1}: {usage.Summary} in {usageMs:N0} ms");
            }
            finally
            {
                SqliteDatabase.DeleteWithSidecars(file);
            }
        }

        var usageTime = new Samples(usageTimes);
        return
        [
            new(3, $"Import usage.csv of {usageRows:N0} rows (ImportFolderAsync): median of {usageTime.Count}", usageTime.Median, "ms"),
            new(3, "Import rate of usage rows", usageRows / (usageTime.Median / 1000), "rows/s", Target.Over(100_000)),
            new(3, $"Import of event types, accounts and users first ({referenceRows:N0} rows)", new Samples(referenceTimes).Median, "ms"),
        ];
    }

    private static async Task<ImportResult> ImportAsync(FolderImporter importer, string folder)
    {
        var result = await importer.ImportFolderAsync(folder, "bench");
        return result.Succeeded
            ? result
            : throw new InvalidOperationException($"The import of {folder} was refused: {string.Join("; ", result.Problems.Take(5))}");
    }
}
