namespace HealthDashboard.Scoring;

/// <summary>One indicator of an account, taken apart.</summary>
/// <param name="Indicator">Which indicator.</param>
/// <param name="Value">Score 0-100, null when missing.</param>
/// <param name="Raw">Raw value (see <see cref="PortfolioScores.Raw"/>), null when missing.</param>
/// <param name="Weight">Model weight.</param>
/// <param name="Contribution">w x / sum of w over indicators with a value.</param>
/// <param name="PointsLost">How far below 100 it holds H: w (100 - x) / sum of w.</param>
/// <param name="MissingReason">Why it is missing, null when it has a value.</param>
public sealed record IndicatorPart(Indicator Indicator, double? Value, double? Raw, double Weight, double Contribution, double PointsLost, string? MissingReason);

/// <summary>Engagement points of one event type in an account: count x weight.</summary>
public sealed record EventTypePart(int EventTypeIndex, string Key, string Name, long Count, double Weight, double Points);

/// <summary>Engagement points of one user of an account (UserIndex -1: account-level rows).</summary>
public sealed record UserPart(int UserIndex, double Points);

/// <summary>An account's score taken apart as SCORING.md "Explanation" asks: by indicator, event type and user.</summary>
public sealed record AccountExplanation(
    IReadOnlyList<IndicatorPart> Indicators,
    IReadOnlyList<EventTypePart> EventTypes,
    IReadOnlyList<UserPart> Users,
    string Summary)
{
    /// <summary>Explains local account <paramref name="account"/> of <paramref name="scores"/>.</summary>
    public static AccountExplanation For(PortfolioScores scores, int account)
    {
        var agg = scores.AggregatesOf(account);
        var model = scores.ModelOf(account);
        var eventWeights = scores.EventWeightsOf(account);
        var total = scores.WeightTotals[account];
        var parts = new List<IndicatorPart>();
        foreach (var indicator in Scoring.Indicators.All)
        {
            var value = scores.Value(account, indicator);
            var weight = model.IndicatorWeights[indicator];
            var lost = value is { } x && total > 0 ? weight * (100 - x) / total : 0;
            parts.Add(new(indicator, value, scores.RawValue(account, indicator), weight, scores.Contribution(account, indicator), lost,
                value is null ? MissingReason(scores, account, indicator) : null));
        }

        var e = agg.EventTypeCount;
        var eventParts = Enumerable.Range(0, e)
            .Where(t => agg.AccountEventCounts[(account * e) + t] > 0)
            .Select(t => new EventTypePart(t, agg.Data.EventTypeKeys[t], agg.Data.EventTypeNames[t],
                agg.AccountEventCounts[(account * e) + t], eventWeights[t], agg.AccountEventCounts[(account * e) + t] * eventWeights[t]))
            .OrderByDescending(p => p.Points).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();

        var userParts = new List<UserPart>();
        var accountTotal = scores.Raw[(account * Scoring.Indicators.Count) + (int)Indicator.Engagement];
        var userTotal = 0.0;
        for (var u = 0; u < agg.Users.Length; u++)
        {
            if (agg.UserAccount[u] == account && scores.UserEngagementRaw[u] > 0)
            {
                userParts.Add(new(u, scores.UserEngagementRaw[u]));
                userTotal += scores.UserEngagementRaw[u];
            }
        }

        userParts.Sort((x, y) => y.Points.CompareTo(x.Points));
        var accountLevel = accountTotal - userTotal;
        if (accountLevel > 1e-9)
        {
            userParts.Add(new(-1, accountLevel));
        }

        return new(parts, eventParts, userParts, Summarize(parts));
    }

    private static string? MissingReason(PortfolioScores scores, int account, Indicator indicator) => indicator switch
    {
        Indicator.Breadth => "no licensed seats and no users",
        Indicator.Depth => "no event type is flagged as a key feature",
        Indicator.Sentiment => "no survey response or rated ticket in the last 90 days",
        Indicator.Growth => scores.AggregatesOf(account).GrowthMissingReason[account],
        _ => null,
    };

    private static string Summarize(IReadOnlyList<IndicatorPart> parts)
    {
        var worst = parts.Where(p => p.Value is not null && p.Weight > 0).OrderByDescending(p => p.PointsLost).FirstOrDefault();
        if (worst is null || worst.PointsLost < 0.5)
        {
            return "Every weighted indicator is at or near its best.";
        }

        var detail = worst.Indicator switch
        {
            Indicator.Engagement => "product usage is low against the portfolio",
            Indicator.Breadth => "few of the licensed seats are active",
            Indicator.Depth => "few key features are in use",
            Indicator.Frequency => "active users come back on few days",
            Indicator.Recency => worst.Raw is { } days ? $"the last activity was {days:0} days ago" : "the account has never been active",
            Indicator.Support => "support load is high",
            Indicator.Sentiment => "survey and ticket ratings are poor",
            Indicator.Growth => "MRR fell over the last 90 days",
            _ => "",
        };
        return $"{worst.Indicator} pulls the score down most: {detail} (score {worst.Value:0}, costing {worst.PointsLost:0.#} points).";
    }
}
