using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace HealthDashboard.Components.Layout;

/// <summary>
/// The application shell: theme, app bar (brand, account search, as-of time, dark-mode switch),
/// navigation drawer and an error boundary around the page.
/// </summary>
public sealed partial class MainLayout
{
    // sessionStorage key of the chosen scheme: the choice lasts for the browser tab's session.
    private const string SchemeStorageKey = "healthdashboard.scheme";

    private MudThemeProvider? themeProvider;
    private ErrorBoundary? errorBoundary;
    private bool drawerOpen = true;
    private bool isDarkMode;
    private bool userChoseScheme;
    private ThemeState themeState = ThemeState.Light;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>A new page recovers the error boundary, so one failed page does not stick.</summary>
    protected override void OnParametersSet() => errorBoundary?.Recover();

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || themeProvider is null)
        {
            return;
        }

        try
        {
            var stored = await JS.InvokeAsync<string?>("sessionStorage.getItem", SchemeStorageKey);
            userChoseScheme = stored is "dark" or "light";
            var dark = userChoseScheme ? stored == "dark" : await themeProvider.GetSystemDarkModeAsync();
            await themeProvider.WatchSystemDarkModeAsync(OnSystemDarkModeChangedAsync);
            SetDarkMode(dark);
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away during start-up; nothing to restore.
        }
    }

    private Task OnSystemDarkModeChangedAsync(bool dark)
    {
        // The system preference only leads until the user picks a scheme in this session.
        if (!userChoseScheme)
        {
            SetDarkMode(dark);
            return InvokeAsync(StateHasChanged);
        }

        return Task.CompletedTask;
    }

    private async Task ToggleDarkModeAsync()
    {
        SetDarkMode(!isDarkMode);
        userChoseScheme = true;
        try
        {
            await JS.InvokeVoidAsync("sessionStorage.setItem", SchemeStorageKey, isDarkMode ? "dark" : "light");
        }
        catch (JSDisconnectedException)
        {
            // The tab is gone; the choice would have ended with it anyway.
        }
    }

    private void SetDarkMode(bool dark)
    {
        isDarkMode = dark;
        themeState = new ThemeState(dark);
    }

    private void ToggleDrawer() => drawerOpen = !drawerOpen;

    private void Recover() => errorBoundary?.Recover();
}
