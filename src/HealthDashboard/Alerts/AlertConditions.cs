using HealthDashboard.Components.Shared;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Alerts;

/// <summary>
/// The alert rules' conditions, checked against one scored account of the shared view: whether it meets the rule
/// now, in words. Pure: everything it reads is passed in (the highest recent health comes from the snapshots).
/// </summary>
public static class AlertConditions
{
    /// <summary>Longest span of days a rule may name.</summary>
    public const int MaxDays = 365;

    /// <summary>
    /// What <paramref name="account"/> shows that meets <paramref name="rule"/> at the view's as-of time ("Health 34,
    /// red"), or null when it does not. <paramref name="highestRecent"/> is its highest snapshot health of the rule's
    /// last days (<see cref="AlertKind.HealthDrop"/> only; null when there is none).
    /// </summary>
    public static string? Check(AlertRule rule, AccountSummary account, PortfolioView view, double? highestRecent) => rule.Kind switch
    {
        AlertKind.InBand when rule.Band is { } band && account.Band == (Band)band =>
            $"Health {Format.Health(account.Health)} ({BandName(account.Band)})",
        AlertKind.HealthDrop when highestRecent is { } high && rule.Threshold is { } points && high - account.Health >= points =>
            $"Health fell {Format.Health(high - account.Health)} points, from {Format.Health(high)} to {Format.Health(account.Health)}",
        AlertKind.RenewalAtRisk when rule.Days is { } days && account.Band != Band.Green && account.RenewalDate is { } renewal
            && renewal >= view.AsOf.Date && (renewal - view.AsOf).TotalDays <= days =>
            $"Renews on {Format.Date(renewal)} while {BandName(account.Band)} (health {Format.Health(account.Health)})",
        AlertKind.NoUsage when rule.Days is { } days && (account.LastActivity is null || (view.AsOf - account.LastActivity.Value).TotalDays >= days) =>
            account.LastActivity is { } last ? $"No usage since {Format.Date(last)}" : "No usage on record",
        AlertKind.IndicatorBelow when rule.Indicator is { } i && rule.Threshold is { } below
            && view.Scored.Scores.Value(account.Index, (Indicator)i) is { } value && value < below =>
            $"{(Indicator)i} {Format.Health(value)}, below {below:0.##}",
        _ => null,
    };

    /// <summary>The rule in words: "Enters red", "Health drops 10 points within 7 days".</summary>
    public static string Describe(AlertRule rule) => rule.Kind switch
    {
        AlertKind.InBand => $"Enters {(rule.Band is { } b ? BandName((Band)b) : "?")}",
        AlertKind.HealthDrop => $"Health drops {rule.Threshold:0.##} points within {rule.Days} days",
        AlertKind.RenewalAtRisk => $"Renews within {rule.Days} days while yellow or red",
        AlertKind.NoUsage => $"No usage for {rule.Days} days",
        AlertKind.IndicatorBelow => $"{(rule.Indicator is { } i ? ((Indicator)i).ToString() : "?")} below {rule.Threshold:0.##}",
        _ => rule.Kind.ToString(),
    };

    /// <summary>What is wrong with a rule before it can be saved (empty when fine), each naming the field.</summary>
    public static IReadOnlyList<string> Problems(AlertRule rule)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Length > 100)
        {
            problems.Add("Name: give the rule a name of 1 to 100 characters.");
        }

        bool NeedsDays() => rule.Kind is AlertKind.HealthDrop or AlertKind.RenewalAtRisk or AlertKind.NoUsage;
        bool NeedsThreshold() => rule.Kind is AlertKind.HealthDrop or AlertKind.IndicatorBelow;
        if (NeedsDays() && rule.Days is not (>= 1 and <= MaxDays))
        {
            problems.Add($"Days: a whole number from 1 to {MaxDays}.");
        }

        if (NeedsThreshold() && rule.Threshold is not (> 0 and <= 100))
        {
            problems.Add(rule.Kind == AlertKind.HealthDrop ? "Points: more than 0 and at most 100." : "Below: more than 0 and at most 100.");
        }

        if (rule.Kind == AlertKind.InBand && rule.Band is not (<= (byte)Band.Red))
        {
            problems.Add("Band: pick green, yellow or red.");
        }

        if (rule.Kind == AlertKind.IndicatorBelow && rule.Indicator is not (< Indicators.Count))
        {
            problems.Add("Indicator: pick one.");
        }

        if (!string.IsNullOrWhiteSpace(rule.WebhookUrl)
            && (!Uri.TryCreate(rule.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            problems.Add("Webhook URL: an absolute http or https address.");
        }

        return problems;
    }

    private static string BandName(Band band) => band.ToKey();
}
