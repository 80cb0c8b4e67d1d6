using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>Saved views in the browser: hide a column, save the grid's view, come back to a plain page, reopen it from the menu.</summary>
[Collection(AppCollection.Name)]
public sealed class SavedViewsTests(AppFixture app)
{
    [Fact]
    public async Task Saving_a_view_and_reopening_it_restores_the_grid()
    {
        // A CS manager's private view, so other tests' drawers stay as they were.
        var page = await app.NewPageAsync(HealthDashboard.Identity.Roles.CSManager);
        await app.GotoAsync(page, "/accounts?band=red,yellow&mine=0&sort=mrr&desc=1");
        var count = page.Locator("[data-testid=count-line]");
        await Assertions.Expect(count).ToContainTextAsync("accounts");

        // The column chooser hides "Last activity": the URL (and so the view) holds it.
        var activityHeader = page.Locator(".hd-accounts-grid thead").GetByText("Last activity");
        await Assertions.Expect(activityHeader).ToHaveCountAsync(1);
        await page.Locator("[data-testid=column-chooser] button").First.ClickAsync();
        await page.Locator("[data-testid=column-option][data-column=activity]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("hide=activity"));
        await Assertions.Expect(activityHeader).ToHaveCountAsync(0);
        await app.ScreenshotAsync(page, "accounts-column-chooser");
        await page.Keyboard.PressAsync("Escape");
        var filtered = await count.InnerTextAsync();
        var saved = page.Url;
        var firstRow = await page.Locator(".hd-accounts-grid a.hd-account-name").First.InnerTextAsync();

        await page.Locator("[data-testid=saved-views] button").ClickAsync();
        await page.Locator("[data-testid=save-view]").ClickAsync();
        await page.Locator("#view-name").FillAsync("At risk by MRR");
        await app.ScreenshotAsync(page, "saved-views-save-dialog");
        await page.Locator("[data-testid=view-save]").ClickAsync();
        await Assertions.Expect(page.Locator("#view-name")).ToHaveCountAsync(0);

        // Somewhere else, then the plain Accounts page (every account of the portfolio).
        await app.GotoAsync(page, "/accounts?mine=0");
        await Assertions.Expect(count).Not.ToHaveTextAsync(filtered);

        await page.Locator("[data-testid=saved-views] button").ClickAsync();
        await app.ScreenshotAsync(page, "saved-views-menu");
        await page.Locator("[data-testid=saved-view][data-view-name='At risk by MRR']").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(saved);
        await Assertions.Expect(count).ToHaveTextAsync(filtered);
        await Assertions.Expect(page.Locator(".hd-accounts-grid a.hd-account-name").First).ToHaveTextAsync(firstRow);
        await Assertions.Expect(page.Locator("[data-testid=band-red]")).ToHaveClassAsync(new Regex("mud-chip-selected"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sort by MRR, sorted high to low" })).ToBeVisibleAsync();
        await Assertions.Expect(activityHeader).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".hd-accounts-grid thead").GetByText("30-day trend")).ToHaveCountAsync(1);
    }
}
