using HealthDashboard.Csv;
using HealthDashboard.Import;
using HealthDashboard.Scoring;
using static HealthDashboard.Csv.CsvWriter;

namespace HealthDashboard.Bench.Synthetic;

/// <summary>
/// A synthetic portfolio as import folders (DATA.md): <c>reference/</c> holds event_types.csv,
/// accounts.csv and users.csv, <c>usage/</c> holds usage.csv alone, so the usage import can be timed
/// on its own. Written once under the cache folder by the spec's key and reused. <c>usage-day/</c> holds the other
/// shape of usage.csv, one day of raw product events (<see cref="SyntheticPortfolio.RawEventsOfOneDay"/>), with as many
/// rows as the spec's usage.csv, written beside the others when first asked for (<see cref="EnsureOneDay"/>).
/// </summary>
public sealed record CsvFolders(string Reference, string Usage)
{
    /// <summary>The folder of the one-day export of raw events (same users and event types as <see cref="Reference"/>).</summary>
    public string UsageOfOneDay => Path.Combine(Path.GetDirectoryName(Usage)!, "usage-day");

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

    /// <summary>
    /// The folders of <paramref name="spec"/> with the one-day export of raw events (<see cref="UsageOfOneDay"/>), written
    /// first if missing. Returns the day and how many users are active in it.
    /// </summary>
    public static (CsvFolders Folders, DateTime Day, int ActiveUsers) EnsureOneDay(PortfolioSpec spec, TextWriter log)
    {
        var folders = Ensure(spec, log);
        var info = Path.Combine(folders.UsageOfOneDay, "day.txt");
        if (!File.Exists(info))
        {
            log.WriteLine($"Writing {folders.UsageOfOneDay} (once; later runs reuse it)...");
            var portfolio = SyntheticPortfolio.Generate(spec);
            var (day, activeUsers, rows) = portfolio.RawEventsOfOneDay(spec.UsageRows);
            var building = folders.UsageOfOneDay + ".building";
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }

            Directory.CreateDirectory(building);
            WriteUsage(portfolio, building, rows);
            // Outside the usage folder's import files: the importer warns about other .csv files only.
            File.WriteAllText(Path.Combine(building, "day.txt"), FormattableString.Invariant($"{day:yyyy-MM-dd} {activeUsers}"));
            Directory.Move(building, folders.UsageOfOneDay);
        }

        var parts = File.ReadAllText(info).Split(' ');
        return (folders, DateTime.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
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
        WriteUsage(portfolio, usage, portfolio.Usage());
    }

    private static void WriteUsage(SyntheticPortfolio portfolio, string usage, IEnumerable<UsageRow> rows)
    {
        WriteFile(usage, ImportFiles.Usage,
            rows.Select(r => Row(
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
