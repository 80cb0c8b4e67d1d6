namespace HealthDashboard.Scoring;

/// <summary>The eight health indicators of SCORING.md, in the order exports list them.</summary>
public enum Indicator
{
    Engagement,
    Breadth,
    Depth,
    Frequency,
    Recency,
    Support,
    Sentiment,
    Growth,
}

/// <summary>Grade letters, best first.</summary>
public enum Grade
{
    A,
    B,
    C,
    D,
}

/// <summary>Traffic-light band of a grade: A and B are green, C yellow, D red.</summary>
public enum Band
{
    Green,
    Yellow,
    Red,
}

/// <summary>Helpers over the indicator, grade and band enums.</summary>
public static class Indicators
{
    /// <summary>Number of indicators.</summary>
    public const int Count = 8;

    /// <summary>All indicators in export order.</summary>
    public static IReadOnlyList<Indicator> All { get; } = Enum.GetValues<Indicator>();

    /// <summary>The band a grade belongs to.</summary>
    public static Band BandOf(Grade grade) => grade switch
    {
        Grade.A or Grade.B => Band.Green,
        Grade.C => Band.Yellow,
        _ => Band.Red,
    };

    /// <summary>Lower-case band name as exports and the command line write it.</summary>
    public static string ToKey(this Band band) => band switch
    {
        Band.Green => "green",
        Band.Yellow => "yellow",
        _ => "red",
    };

    /// <summary>Lower-case indicator name as exports write it.</summary>
    public static string ToKey(this Indicator indicator) => indicator.ToString().ToLowerInvariant();

    /// <summary>Rounds half away from zero, as pages (0 digits) and exports (2 digits) do.</summary>
    public static double RoundAway(double value, int digits = 0) =>
        Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
