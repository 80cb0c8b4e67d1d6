using HealthDashboard.Scoring;
using HealthDashboard.Theme;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The editor's vocabulary: the field paths <see cref="ScoringModel.Validate"/> reports problems under,
/// what each indicator measures, and the two non-band colours the editor's charts use.
/// </summary>
public static class ModelFields
{
    /// <summary>Field path of an event type's weight.</summary>
    public static string EventWeight(string key) => $"EventTypes[{key}].Weight";

    /// <summary>Field path of an indicator weight.</summary>
    public static string IndicatorWeight(Indicator indicator) => $"IndicatorWeights.{indicator}";

    /// <summary>Field path of the rule "at least one indicator weight above 0".</summary>
    public const string IndicatorWeights = "IndicatorWeights";

    /// <summary>Field path of the curvature k.</summary>
    public const string Curvature = "Curvature";

    /// <summary>Field path of the window W.</summary>
    public const string WindowDays = "WindowDays";

    /// <summary>Field path of the rule "thresholds increase strictly".</summary>
    public const string Thresholds = "Thresholds";

    /// <summary>Field path of one grade's threshold ("A", "B" or "C").</summary>
    public static string Threshold(string grade) => $"Thresholds.{grade}";

    /// <summary>What an indicator measures, in one line (SCORING.md "Indicators").</summary>
    public static string Describe(Indicator indicator) => indicator switch
    {
        Indicator.Engagement => "Weighted product events in the window, against the portfolio's 90th percentile",
        Indicator.Breadth => "Active users as a share of licensed seats",
        Indicator.Depth => "Share of the key features the account used",
        Indicator.Frequency => "Active days per active user, against working days",
        Indicator.Recency => "Days since the last activity, against the window",
        Indicator.Support => "Tickets and escalations per seat: fewer is healthier",
        Indicator.Sentiment => "NPS, CSAT and ticket ratings of the last 90 days",
        Indicator.Growth => "MRR change over the last 90 days",
        _ => "",
    };

    /// <summary>The icon of an indicator.</summary>
    public static string Icon(Indicator indicator) => indicator switch
    {
        Indicator.Engagement => Icons.Material.Rounded.Bolt,
        Indicator.Breadth => Icons.Material.Rounded.Groups,
        Indicator.Depth => Icons.Material.Rounded.Layers,
        Indicator.Frequency => Icons.Material.Rounded.EventRepeat,
        Indicator.Recency => Icons.Material.Rounded.Schedule,
        Indicator.Support => Icons.Material.Rounded.SupportAgent,
        Indicator.Sentiment => Icons.Material.Rounded.SentimentSatisfied,
        Indicator.Growth => Icons.Material.Rounded.TrendingUp,
        _ => Icons.Material.Rounded.Circle,
    };

    /// <summary>The draft's series colour in charts: the theme's primary.</summary>
    public static string DraftColor(bool darkMode) => HealthTheme.PrimaryHex(darkMode);

    /// <summary>The saved model's series colour in charts: a quiet slate, so the draft stands out.</summary>
    public static string SavedColor(bool darkMode) => darkMode ? "#475569" : "#cbd5e1";
}
