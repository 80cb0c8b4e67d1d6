namespace HealthDashboard.Theme;

/// <summary>
/// The colour scheme in use, cascaded by the main layout so charts and other components that
/// draw their own colours (outside MudBlazor's CSS variables) can follow dark mode.
/// </summary>
/// <param name="IsDarkMode">True when the dark palette is active.</param>
public sealed record ThemeState(bool IsDarkMode)
{
    /// <summary>The light scheme, used when nothing is cascaded (e.g. in isolated component tests).</summary>
    public static ThemeState Light { get; } = new(false);
}
