using System.Globalization;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>One indicator row of the account page's breakdown table.</summary>
/// <param name="Part">The indicator as the scoring core explains it (value, raw, weight, contribution, why missing).</param>
/// <param name="RawText">The raw value in words with units ("3 of 4 seats active"), null when missing.</param>
/// <param name="Description">What the indicator measures, for people.</param>
public sealed record IndicatorRow(IndicatorPart Part, string? RawText, string Description)
{
    /// <summary>The indicator.</summary>
    public Indicator Indicator => Part.Indicator;

    /// <summary>True when the indicator has no value and dropped out of the score.</summary>
    public bool IsMissing => Part.Value is null;

    /// <summary>True when the model weighs it 0 (it never counts).</summary>
    public bool IsOff => Part.Weight <= 0;
}

/// <summary>One custom indicator row of the breakdown (SCORING.md "Custom indicators").</summary>
/// <param name="Value">Score 0-100, null when missing.</param>
/// <param name="RawText">The metric value read and its age ("62.5, 12 days old"), null when missing.</param>
/// <param name="MissingReason">Why it is missing, null when it has a value.</param>
public sealed record CustomIndicatorRow(string Key, string Name, double? Value, string? RawText, double Weight, double Contribution, string? MissingReason, string Description)
{
    /// <summary>The metric's value read (null when none is recent enough).</summary>
    public double? Raw { get; init; }
}

/// <summary>
/// The account page's explanation of one score: the indicator rows with raw values in words, the
/// engagement split by event type, and the totals that show the contributions add up to H.
/// </summary>
/// <param name="AccountLevelPoints">Engagement points of usage rows that name no user.</param>
public sealed record AccountBreakdown(
    AccountSummary Account,
    IReadOnlyList<IndicatorRow> Indicators,
    IReadOnlyList<EventTypePart> EventTypes,
    double EngagementRaw,
    double AccountLevelPoints,
    string Summary)
{
    /// <summary>The custom indicators of the account's model, in its order.</summary>
    public IReadOnlyList<CustomIndicatorRow> CustomRows { get; init; } = [];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Sum of the contributions: H before clamping to [1, 100].</summary>
    public double ContributionTotal => Indicators.Sum(r => r.Part.Contribution) + CustomRows.Sum(r => r.Contribution);

    /// <summary>Sum of the weights of the indicators that have a value (the re-weighting divisor).</summary>
    public double WeightInUse => Indicators.Where(r => !r.IsMissing).Sum(r => r.Part.Weight) + CustomRows.Where(r => r.Value is not null).Sum(r => r.Weight);

    /// <summary>Explains the account at local index <paramref name="accountIndex"/> of <paramref name="view"/>.</summary>
    public static AccountBreakdown For(PortfolioView view, int accountIndex)
    {
        var explanation = view.Explain(accountIndex);
        var account = view.Accounts[accountIndex];
        var rows = explanation.Indicators.Select(p => new IndicatorRow(p, RawText(view, account, p), Describe(p.Indicator))).ToList();
        var engagementRaw = explanation.Indicators.Single(p => p.Indicator == Indicator.Engagement).Raw ?? 0;
        var accountLevel = explanation.Users.Where(p => p.UserIndex < 0).Sum(p => p.Points);
        return new AccountBreakdown(account, rows, explanation.EventTypes, engagementRaw, accountLevel, explanation.Summary)
        {
            CustomRows = CustomRowsOf(view, accountIndex),
        };
    }

    private static List<CustomIndicatorRow> CustomRowsOf(PortfolioView view, int a)
    {
        var scores = view.Scored.Scores;
        var columns = scores.CustomKeys.Count;
        var rows = new List<CustomIndicatorRow>();
        for (var c = 0; c < columns; c++)
        {
            if (scores.CustomIndicatorOf(a, c) is not { } indicator)
            {
                continue;
            }

            var cell = (a * columns) + c;
            var value = scores.CustomValue(a, c);
            var raw = scores.CustomRaw[cell];
            var days = value is null ? 0 : (int)((view.AsOf.Ticks - scores.CustomTicks[cell]) / TimeSpan.TicksPerDay);
            var rawText = value is null ? null : $"{raw.ToString("0.##", Invariant)} {(days == 0 ? "today" : days == 1 ? "1 day old" : $"{days} days old")}";
            var how = indicator.Scoring switch
            {
                CustomScoring.Curve => "against the other accounts with a value",
                CustomScoring.Range => $"from {indicator.Worst?.ToString("0.##", Invariant)} (worst) to {indicator.Best?.ToString("0.##", Invariant)} (best)",
                _ => "as a 0-100 score",
            };
            rows.Add(new CustomIndicatorRow(indicator.Key, indicator.Name, value, rawText, indicator.Weight, scores.CustomContribution(a, c),
                value is null ? $"no '{indicator.Metric}' value in the last {indicator.MaxAgeDays} days" : null,
                $"Metric '{indicator.Metric}' {how}{(indicator.Scoring != CustomScoring.Range && !indicator.HigherIsBetter ? ", lower is better" : "")}.")
            {
                Raw = value is null ? null : raw,
            });
        }

        return rows;
    }

    /// <summary>What an indicator measures.</summary>
    public static string Describe(Indicator indicator) => indicator switch
    {
        Indicator.Engagement => "Weighted product usage in the window (count x event weight), against the portfolio's 90th percentile.",
        Indicator.Breadth => "Share of licensed seats (or users, without seats) active in the window.",
        Indicator.Depth => "Share of key features used in the window.",
        Indicator.Frequency => "How often active users come back: active days against working days in the window.",
        Indicator.Recency => "Days since the last product activity, against the window.",
        Indicator.Support => "Tickets opened in the window per seat, escalations counting three times, against the portfolio.",
        Indicator.Sentiment => "Average of survey answers and ticket ratings over 90 days, on a 0-100 scale.",
        Indicator.Growth => "Change of MRR over the last 90 days.",
        _ => "",
    };

    private static string? RawText(PortfolioView view, AccountSummary account, IndicatorPart part)
    {
        if (part.Value is null)
        {
            return null;
        }

        var agg = view.Scored.Aggregates;
        var a = account.Index;
        var raw = part.Raw;
        switch (part.Indicator)
        {
            case Indicator.Engagement:
                return $"{Number(raw ?? 0)} points";
            case Indicator.Breadth:
                return account.Seats > 0
                    ? $"{account.ActiveUsers} of {account.Seats} seats active"
                    : $"{account.ActiveUsers} of {account.UserCount} users active";
            case Indicator.Depth:
                var keyFeatures = KeyFeatureCount(view);
                var used = (int)Scoring.Indicators.RoundAway((raw ?? 0) * keyFeatures);
                return $"{used} of {keyFeatures} key {(keyFeatures == 1 ? "feature" : "features")} used";
            case Indicator.Frequency:
                // raw = active days / (W x 5/7), so raw x 5 is active days in an average week.
                return $"{Number((raw ?? 0) * 5, "0.#")} active days a week";
            case Indicator.Recency:
                if (account.LastActivity is null)
                {
                    return "never active";
                }

                var days = (int)(raw ?? 0);
                return days == 0 ? "active today" : days == 1 ? "last active 1 day ago" : $"last active {days} days ago";
            case Indicator.Support:
                var tickets = agg.TicketsInWindow[a];
                var escalated = agg.EscalatedInWindow[a];
                return tickets == 0
                    ? "no tickets in the window"
                    : $"{tickets} {(tickets == 1 ? "ticket" : "tickets")}, {escalated} escalated ({Number(raw ?? 0)} per seat)";
            case Indicator.Sentiment:
                var count = agg.SentimentCount[a];
                return $"average {Number(raw ?? 0, "0")} / 100 from {count} {(count == 1 ? "rating" : "ratings")}";
            case Indicator.Growth:
                var pct = (raw ?? 0) * 100;
                return $"MRR {(pct >= 0 ? "+" : "\u2212")}{Number(Math.Abs(pct), "0.#")}% over 90 days";
            default:
                return raw is { } x ? Number(x) : null;
        }
    }

    private static int KeyFeatureCount(PortfolioView view) =>
        view.Scored.Data.EventTypeKeys.Count(key => view.Model.SettingsOf(key).KeyFeature);

    private static string Number(double value, string format = "#,0.##") =>
        Scoring.Indicators.RoundAway(value, 2).ToString(format, Invariant);
}
