using System.Text.Json.Serialization;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Api;

/// <summary>One scored account in a list. Health carries two decimals (SCORING.md: exports and the API).</summary>
public sealed record ApiAccount(
    string Id, string Name, double Health, string Grade, string Band, double? Trend, double Mrr,
    string? Segment, string? Plan, string? Owner, DateTime? RenewalDate, int ActiveUsers, int Seats, DateTime? LastActivity)
{
    public static ApiAccount From(AccountSummary a) => new(
        a.Id, a.Name, Round(a.Health), a.Grade.ToString(), a.Band.ToKey(), a.Trend is { } t ? Round(t) : null, a.Mrr,
        a.Segment, a.Plan, a.Owner, a.RenewalDate, a.ActiveUsers, a.Seats, a.LastActivity);

    internal static double Round(double value) => Indicators.RoundAway(value, 2);
}

/// <summary>A page of accounts.</summary>
public sealed record ApiAccountPage(DateTime AsOf, int ModelVersion, int Total, int Page, int PageSize, IReadOnlyList<ApiAccount> Items);

/// <summary>One indicator of an account: score, raw value, weight, contribution, or why it is missing.</summary>
public sealed record ApiIndicator(string Indicator, double? Value, double? Raw, double Weight, double Contribution, string? MissingReason);

/// <summary>An account's score taken apart.</summary>
public sealed record ApiAccountDetail(DateTime AsOf, int ModelVersion, ApiAccount Account, IReadOnlyList<ApiIndicator> Indicators, string Summary);

/// <summary>
/// One account on one snapshot day (as the <c>history</c> verb prints it): health to two decimals, grade, band, each
/// indicator's score keyed by its export name (null when missing), then the custom indicators of that day's model
/// keyed by their own keys (as <c>GET /api/accounts/{id}</c> lists them; the keys never collide with the built-in
/// ones), the MRR shown and the model version.
/// </summary>
public sealed record ApiHistoryDay(
    DateOnly Day, double Health, string Grade, string Band, IReadOnlyDictionary<string, double?> Indicators, double Mrr, int ModelVersion)
{
    public static ApiHistoryDay From(SnapshotRow row)
    {
        var indicators = Scoring.Indicators.All.ToDictionary(i => i.ToKey(), i => Round(row.Value(i)), StringComparer.Ordinal);
        foreach (var (key, custom) in row.Custom)
        {
            indicators.TryAdd(key, Round(custom.Value));
        }

        return new(DateOnly.FromDateTime(row.Day), ApiAccount.Round(row.Health), row.Grade.ToString(), row.Band.ToKey(), indicators, row.Mrr, row.ModelVersion);
    }

    private static double? Round(double? value) => value is { } v ? ApiAccount.Round(v) : null;
}

/// <summary>An account's daily history from one day to another.</summary>
public sealed record ApiAccountHistory(string AccountId, DateOnly From, DateOnly To, IReadOnlyList<ApiHistoryDay> Days);

/// <summary>A scored user of an account.</summary>
public sealed record ApiUser(string Id, string? Name, string? Email, double EngagementRaw, double Engagement, int ActiveDays, DateTime? LastSeen);

/// <summary>One usage row posted to <c>/api/events</c>: the fields of usage.csv.</summary>
public sealed record ApiUsageEvent(
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("event_type")] string? EventType,
    [property: JsonPropertyName("timestamp")] string? Timestamp,
    [property: JsonPropertyName("count")] long? Count);

/// <summary>One account metric of <c>POST /api/metrics</c>: the fields of metrics.csv (value a JSON number).</summary>
public sealed record ApiMetric(
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("metric")] string? Metric,
    [property: JsonPropertyName("time")] string? Time,
    [property: JsonPropertyName("value")] double? Value);

/// <summary>What an accepted batch did.</summary>
public sealed record ApiIngestResult(int Imported, int? NewModelVersion);
