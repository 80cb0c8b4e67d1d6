using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>A CSM override set on the account page shows on the Accounts page (marked, filtered) and in the export.</summary>
[Collection(OverrideAppCollection.Name)]
public sealed class OverrideTests(AppFixture app)
{
    [Fact]
    public async Task An_override_set_on_the_account_page_shows_on_the_accounts_page_and_in_the_export()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts?band=green&sort=mrr&desc=1");
        await page.WaitForSelectorAsync(".hd-account-name");
        var id = await page.Locator(".hd-account-id").First.InnerTextAsync();
        await page.Locator(".hd-account-name").First.ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=override-panel]");

        await page.Locator("input[data-testid=override-value]").FillAsync("12");
        await page.Locator("input[data-testid=override-reason]").FillAsync("The champion left and the new VP is reviewing every tool");
        await page.Locator("[data-testid=override-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=override-message]")).ToContainTextAsync("health overridden to 12");
        // The board re-scores in the background; the page follows with the effective score and the model's beside it.
        await Assertions.Expect(page.Locator("[data-testid=override-status]")).ToContainTextAsync("Overridden to 12", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".hd-gauge-number")).ToHaveTextAsync("12");
        await Assertions.Expect(page.Locator("[data-testid=overridden-tag]")).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, "account-overridden");

        await app.GotoAsync(page, "/accounts");
        await page.WaitForSelectorAsync(".hd-account-name");
        await page.ClickAsync("[data-testid=filter-overridden]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/accounts\?overridden=1$"));
        await Assertions.Expect(page.Locator(".hd-account-id")).ToHaveTextAsync([id]);
        await Assertions.Expect(page.Locator("[data-testid=overridden-chip]")).ToHaveCountAsync(1);
        await app.ScreenshotAsync(page, "accounts-overridden");

        using var http = await app.SignedInClientAsync(HealthDashboard.Identity.Roles.Admin);
        var csv = (await http.GetStringAsync("/export/accounts.csv?overridden=1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",overridden,model_health,model", csv[0], StringComparison.Ordinal);
        Assert.Equal(2, csv.Length);
        Assert.StartsWith($"{id},", csv[1], StringComparison.Ordinal);
        Assert.Contains(",12.00,12,D,red,", csv[1], StringComparison.Ordinal);
        Assert.Contains(",true,", csv[1], StringComparison.Ordinal);
    }
}
