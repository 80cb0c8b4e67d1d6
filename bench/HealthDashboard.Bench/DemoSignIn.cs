using HealthDashboard.Identity;
using Microsoft.Playwright;

namespace HealthDashboard.Bench;

/// <summary>Signs the bench's browser pages in through the app's sign-in form, as the demo admin.</summary>
public static class DemoSignIn
{
    /// <summary>The demo team's admin (the demo data set creates it).</summary>
    public static DemoTeam.DemoMember Admin { get; } = DemoTeam.Members.First(m => m.Role == Roles.Admin);

    /// <summary>Fills and sends the form at <paramref name="signInUrl"/>, and waits until the app has left the sign-in page.</summary>
    public static async Task AsAdminAsync(IPage page, string signInUrl)
    {
        await page.GotoAsync(signInUrl);
        await page.Locator("#email").FillAsync(Admin.Email);
        await page.Locator("#password").FillAsync(Admin.Password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 120_000 });
    }
}
