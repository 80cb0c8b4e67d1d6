namespace HealthDashboard.Scoring;

/// <summary>How one indicator moved between two scorings of an account.</summary>
/// <param name="Indicator">Which indicator.</param>
/// <param name="Before">Score at the first time, null when missing.</param>
/// <param name="After">Score at the second time, null when missing.</param>
/// <param name="ContributionBefore">Its contribution to H at the first time (SCORING.md "Explanation").</param>
/// <param name="ContributionAfter">Its contribution to H at the second time.</param>
public sealed record IndicatorShift(Indicator Indicator, double? Before, double? After, double ContributionBefore, double ContributionAfter)
{
    /// <summary>Points of health this indicator's move added (negative: cost).</summary>
    public double Impact => ContributionAfter - ContributionBefore;
}

/// <summary>Engagement points (count x weight) of one event type at both times.</summary>
public sealed record EventTypeShift(string Key, string Name, double PointsBefore, double PointsAfter)
{
    public double Change => PointsAfter - PointsBefore;
}

/// <summary>One user of the account at both times: active in the window or not, and engagement points.</summary>
public sealed record UserShift(string Id, string? Name, bool ActiveBefore, bool ActiveAfter, double PointsBefore, double PointsAfter)
{
    public double Change => PointsAfter - PointsBefore;

    /// <summary>Active at the first time, not at the second.</summary>
    public bool WentQuiet => ActiveBefore && !ActiveAfter;

    /// <summary>Not active at the first time, active at the second.</summary>
    public bool CameBack => !ActiveBefore && ActiveAfter;
}

/// <summary>
/// What changed in one account's health between two scorings (usually two dates under the same model): each
/// indicator's change of contribution, largest impact first. The impacts plus <see cref="ClampEffect"/> add up
/// exactly to <see cref="Change"/>, since the contributions add up to H before clamping (SCORING.md).
/// </summary>
public sealed record HealthChange(
    double HealthBefore,
    double HealthAfter,
    IReadOnlyList<IndicatorShift> Indicators,
    double ClampEffect,
    IReadOnlyList<EventTypeShift> EventTypes,
    IReadOnlyList<UserShift> Users)
{
    /// <summary>H after minus H before.</summary>
    public double Change => HealthAfter - HealthBefore;

    /// <summary>
    /// Compares local account <paramref name="accountBefore"/> of <paramref name="before"/> with local account
    /// <paramref name="accountAfter"/> of <paramref name="after"/> (the same account; the two scorings may come from
    /// different loads, so users and event types are matched by id and key).
    /// </summary>
    public static HealthChange Between(PortfolioScores before, int accountBefore, PortfolioScores after, int accountAfter)
    {
        var indicators = Scoring.Indicators.All
            .Select(i => new IndicatorShift(i, before.Value(accountBefore, i), after.Value(accountAfter, i),
                before.Contribution(accountBefore, i), after.Contribution(accountAfter, i)))
            .OrderByDescending(c => Math.Abs(c.Impact)).ThenBy(c => c.Indicator)
            .ToList();
        var impacts = indicators.Sum(c => c.Impact);
        var change = after.Health[accountAfter] - before.Health[accountBefore];
        return new HealthChange(before.Health[accountBefore], after.Health[accountAfter], indicators, change - impacts,
            EventTypeChanges(before, accountBefore, after, accountAfter), UserChanges(before, accountBefore, after, accountAfter));
    }

    private static List<EventTypeShift> EventTypeChanges(PortfolioScores before, int accountBefore, PortfolioScores after, int accountAfter)
    {
        var points = new Dictionary<string, (string Name, double Before, double After)>(StringComparer.Ordinal);
        foreach (var (scores, account, isAfter) in new[] { (before, accountBefore, false), (after, accountAfter, true) })
        {
            var agg = scores.AggregatesOf(account);
            var weights = scores.EventWeightsOf(account);
            var e = agg.EventTypeCount;
            for (var t = 0; t < e; t++)
            {
                var count = agg.AccountEventCounts[(account * e) + t];
                if (count == 0)
                {
                    continue;
                }

                var key = agg.Data.EventTypeKeys[t];
                var entry = points.GetValueOrDefault(key, (agg.Data.EventTypeNames[t], 0, 0));
                var p = count * weights[t];
                points[key] = isAfter ? entry with { After = p } : entry with { Before = p };
            }
        }

        return [.. points.Select(p => new EventTypeShift(p.Key, p.Value.Name, p.Value.Before, p.Value.After))
            .OrderByDescending(c => Math.Abs(c.Change)).ThenBy(c => c.Key, StringComparer.Ordinal)];
    }

    private static List<UserShift> UserChanges(PortfolioScores before, int accountBefore, PortfolioScores after, int accountAfter)
    {
        var users = new Dictionary<string, UserShift>(StringComparer.Ordinal);
        foreach (var (scores, account, isAfter) in new[] { (before, accountBefore, false), (after, accountAfter, true) })
        {
            var agg = scores.AggregatesOf(account);
            for (var u = 0; u < agg.Users.Length; u++)
            {
                if (agg.UserAccount[u] != account)
                {
                    continue;
                }

                var info = agg.Data.Users[agg.Users[u]];
                var entry = users.GetValueOrDefault(info.Id, new UserShift(info.Id, info.Name, false, false, 0, 0));
                var active = agg.UserActiveDays[u] > 0;
                users[info.Id] = isAfter
                    ? entry with { ActiveAfter = active, PointsAfter = scores.UserEngagementRaw[u] }
                    : entry with { ActiveBefore = active, PointsBefore = scores.UserEngagementRaw[u] };
            }
        }

        return [.. users.Values.OrderByDescending(c => Math.Abs(c.Change)).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }
}
