using System.Text.RegularExpressions;

namespace HealthDashboard.Scoring;

/// <summary>How a custom indicator turns its metric's value into a 0-100 score (SCORING.md "Custom indicators").</summary>
public enum CustomScoring
{
    /// <summary>The value is already 0-100: x = clamp(value, 0, 100) (lower is better: 100 - that).</summary>
    Direct,

    /// <summary>Normalized over the model's scored accounts that have a value, like Engagement (lower is better: 101 - norm).</summary>
    Curve,

    /// <summary>x = 100 clamp((value - worst) / (best - worst), 0, 1); worst above best scores a lower-is-better metric.</summary>
    Range,
}

/// <summary>
/// An indicator an admin defines over an imported account metric (SCORING.md "Custom indicators"). Its value at T is
/// the account's latest row of <see cref="Metric"/> with T - <see cref="MaxAgeDays"/> days &lt; time &lt;= T (of rows
/// at the same time, the last imported); without one it is missing and drops out of the composite.
/// </summary>
/// <remarks>
/// For <see cref="CustomScoring.Range"/> the direction is carried by worst and best (worst above best is a
/// lower-is-better metric), so <see cref="HigherIsBetter"/> is not applied a second time.
/// </remarks>
public sealed partial record CustomIndicator
{
    /// <summary>Key (the <c>scores</c> column): lower-case letters, digits and underscores, starting with a letter.</summary>
    public string Key { get; init; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The metric key of <c>metrics.csv</c> it reads.</summary>
    public string Metric { get; init; } = "";

    /// <summary>Weight in the composite, 0-100.</summary>
    public double Weight { get; init; }

    /// <summary>Maximum age A in days of the value read (default 90).</summary>
    public int MaxAgeDays { get; init; } = 90;

    /// <summary>True when a higher value is healthier (direct and curve).</summary>
    public bool HigherIsBetter { get; init; } = true;

    /// <summary>How the value is scored.</summary>
    public CustomScoring Scoring { get; init; } = CustomScoring.Direct;

    /// <summary>The value that scores 0 (range only).</summary>
    public double? Worst { get; init; }

    /// <summary>The value that scores 100 (range only).</summary>
    public double? Best { get; init; }

    /// <summary>Longest key, name or metric accepted.</summary>
    public const int MaxTextLength = 100;

    /// <summary>Longest maximum age accepted (ten years).</summary>
    public const int MaxAgeLimitDays = 3650;

    /// <summary>Keys a custom indicator may not take: the built-in indicators and the other <c>scores</c> columns.</summary>
    public static IReadOnlySet<string> ReservedKeys { get; } =
        new HashSet<string>([.. Indicators.All.Select(i => i.ToKey()), "account_id", "health", "grade", "band", "override"], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex KeyPattern();

    /// <summary>The score of a value (direct and range; a curve needs its population: <see cref="Normalization"/>).</summary>
    public double ScoreOf(double value) => Scoring switch
    {
        CustomScoring.Range when Worst is { } worst && Best is { } best && best != worst => 100 * Math.Clamp((value - worst) / (best - worst), 0, 1),
        CustomScoring.Range => double.NaN,
        _ => HigherIsBetter ? Math.Clamp(value, 0, 100) : 100 - Math.Clamp(value, 0, 100),
    };

    /// <summary>Every problem of this indicator, its fields named <c>CustomIndicators[i].Field</c>.</summary>
    internal IEnumerable<ModelProblem> Validate(int index)
    {
        var at = $"CustomIndicators[{index}]";
        var label = string.IsNullOrWhiteSpace(Key) ? $"Custom indicator {index + 1}" : $"Custom indicator '{Key}'";
        if (string.IsNullOrEmpty(Key) || Key.Length > MaxTextLength || !KeyPattern().IsMatch(Key))
        {
            yield return new($"{at}.Key", $"{label}: the key must be 1-{MaxTextLength} lower-case letters, digits or underscores, starting with a letter.");
        }
        else if (ReservedKeys.Contains(Key))
        {
            yield return new($"{at}.Key", $"{label}: the key '{Key}' is taken by a built-in column; choose another.");
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxTextLength)
        {
            yield return new($"{at}.Name", $"{label}: the name must be 1-{MaxTextLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(Metric) || Metric.Length > MaxTextLength)
        {
            yield return new($"{at}.Metric", $"{label}: name the metric it reads (1-{MaxTextLength} characters).");
        }

        if (!(Weight >= 0 && Weight <= 100))
        {
            yield return new($"{at}.Weight", $"{label}: the weight must be between 0 and 100 (got {Weight}).");
        }

        if (MaxAgeDays is < 1 or > MaxAgeLimitDays)
        {
            yield return new($"{at}.MaxAgeDays", $"{label}: the maximum age must be between 1 and {MaxAgeLimitDays} days (got {MaxAgeDays}).");
        }

        if (!Enum.IsDefined(Scoring))
        {
            yield return new($"{at}.Scoring", $"{label}: scoring must be direct, curve or range.");
        }

        if (Scoring == CustomScoring.Range)
        {
            if (Worst is not { } worst || Best is not { } best || !double.IsFinite(worst) || !double.IsFinite(best))
            {
                yield return new($"{at}.Range", $"{label}: range scoring needs a worst and a best value.");
            }
            else if (worst == best)
            {
                yield return new($"{at}.Range", $"{label}: the best value must differ from the worst ({worst}).");
            }
        }
    }
}
