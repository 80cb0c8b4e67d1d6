using System.Globalization;
using HealthDashboard.Components.Shared;
using HealthDashboard.Scoring;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>One line of "What changed": an indicator's move in plain words, its impact and what was behind it.</summary>
/// <param name="Key">The indicator's key, built-in (<c>frequency</c>) or custom (null: the score floor of 1, when clamping moved the total).</param>
/// <param name="Impact">Points of health, rounded to one decimal so that the lines add up to the shown change.</param>
/// <param name="Text">"Frequency fell from 62 to 31 and cost 3.1 points".</param>
/// <param name="Details">What was behind the move, each a short phrase: users and event types, or a custom indicator's metric values.</param>
public sealed record ChangeLine(string? Key, double Impact, string Text, IReadOnlyList<string> Details);

/// <summary>
/// Puts a <see cref="HealthChange"/> into words. Impacts are shown to one decimal, rounded by largest remainder so
/// that the shown lines add up exactly to the shown change of health (plain rounding could be off by 0.1).
/// </summary>
public static class ChangeWords
{
    private const int MaxNamed = 4;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The lines of a change, largest impact first; lines that neither moved nor cost anything are left out.</summary>
    public static IReadOnlyList<ChangeLine> Lines(HealthChange change)
    {
        var parts = change.Indicators.Select(c => (Shift: (IndicatorShift?)c, c.Impact)).ToList();
        if (change.ClampEffect != 0)
        {
            parts.Add((null, change.ClampEffect));
        }

        var rounded = RoundToSum([.. parts.Select(p => p.Impact)], change.Change, 1);
        var lines = new List<ChangeLine>();
        for (var i = 0; i < parts.Count; i++)
        {
            var c = parts[i].Shift;
            if (c is null && rounded[i] != 0)
            {
                lines.Add(new ChangeLine(null, rounded[i], $"The score floor of 1 {Points(rounded[i])}", []));
            }
            else if (c is not null && (rounded[i] != 0 || c.Before != c.After))
            {
                lines.Add(new ChangeLine(c.Key, rounded[i], Sentence(c, rounded[i]), Details(c, change)));
            }
        }

        return [.. lines.OrderByDescending(l => Math.Abs(l.Impact))];
    }

    /// <summary>
    /// Rounds <paramref name="values"/> to <paramref name="digits"/> decimals so that they add up to
    /// <paramref name="total"/> rounded the same way (largest remainder).
    /// </summary>
    public static double[] RoundToSum(IReadOnlyList<double> values, double total, int digits)
    {
        var scale = Math.Pow(10, digits);
        var target = (long)Math.Round(total * scale, MidpointRounding.AwayFromZero);
        var floors = values.Select(v => (long)Math.Floor(v * scale)).ToArray();
        var missing = target - floors.Sum();
        var order = Enumerable.Range(0, values.Count)
            .OrderByDescending(i => (values[i] * scale) - floors[i]).ThenBy(i => i).ToList();
        for (var k = 0; k < Math.Abs(missing) && order.Count > 0; k++)
        {
            var i = missing > 0 ? order[k % order.Count] : order[order.Count - 1 - (k % order.Count)];
            floors[i] += Math.Sign(missing);
        }

        return [.. floors.Select(f => f / scale)];
    }

    private static string Sentence(IndicatorShift c, double impact)
    {
        var name = c.Name;
        var move = (c.Before, c.After) switch
        {
            (null, null) => "had no value at either date",
            (null, { } after) => $"had no value and is now {Score(after)}",
            ({ } before, null) => $"was {Score(before)} and has no value now",
            ({ } before, { } after) when Indicators.RoundAway(after) > Indicators.RoundAway(before) => $"rose from {Score(before)} to {Score(after)}",
            ({ } before, { } after) when Indicators.RoundAway(after) < Indicators.RoundAway(before) => $"fell from {Score(before)} to {Score(after)}",
            ({ } before, _) => $"stayed at {Score(before)}",
        };
        var cost = impact switch
        {
            < 0 => $"and cost {Format.SignedHealth(-impact, 1).TrimStart('+')} points",
            > 0 => $"and added {Format.SignedHealth(impact, 1).TrimStart('+')} points",
            _ => "and moved health by less than 0.1 points",
        };
        // A steady indicator still moves H when others appear or drop out (re-weighting).
        return c.Before is { } b && c.After is { } a && Indicators.RoundAway(a) == Indicators.RoundAway(b) && impact != 0
            ? $"{name} {move}; re-weighting {(impact < 0 ? "cost" : "added")} {Math.Abs(impact).ToString("0.0", Invariant)} points"
            : $"{name} {move} {cost}";
    }

    private static List<string> Details(IndicatorShift c, HealthChange change)
    {
        var details = new List<string>();
        if (c.Custom is { } custom)
        {
            details.Add(MetricDetail(custom, c.MetricBefore, c.MetricAfter));
        }

        switch (c.Indicator)
        {
            case Indicator.Engagement:
                details.AddRange(change.EventTypes.Where(e => Math.Abs(e.Change) >= 0.5).Take(MaxNamed)
                    .Select(e => $"{e.Name}: {Pts(e.PointsBefore)} → {Pts(e.PointsAfter)} points"));
                details.AddRange(change.Users.Where(u => Math.Abs(u.Change) >= 0.5).Take(MaxNamed)
                    .Select(u => $"{u.Name ?? u.Id}: {Pts(u.PointsBefore)} → {Pts(u.PointsAfter)} points"));
                break;
            case Indicator.Breadth or Indicator.Frequency:
                AddUsers(details, change.Users.Where(u => u.WentQuiet).ToList(), "went quiet");
                AddUsers(details, change.Users.Where(u => u.CameBack).ToList(), "became active");
                break;
        }

        return details;
    }

    /// <summary>"Metric onboarding_progress: 40 (12 Oct 2026) → 70 (20 Nov 2026)"; a side without a value says so.</summary>
    private static string MetricDetail(CustomIndicator custom, MetricReading? before, MetricReading? after)
    {
        string Reading(MetricReading? r) => r is { } x
            ? $"{x.Value.ToString("#,0.##", Invariant)} ({Format.Date(x.At)})"
            : $"no value within {custom.MaxAgeDays} days";
        return $"Metric {custom.Metric}: {Reading(before)} → {Reading(after)}";
    }

    private static void AddUsers(List<string> details, List<UserShift> users, string what)
    {
        if (users.Count > 0)
        {
            var names = string.Join(", ", users.Take(MaxNamed).Select(u => u.Name ?? u.Id));
            details.Add($"{Format.Counted(users.Count, "user")} {what}: {names}{(users.Count > MaxNamed ? ", …" : "")}");
        }
    }

    private static string Score(double x) => Format.Health(x);

    private static string Pts(double x) => x.ToString("#,0", Invariant);

    private static string Points(double impact) => impact < 0
        ? $"cost {Math.Abs(impact).ToString("0.0", Invariant)} points"
        : $"added {impact.ToString("0.0", Invariant)} points";
}
