using HealthDashboard.Csv;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>The Accounts export: the grid's rows with the grid's numbers (and H to two decimals).</summary>
public static class AccountsExport
{
    /// <summary>The header fields.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "account_id", "name", "health", "health_rounded", "grade", "band", "trend", "mrr", "renewal_date", "days_to_renewal",
        "owner", "segment", "plan", "active_users", "seats", "last_activity", "overridden", "model_health", "model",
    ];

    /// <summary>The fields of one account.</summary>
    public static IReadOnlyList<string?> Row(AccountSummary a, DateTime asOf) =>
    [
        a.Id, a.Name, CsvWriter.TwoDecimals(a.Health), CsvWriter.Whole(a.HealthRounded), a.Grade.ToString(), a.Band.ToKey(), CsvWriter.TwoDecimals(a.Trend),
        CsvWriter.TwoDecimals(a.Mrr), CsvWriter.Date(a.RenewalDate), CsvWriter.Whole(AccountQuery.DaysToRenewal(a, asOf)),
        a.Owner, a.Segment, a.Plan, CsvWriter.Whole(a.ActiveUsers), CsvWriter.Whole(a.Seats), CsvWriter.Time(a.LastActivity),
        a.IsOverridden ? "true" : "false", CsvWriter.TwoDecimals(a.IsOverridden ? a.ModelHealth : a.Health), a.ModelKey.ToString(),
    ];

    /// <summary>Header and one record per account matching <paramref name="filter"/>, in its sort order (every page).</summary>
    public static IEnumerable<string> Lines(PortfolioView view, AccountFilter filter)
    {
        yield return CsvWriter.Record(Header);
        foreach (var account in AccountQuery.Matching(view, filter))
        {
            yield return CsvSafety.Record(Row(account, view.AsOf));
        }
    }
}

/// <summary>
/// The Users ("for outreach") export: who to contact and why, with their account's health and band,
/// segment, last seen, active days and the feature filter's use count (empty without a feature filter).
/// </summary>
public static class UsersExport
{
    /// <summary>The header fields.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "user_id", "name", "email", "account_id", "account_name", "account_health", "account_band", "segment",
        "engagement", "engagement_raw", "active_days", "last_seen", "feature_uses",
    ];

    /// <summary>The fields of one user; <paramref name="featureUses"/> as <see cref="UserQuery.FeatureUses"/> counted them.</summary>
    public static IReadOnlyList<string?> Row(UserSummary u, AccountSummary account, long? featureUses) =>
    [
        u.Id, u.Name, u.Email, u.AccountId, u.AccountName, CsvWriter.Whole(account.HealthRounded), account.Band.ToKey(), u.Segment,
        CsvWriter.TwoDecimals(u.Engagement), CsvWriter.TwoDecimals(u.EngagementRaw), CsvWriter.Whole(u.ActiveDays), CsvWriter.Time(u.LastSeen),
        CsvWriter.Whole(featureUses),
    ];

    /// <summary>
    /// Header and one record per user matching <paramref name="filter"/>, in its sort order (every page),
    /// the first <paramref name="top"/> of them when given: the page's view, cut where the user chose.
    /// </summary>
    public static IEnumerable<string> Lines(PortfolioView view, UserFilter filter, int? top = null)
    {
        yield return CsvWriter.Record(Header);
        var uses = UserQuery.FeatureUses(view, filter);
        foreach (var user in UserQuery.Matching(view, filter, uses).Take(top ?? int.MaxValue))
        {
            yield return CsvSafety.Record(Row(user, view.Accounts[user.AccountIndex], uses?[user.Index]));
        }
    }
}
