namespace HealthDashboard.Scoring;

/// <summary>The metric value a custom indicator read at one time, and the time of its row.</summary>
public sealed record MetricReading(double Value, DateTime At);

/// <summary>
/// How one indicator, built-in or custom, moved between two scorings of an account.
/// </summary>
/// <param name="Key">The indicator's key: a built-in indicator's export name (<c>engagement</c>) or a custom indicator's key.</param>
/// <param name="Name">Display name ("Engagement", "Onboarding progress").</param>
/// <param name="Before">Score at the first time, null when missing.</param>
/// <param name="After">Score at the second time, null when missing.</param>
/// <param name="ContributionBefore">Its contribution to H at the first time (SCORING.md "Explanation").</param>
/// <param name="ContributionAfter">Its contribution to H at the second time.</param>
public sealed record IndicatorShift(string Key, string Name, double? Before, double? After, double ContributionBefore, double ContributionAfter)
{
    /// <summary>The built-in indicator, null for a custom one.</summary>
    public Indicator? Indicator { get; init; }

    /// <summary>The custom indicator's definition (the later time's model, else the earlier's), null for a built-in one.</summary>
    public CustomIndicator? Custom { get; init; }

    /// <summary>The metric value a custom indicator read at the first time, null when none (or built-in).</summary>
    public MetricReading? MetricBefore { get; init; }

    /// <summary>The metric value a custom indicator read at the second time, null when none (or built-in).</summary>
    public MetricReading? MetricAfter { get; init; }

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
/// indicator's change of contribution, built-in and custom (those of the account's model at either time), largest
/// impact first. The impacts plus <see cref="ClampEffect"/> add up
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
            .Select(i => new IndicatorShift(i.ToKey(), i.ToString(), before.Value(accountBefore, i), after.Value(accountAfter, i),
                before.Contribution(accountBefore, i), after.Contribution(accountAfter, i)) { Indicator = i })
            .Concat(CustomShifts(before, accountBefore, after, accountAfter))
            .Select((shift, order) => (shift, order))
            .OrderByDescending(c => Math.Abs(c.shift.Impact)).ThenBy(c => c.order)
            .Select(c => c.shift)
            .ToList();
        var impacts = indicators.Sum(c => c.Impact);
        var change = after.Health[accountAfter] - before.Health[accountBefore];
        return new HealthChange(before.Health[accountBefore], after.Health[accountAfter], indicators, change - impacts,
            EventTypeChanges(before, accountBefore, after, accountAfter), UserChanges(before, accountBefore, after, accountAfter));
    }

    /// <summary>
    /// The custom indicators of the account's model at either time, matched by key: the later model's in its order,
    /// then those only the earlier model had. One absent from a time's model contributes 0 there.
    /// </summary>
    private static IEnumerable<IndicatorShift> CustomShifts(PortfolioScores before, int accountBefore, PortfolioScores after, int accountAfter)
    {
        var keys = after.ModelOf(accountAfter).CustomIndicators.Select(c => c.Key)
            .Concat(before.ModelOf(accountBefore).CustomIndicators.Select(c => c.Key))
            .Distinct(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var (columnBefore, columnAfter) = (before.CustomColumnOf(key), after.CustomColumnOf(key));
            var definitionAfter = columnAfter < 0 ? null : after.CustomIndicatorOf(accountAfter, columnAfter);
            var definitionBefore = columnBefore < 0 ? null : before.CustomIndicatorOf(accountBefore, columnBefore);
            var definition = (definitionAfter ?? definitionBefore)!;
            yield return new IndicatorShift(key, definition.Name,
                definitionBefore is null ? null : before.CustomValue(accountBefore, columnBefore),
                definitionAfter is null ? null : after.CustomValue(accountAfter, columnAfter),
                definitionBefore is null ? 0 : before.CustomContribution(accountBefore, columnBefore),
                definitionAfter is null ? 0 : after.CustomContribution(accountAfter, columnAfter))
            {
                Custom = definition,
                MetricBefore = definitionBefore is null ? null : before.CustomReading(accountBefore, columnBefore),
                MetricAfter = definitionAfter is null ? null : after.CustomReading(accountAfter, columnAfter),
            };
        }
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
