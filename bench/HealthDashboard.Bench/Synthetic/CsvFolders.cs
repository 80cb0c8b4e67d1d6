using System.Globalization;
using System.Text;

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
        WriteCsv(Path.Combine(reference, "event_types.csv"), "key,name,weight,key_feature,value_moment",
            portfolio.EventTypes.Select(e => Row(e.Key, e.Name, Number(e.Settings.Weight), Bool(e.Settings.KeyFeature), Bool(e.Settings.ValueMoment))));
        WriteCsv(Path.Combine(reference, "accounts.csv"), "id,name,segment,plan,seats,mrr,renewal_date,owner,created_at,churned_at",
            portfolio.Accounts.Select(a => Row(a.Id, a.Name, a.Segment, a.Plan, Number(a.Seats), Number(a.Mrr), Date(a.RenewalDate), a.Owner, Time(a.CreatedAt), Time(a.ChurnedAt))));
        WriteCsv(Path.Combine(reference, "users.csv"), "id,account_id,name,email,created_at",
            portfolio.Users.Select(u => Row(u.Id, portfolio.Accounts[u.AccountIndex].Id, u.Name, u.Email, Time(u.CreatedAt))));
        WriteCsv(Path.Combine(usage, "usage.csv"), "account_id,user_id,event_type,timestamp,count",
            portfolio.Usage().Select(r => Row(
                portfolio.Accounts[r.AccountIndex].Id,
                r.UserIndex >= 0 ? portfolio.Users[r.UserIndex].Id : null,
                portfolio.EventTypes[r.EventTypeIndex].Key,
                Time(new DateTime(r.Ticks, DateTimeKind.Utc)),
                Number(r.Count))));
    }

    private static void WriteCsv(string path, string header, IEnumerable<string> rows)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        writer.WriteLine(header);
        foreach (var row in rows)
        {
            writer.WriteLine(row);
        }
    }

    private static string Row(params string?[] cells) => string.Join(',', cells.Select(Quote));

    /// <summary>RFC 4180: quote a cell holding a comma, quote or line break, doubling its quotes.</summary>
    private static string Quote(string? cell) =>
        cell is null ? "" : cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Time(DateTime? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Date(DateTime? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
