using MudBlazor;

namespace HealthDashboard.Theme;

/// <summary>
/// The one MudBlazor theme of the product: a calm indigo primary, neutral slate surfaces, the band
/// colours of <see cref="BandColors"/> as Success / Warning / Error, and Inter (shipped in
/// wwwroot/lib/inter) with a tight type scale.
/// </summary>
public static class HealthTheme
{
    private static readonly string[] FontFamily =
        ["Inter Variable", "Inter", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    /// <summary>The primary colour of the light palette.</summary>
    public const string PrimaryLight = "#4f46e5";

    /// <summary>The primary colour of the dark palette.</summary>
    public const string PrimaryDark = "#818cf8";

    /// <summary>The primary colour, for charts that draw their own colours.</summary>
    public static string PrimaryHex(bool darkMode) => darkMode ? PrimaryDark : PrimaryLight;

    /// <summary>The theme given to MudThemeProvider.</summary>
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = PrimaryLight,
            PrimaryContrastText = "#ffffff",
            // Sky 700: 5.9:1 on white as text, and white on it as a filled button (axe 4.5:1).
            Secondary = "#0369a1",
            SecondaryContrastText = "#ffffff",
            Tertiary = "#8b5cf6",
            Info = "#0284c7",
            Success = BandColors.GreenLight,
            Warning = BandColors.YellowLight,
            Error = BandColors.RedLight,
            Dark = "#1e293b",
            Background = "#f6f7fb",
            BackgroundGray = "#eef0f5",
            Surface = "#ffffff",
            AppbarBackground = "#ffffff",
            AppbarText = "#0f172a",
            DrawerBackground = "#ffffff",
            DrawerText = "#334155",
            DrawerIcon = "#64748b",
            TextPrimary = "#0f172a",
            // Slate between 500 and 600: 4.5:1 or better on the grey and tinted backgrounds (slate-500 is 4.2 on BackgroundGray).
            TextSecondary = "#5b6678",
            TextDisabled = "#94a3b8",
            ActionDefault = "#64748b",
            Divider = "#e2e8f0",
            DividerLight = "#f1f5f9",
            LinesDefault = "#e2e8f0",
            LinesInputs = "#cbd5e1",
            TableLines = "#eef2f7",
            TableHover = "#f8fafc",
            TableStriped = "#f8fafc",
            Skeleton = "#e9edf3",
        },
        PaletteDark = new PaletteDark
        {
            Primary = PrimaryDark,
            PrimaryContrastText = "#0b1020",
            Secondary = "#38bdf8",
            SecondaryContrastText = "#0b1020",
            Tertiary = "#a78bfa",
            Info = "#38bdf8",
            Success = BandColors.GreenDark,
            Warning = BandColors.YellowDark,
            Error = BandColors.RedDark,
            Dark = "#0b1020",
            Background = "#0b1020",
            BackgroundGray = "#111827",
            Surface = "#131a2a",
            AppbarBackground = "#131a2a",
            AppbarText = "#e2e8f0",
            DrawerBackground = "#131a2a",
            DrawerText = "#cbd5e1",
            DrawerIcon = "#94a3b8",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#94a3b8",
            TextDisabled = "#64748b",
            ActionDefault = "#94a3b8",
            Divider = "#232c3f",
            DividerLight = "#1b2336",
            LinesDefault = "#232c3f",
            LinesInputs = "#334155",
            TableLines = "#1f2738",
            TableHover = "#182033",
            TableStriped = "#161d2e",
            Skeleton = "#1f2738",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontFamily, FontSize = ".875rem", LineHeight = "1.5", LetterSpacing = "normal" },
            H1 = new H1Typography { FontFamily = FontFamily, FontSize = "2.25rem", FontWeight = "700", LineHeight = "1.2", LetterSpacing = "-.02em" },
            H2 = new H2Typography { FontFamily = FontFamily, FontSize = "1.875rem", FontWeight = "700", LineHeight = "1.25", LetterSpacing = "-.02em" },
            H3 = new H3Typography { FontFamily = FontFamily, FontSize = "1.5rem", FontWeight = "650", LineHeight = "1.3", LetterSpacing = "-.015em" },
            H4 = new H4Typography { FontFamily = FontFamily, FontSize = "1.375rem", FontWeight = "650", LineHeight = "1.3", LetterSpacing = "-.015em" },
            H5 = new H5Typography { FontFamily = FontFamily, FontSize = "1.125rem", FontWeight = "600", LineHeight = "1.4", LetterSpacing = "-.01em" },
            H6 = new H6Typography { FontFamily = FontFamily, FontSize = "1rem", FontWeight = "600", LineHeight = "1.4", LetterSpacing = "-.005em" },
            Subtitle1 = new Subtitle1Typography { FontFamily = FontFamily, FontSize = ".9375rem", FontWeight = "500", LineHeight = "1.5", LetterSpacing = "normal" },
            Subtitle2 = new Subtitle2Typography { FontFamily = FontFamily, FontSize = ".8125rem", FontWeight = "600", LineHeight = "1.5", LetterSpacing = "normal" },
            Body1 = new Body1Typography { FontFamily = FontFamily, FontSize = ".875rem", FontWeight = "400", LineHeight = "1.55", LetterSpacing = "normal" },
            Body2 = new Body2Typography { FontFamily = FontFamily, FontSize = ".8125rem", FontWeight = "400", LineHeight = "1.5", LetterSpacing = "normal" },
            Button = new ButtonTypography { FontFamily = FontFamily, FontSize = ".8125rem", FontWeight = "600", LineHeight = "1.75", LetterSpacing = "normal", TextTransform = "none" },
            Caption = new CaptionTypography { FontFamily = FontFamily, FontSize = ".75rem", FontWeight = "400", LineHeight = "1.5", LetterSpacing = "normal" },
            Overline = new OverlineTypography { FontFamily = FontFamily, FontSize = ".6875rem", FontWeight = "600", LineHeight = "1.5", LetterSpacing = ".08em", TextTransform = "uppercase" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "10px",
            DrawerWidthLeft = "240px",
            AppbarHeight = "64px",
        },
    };
}
