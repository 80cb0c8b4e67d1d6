using HealthDashboard.Csv;
using HealthDashboard.Import;
using static HealthDashboard.Csv.CsvWriter;

namespace HealthDashboard.Bench.Synthetic;

/// <summary>
/// A synthetic portfolio as import folders (DATA.md): <c>reference/</c> holds event_types.csv,
/// accounts.csv and users.csv, <c>usage/</c> holds usage.csv alone, so the usage import can be timed
/// on its own. Written once under the cache folder by the spec's key and reused.
/// </summary>
public sealed record CsvFolders(string Reference, string Usage)
{
    public static CsvFolders PathsFor(PortfolioSpec spec)
    {
        var root = Path.Combine(CacheFolder.Path, $"csv-{spec.Key}");
        return new(Path.Combine(root, "reference"), Path.Combine(root, "usage"));
    }

    /// <summary>The folders of <paramref name="spec"/>, written first if no earlier run left them.</summary>
    public static CsvFolders Ensure(PortfolioSpec spec, TextWriter log)
    {
        var folders = PathsFor(spec);
        var root = Path.GetDirectoryName(folders.Reference)!;
        if (Directory.Exists(root))
        {
            return folders;
        }

        log.WriteLine($"Writing {root} (once; later runs reuse it)...");
        var building = root + ".building";
        if (Directory.Exists(building))
        {
            Directory.Delete(building, recursive: true);
        }

        Write(SyntheticPortfolio.Generate(spec), Path.Combine(building, "reference"), Path.Combine(building, "usage"));
        Directory.Move(building, root);
        return folders;
    }

    private static void Write(SyntheticPortfolio portfolio, string reference, string usage)
    {
        Directory.CreateDirectory(reference);
        Directory.CreateDirectory(usage);
        // The product's own writer and headers, so the bench imports exactly what an export would hold.
        WriteFile(reference, ImportFiles.EventTypes,
            portfolio.EventTypes.Select(e => Row(e.Key, e.Name, Number(e.Settings.Weight), Bool(e.Settings.KeyFeature), Bool(e.Settings.ValueMoment))));
        WriteFile(reference, ImportFiles.Accounts,
            portfolio.Accounts.Select(a => Row(a.Id, a.Name, a.Segment, a.Plan, Number(a.Seats), Number(a.Mrr), Date(a.RenewalDate), a.Owner, Time(a.CreatedAt), Time(a.ChurnedAt))));
        WriteFile(reference, ImportFiles.Users,
            portfolio.Users.Select(u => Row(u.Id, portfolio.Accounts[u.AccountIndex].Id, u.Name, u.Email, Time(u.CreatedAt))));
        WriteFile(usage, ImportFiles.Usage,
            portfolio.Usage().Select(r => Row(
                portfolio.Accounts[r.AccountIndex].Id,
                r.UserIndex >= 0 ? portfolio.Users[r.UserIndex].Id : null,
                portfolio.EventTypes[r.EventTypeIndex].Key,
                Time(new DateTime(r.Ticks, DateTimeKind.Utc)),
                Number(r.Count))));
    }

    private static void WriteFile(string directory, ImportFileSpec file, IEnumerable<string?[]> rows) =>
        CsvWriter.WriteImportFileAsync(directory, file, rows).GetAwaiter().GetResult();

    private static string?[] Row(params string?[] cells) => cells;
}
