namespace HealthDashboard.Import;

/// <summary>One import file of DATA.md: its name and its columns.</summary>
/// <param name="Name">The file name, e.g. <c>usage.csv</c> (matched case-insensitively).</param>
/// <param name="Required">Columns that must be in the header (and have a value in every row).</param>
/// <param name="Optional">Columns that may be left out.</param>
public sealed record ImportFileSpec(string Name, IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    /// <summary>The name without <c>.csv</c> (<c>usage</c>): the prefix a file's name starts with.</summary>
    public string Stem => Path.GetFileNameWithoutExtension(Name);

    /// <summary>Every column in header order (required first), for a template.</summary>
    public IEnumerable<string> Columns => Required.Concat(Optional);

    /// <summary>True when <paramref name="column"/> (lower case) is one of the file's columns.</summary>
    public bool Knows(string column) => Required.Contains(column) || Optional.Contains(column);
}

/// <summary>The files of DATA.md, in the order an import reads them (each only refers to files before it).</summary>
public static class ImportFiles
{
    public static readonly ImportFileSpec EventTypes = new("event_types.csv", ["key"], ["name", "weight", "key_feature", "value_moment"]);

    public static readonly ImportFileSpec Accounts = new("accounts.csv", ["id", "name"],
        ["segment", "plan", "seats", "mrr", "renewal_date", "owner", "created_at", "churned_at"]);

    public static readonly ImportFileSpec Users = new("users.csv", ["id", "account_id"], ["name", "email", "created_at"]);

    public static readonly ImportFileSpec Usage = new("usage.csv", ["account_id", "event_type", "timestamp"], ["user_id", "count"]);

    public static readonly ImportFileSpec Tickets = new("tickets.csv", ["id", "account_id", "opened_at"],
        ["closed_at", "priority", "escalated", "satisfaction"]);

    public static readonly ImportFileSpec Surveys = new("surveys.csv", ["account_id", "responded_at", "kind", "score"], ["user_id"]);

    public static readonly ImportFileSpec Revenue = new("revenue.csv", ["account_id", "date", "mrr"], []);

    /// <summary>Dependency order: event types, accounts, users, usage, tickets, surveys, revenue.</summary>
    public static IReadOnlyList<ImportFileSpec> InOrder { get; } = [EventTypes, Accounts, Users, Usage, Tickets, Surveys, Revenue];

    /// <summary>
    /// The file spec for a file name, or null if it is not an import file. A <c>.csv</c> file belongs to a table
    /// when its name (case-insensitive, without folders) is the table's file name, or starts with the table's
    /// stem followed by <c>-</c>, <c>_</c>, <c>.</c> or a space: <c>usage-2026-11-29.csv</c>, <c>Usage.CSV</c>
    /// and <c>usage_export.csv</c> are usage; <c>usages.csv</c> is not. The one rule for the command line, the
    /// API and the Import page.
    /// </summary>
    public static ImportFileSpec? Find(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var stem = name[..^4];
        return InOrder.Where(f => stem.Length == f.Stem.Length || (stem.Length > f.Stem.Length && stem[f.Stem.Length] is '-' or '_' or '.' or ' '))
            .Where(f => stem.StartsWith(f.Stem, StringComparison.OrdinalIgnoreCase))
            .MaxBy(f => f.Stem.Length);
    }
}
