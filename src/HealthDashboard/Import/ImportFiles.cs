namespace HealthDashboard.Import;

/// <summary>One import file of DATA.md: its name and its columns.</summary>
/// <param name="Name">The file name, e.g. <c>usage.csv</c> (matched case-insensitively).</param>
/// <param name="Columns">Every column, in DATA.md's order (the header the product writes: demo data, templates).</param>
/// <param name="Required">Columns that must be in the header (and have a value in every row).</param>
public sealed record ImportFileSpec(string Name, IReadOnlyList<string> Columns, IReadOnlyList<string> Required)
{
    /// <summary>The name without <c>.csv</c> (<c>usage</c>): the prefix a file's name starts with.</summary>
    public string Stem => Path.GetFileNameWithoutExtension(Name);

    /// <summary>Columns that may be left out.</summary>
    public IReadOnlyList<string> Optional { get; } = [.. Columns.Except(Required)];

    /// <summary>True when <paramref name="column"/> (lower case) is one of the file's columns.</summary>
    public bool Knows(string column) => Columns.Contains(column);
}

/// <summary>The files of DATA.md, in the order an import reads them (each only refers to files before it).</summary>
public static class ImportFiles
{
    public static readonly ImportFileSpec EventTypes = new("event_types.csv", ["key", "name", "weight", "key_feature", "value_moment"], ["key"]);

    public static readonly ImportFileSpec Accounts = new("accounts.csv",
        ["id", "name", "segment", "plan", "seats", "mrr", "renewal_date", "owner", "created_at", "churned_at"], ["id", "name"]);

    public static readonly ImportFileSpec Users = new("users.csv", ["id", "account_id", "name", "email", "created_at"], ["id", "account_id"]);

    public static readonly ImportFileSpec Usage = new("usage.csv", ["account_id", "user_id", "event_type", "timestamp", "count"], ["account_id", "event_type", "timestamp"]);

    public static readonly ImportFileSpec Tickets = new("tickets.csv",
        ["id", "account_id", "opened_at", "closed_at", "priority", "escalated", "satisfaction"], ["id", "account_id", "opened_at"]);

    public static readonly ImportFileSpec Surveys = new("surveys.csv", ["account_id", "user_id", "responded_at", "kind", "score"], ["account_id", "responded_at", "kind", "score"]);

    public static readonly ImportFileSpec Revenue = new("revenue.csv", ["account_id", "date", "mrr"], ["account_id", "date", "mrr"]);

    public static readonly ImportFileSpec Metrics = new("metrics.csv", ["account_id", "metric", "time", "value"], ["account_id", "metric", "time", "value"]);

    /// <summary>Dependency order: event types, accounts, users, usage, tickets, surveys, revenue, metrics.</summary>
    public static IReadOnlyList<ImportFileSpec> InOrder { get; } = [EventTypes, Accounts, Users, Usage, Tickets, Surveys, Revenue, Metrics];

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

/// <summary>
/// Sane ranges for imported values. Values beyond them are export bugs, not customers, and would turn
/// the Portfolio's totals into <c>$InfinityM</c> or overflow a sum; every refusal names the limit.
/// </summary>
public static class ImportLimits
{
    /// <summary>Largest monthly revenue of one account (accounts.csv and revenue.csv): a billion.</summary>
    public const double MaxMrr = 1_000_000_000;

    /// <summary>Largest magnitude of a metric value (metrics.csv): beyond it a value is an export bug.</summary>
    public const double MaxMetricValue = 1e12;

    /// <summary>Longest metric key.</summary>
    public const int MaxMetricKeyLength = 100;

    /// <summary>Most seats of one account.</summary>
    public const int MaxSeats = 10_000_000;

    /// <summary>Largest <c>count</c> of one usage row.</summary>
    public const int MaxUsageCount = 1_000_000;

    /// <summary>Longest cell (ids, names, e-mails...), in characters.</summary>
    public const int MaxCellLength = 1_000;

    /// <summary>Earliest time taken.</summary>
    public static readonly DateTime EarliestTime = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Years past the import a time may lie (renewal dates: <see cref="RenewalYearsAhead"/>).</summary>
    public const int YearsAhead = 1;

    /// <summary>Years past the import a renewal date may lie (multi-year contracts).</summary>
    public const int RenewalYearsAhead = 10;
}
