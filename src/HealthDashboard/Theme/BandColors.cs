using HealthDashboard.Scoring;
using MudBlazor;

namespace HealthDashboard.Theme;

/// <summary>
/// The one place band colours are defined. The theme's Success / Warning / Error palette entries are
/// these colours, chips and badges use <see cref="CssClass"/> (which reads the palette variables, so dark
/// mode follows), and charts use <see cref="Hex"/>. Nothing else spells a band colour.
/// </summary>
public static class BandColors
{
    /// <summary>Green on a light background (Tailwind green-600).</summary>
    public const string GreenLight = "#16a34a";

    /// <summary>Yellow on a light background (amber-500: amber reads as "watch", pure yellow is unreadable on white).</summary>
    public const string YellowLight = "#f59e0b";

    /// <summary>Red on a light background (red-600).</summary>
    public const string RedLight = "#dc2626";

    /// <summary>Green on a dark background (green-500).</summary>
    public const string GreenDark = "#22c55e";

    /// <summary>Yellow on a dark background (amber-400).</summary>
    public const string YellowDark = "#fbbf24";

    /// <summary>Red on a dark background (red-400).</summary>
    public const string RedDark = "#f87171";

    /// <summary>Bands in risk order, red first: the order of legends and stacked series.</summary>
    public static IReadOnlyList<Band> RiskOrder { get; } = [Band.Red, Band.Yellow, Band.Green];

    /// <summary>The band's colour as a hex string, for charts.</summary>
    public static string Hex(Band band, bool darkMode = false) => (band, darkMode) switch
    {
        (Band.Green, false) => GreenLight,
        (Band.Yellow, false) => YellowLight,
        (Band.Red, false) => RedLight,
        (Band.Green, true) => GreenDark,
        (Band.Yellow, true) => YellowDark,
        (Band.Red, true) => RedDark,
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    /// <summary>The MudBlazor colour of the band (the palette entry that holds its colour).</summary>
    public static Color Color(Band band) => band switch
    {
        Band.Green => MudBlazor.Color.Success,
        Band.Yellow => MudBlazor.Color.Warning,
        Band.Red => MudBlazor.Color.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    /// <summary>
    /// CSS class setting <c>--hd-band</c> to the band's palette colour (see app.css); components style
    /// themselves with <c>var(--hd-band)</c>.
    /// </summary>
    public static string CssClass(Band band) => band switch
    {
        Band.Green => "hd-band-green",
        Band.Yellow => "hd-band-yellow",
        Band.Red => "hd-band-red",
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    /// <summary>What the band means, for people ("Healthy", "Watch", "At risk").</summary>
    public static string Label(Band band) => band switch
    {
        Band.Green => "Healthy",
        Band.Yellow => "Watch",
        Band.Red => "At risk",
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };
}
