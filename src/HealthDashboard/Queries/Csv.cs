using System.Globalization;
using System.Text;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>RFC 4180 records in the invariant culture: the building blocks of the exports.</summary>
public static class Csv
{
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    /// <summary>One record: fields joined by commas, quoted where needed, ended by CRLF.</summary>
    public static string Line(IEnumerable<string?> fields)
    {
        var builder = new StringBuilder();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            AppendField(builder, field);
        }

        return builder.Append("\r\n").ToString();
    }

    /// <summary>A number with two decimals (the exports' precision), empty when null.</summary>
    public static string Number(double? value) =>
        value is { } x ? Indicators.RoundAway(x, 2).ToString("0.00", CultureInfo.InvariantCulture) : "";

    /// <summary>A whole number, empty when null.</summary>
    public static string Whole(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>A date as <c>yyyy-MM-dd</c>, empty when null.</summary>
    public static string Date(DateTime? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A UTC time as ISO 8601 <c>yyyy-MM-ddTHH:mm:ssZ</c>, empty when null.</summary>
    public static string Time(DateTime? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    private static void AppendField(StringBuilder builder, string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return;
        }

        field = CsvSafety.Neutralize(field);

        // Quote when a delimiter, quote or line break is inside, or spaces at the edges would be trimmed by readers.
        if (field.IndexOfAny(NeedsQuotes) < 0 && field[0] != ' ' && field[^1] != ' ')
        {
            builder.Append(field);
            return;
        }

        builder.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}

/// <summary>The Accounts export: the grid's rows with the grid's numbers (and H to two decimals).</summary>
public static class AccountsCsv
{
    /// <summary>The header fields.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "account_id", "name", "health", "health_rounded", "grade", "band", "trend", "mrr", "renewal_date", "days_to_renewal",
        "owner", "segment", "plan", "active_users", "seats", "last_activity",
    ];

    /// <summary>The fields of one account.</summary>
    public static IReadOnlyList<string?> Row(AccountSummary a, DateTime asOf) =>
    [
        a.Id, a.Name, Csv.Number(a.Health), Csv.Whole(a.HealthRounded), a.Grade.ToString(), a.Band.ToKey(), Csv.Number(a.Trend),
        Csv.Number(a.Mrr), Csv.Date(a.RenewalDate), Csv.Whole(AccountQuery.DaysToRenewal(a, asOf)),
        a.Owner, a.Segment, a.Plan, Csv.Whole(a.ActiveUsers), Csv.Whole(a.Seats), Csv.Time(a.LastActivity),
    ];

    /// <summary>Header and one record per account matching <paramref name="filter"/>, in its sort order (every page).</summary>
    public static IEnumerable<string> Lines(PortfolioView view, AccountFilter filter)
    {
        yield return Csv.Line(Header);
        foreach (var account in AccountQuery.Matching(view, filter))
        {
            yield return Csv.Line(Row(account, view.AsOf));
        }
    }
}

/// <summary>The Users ("for outreach") export.</summary>
public static class UsersCsv
{
    /// <summary>The header fields.</summary>
    public static IReadOnlyList<string> Header { get; } =
        ["user_id", "name", "email", "account_id", "account_name", "engagement", "engagement_raw"];

    /// <summary>The fields of one user.</summary>
    public static IReadOnlyList<string?> Row(UserSummary u) =>
        [u.Id, u.Name, u.Email, u.AccountId, u.AccountName, Csv.Number(u.Engagement), Csv.Number(u.EngagementRaw)];

    /// <summary>Header and one record per user matching <paramref name="filter"/>, in its sort order (every page).</summary>
    public static IEnumerable<string> Lines(PortfolioView view, UserFilter filter)
    {
        yield return Csv.Line(Header);
        foreach (var user in UserQuery.Matching(view, filter))
        {
            yield return Csv.Line(Row(user));
        }
    }
}
