using System.Globalization;
using HealthDashboard.Scoring;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// How the pages write numbers, money and times, so every page says the same thing the same way.
/// Invariant culture throughout (the product is English and scores are reproducible).
/// </summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// A user's engagement score, or "–" for a user with no engagement points: the curve's floor would
    /// read "1" beside "0 pts".
    /// </summary>
    public static string Engagement(double score, double points) => points > 0 ? Health(score) : "–";

    /// <summary>A health score as pages show it: rounded half away from zero ("74").</summary>
    public static string Health(double health) =>
        Indicators.RoundAway(health).ToString("0", Invariant);

    /// <summary>A signed change of health, rounded half away from zero ("+3", "−2", "0").</summary>
    public static string SignedHealth(double delta, int digits = 0)
    {
        var rounded = Indicators.RoundAway(delta, digits);
        var magnitude = Math.Abs(rounded).ToString(digits == 0 ? "0" : "0." + new string('0', digits), Invariant);
        return rounded > 0 ? "+" + magnitude : rounded < 0 ? "\u2212" + magnitude : magnitude;
    }

    /// <summary>Shown instead of a number that is not one (an overflowed sum, 0/0): never "$InfinityM" or "NaN%".</summary>
    public const string NoNumber = "\u2014";

    /// <summary>Money with thousands separators and no cents ("$12,400"); amounts past a trillion go compact.</summary>
    public static string Money(double amount) =>
        !double.IsFinite(amount) ? NoNumber
        : Math.Abs(amount) >= 1e12 ? MoneyCompact(amount)
        : (amount < 0 ? "-$" : "$") + Math.Abs(Indicators.RoundAway(amount)).ToString("#,0", Invariant);

    /// <summary>Money in a compact form for KPI tiles and chart axes ("$12.4k", "$1.25M", "$3.1B").</summary>
    public static string MoneyCompact(double amount)
    {
        if (!double.IsFinite(amount))
        {
            return NoNumber;
        }

        var sign = amount < 0 ? "-" : "";
        var value = Math.Abs(amount);
        return value switch
        {
            // No real portfolio gets here (imports stop at a billion per account); stay short rather than print 300 digits.
            >= 1e15 => $"{sign}>$999T",
            >= 1e12 => $"{sign}${(value / 1e12).ToString("0.##", Invariant)}T",
            >= 1e9 => $"{sign}${(value / 1e9).ToString("0.##", Invariant)}B",
            >= 1_000_000 => $"{sign}${(value / 1_000_000).ToString("0.##", Invariant)}M",
            >= 10_000 => $"{sign}${(value / 1_000).ToString("0.#", Invariant)}k",
            _ => sign + Money(value),
        };
    }

    /// <summary>A share (0-1) as a whole percentage ("42%"); not a number (0/0, ∞/∞) shows as a dash.</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? Indicators.RoundAway(share * 100).ToString("0", Invariant) + "%" : NoNumber;

    /// <summary>A whole number with thousands separators ("1,204").</summary>
    public static string Count(int count) => count.ToString("#,0", Invariant);

    /// <summary>A noun agreeing with a count: "account" for 1, "accounts" otherwise (plural: noun + "s" unless given).</summary>
    public static string Noun(int count, string singular, string? plural = null) =>
        count == 1 ? singular : plural ?? singular + "s";

    /// <summary>A count with its noun: "1 account", "2 accounts", "1,204 accounts".</summary>
    public static string Counted(int count, string singular, string? plural = null) =>
        $"{Count(count)} {Noun(count, singular, plural)}";

    /// <summary>A date ("23 Nov 2026").</summary>
    public static string Date(DateTime date) => date.ToString("d MMM yyyy", Invariant);

    /// <summary>A short date without the year, for chart categories ("23 Nov").</summary>
    public static string ShortDate(DateTime date) => date.ToString("d MMM", Invariant);

    /// <summary>The as-of time of a score ("23 Nov 2026 12:00 UTC").</summary>
    public static string AsOf(DateTime asOf) => asOf.ToString("d MMM yyyy HH:mm", Invariant) + " UTC";
}
