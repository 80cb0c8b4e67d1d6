using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// The Accounts grid's bulk actions in the browser: select a page of rows, tag them all at once (confirmed with the
/// count), filter by the tag, save that view and reopen it; then untag them the same way. Select two rows and give
/// them a new owner.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AccountBulkActionsTests(AppFixture app)
{
    private const string Tag = "Bulk wave";

    [Fact]
    public async Task Selected_rows_are_tagged_together_and_a_saved_view_keeps_the_tag_filter()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts?mine=0&band=red&size=10");
        var count = page.Locator("[data-testid=count-line]");
        await Assertions.Expect(count).ToContainTextAsync("accounts");
        await Assertions.Expect(page.Locator("[data-testid=accounts-bulk-bar]")).ToHaveCountAsync(0);

        await SelectPageAsync(page);
        await page.Locator("#bulk-tag").FillAsync(Tag);
        await app.ScreenshotAsync(page, "accounts-bulk-bar");
        await page.Locator("[data-testid=bulk-apply]").ClickAsync();
        await Assertions.Expect(page.GetByText("Tag 10 accounts with \"Bulk wave\"?")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add tag", Exact = true }).ClickAsync();

        var chips = page.Locator($"[data-testid=row-tag][data-tag='{Tag}']");
        await Assertions.Expect(chips).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid=accounts-bulk-bar]")).ToHaveCountAsync(0);
        await app.ScreenshotAsync(page, "accounts-row-tags");

        // A chip filters by its tag: the ten accounts, whatever the band.
        await app.GotoAsync(page, "/accounts?mine=0");
        await chips.First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("tag=Bulk%20wave"));
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^10 accounts ·"));

        await page.Locator("[data-testid=saved-views] button").ClickAsync();
        await page.Locator("[data-testid=save-view]").ClickAsync();
        await page.Locator("#view-name").FillAsync("Bulk wave accounts");
        await page.Locator("[data-testid=view-save]").ClickAsync();
        await Assertions.Expect(page.Locator("#view-name")).ToHaveCountAsync(0);

        await app.GotoAsync(page, "/accounts?mine=0");
        await Assertions.Expect(count).Not.ToHaveTextAsync(new Regex("^10 accounts ·"));
        await page.Locator("[data-testid=saved-views] button").ClickAsync();
        await page.Locator("[data-testid=saved-view][data-view-name='Bulk wave accounts']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]tag=Bulk%20wave"));
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^10 accounts ·"));
        await Assertions.Expect(chips).ToHaveCountAsync(10);

        // Untag them the same way, so the demo stays as it was: the view then matches nothing.
        await SelectPageAsync(page);
        await page.Locator("[data-testid=bulk-action]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Remove a tag", Exact = true }).ClickAsync();
        await page.Locator("#bulk-tag").FillAsync(Tag);
        await page.Locator("[data-testid=bulk-apply]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove tag", Exact = true }).ClickAsync();
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^0 accounts ·"));
    }

    [Fact]
    public async Task Two_selected_rows_get_a_new_owner_and_the_owner_column_shows_it_without_a_reload()
    {
        // Two accounts of its own, so the demo's owners (and "My accounts") stay as the other tests expect them.
        var folder = Directory.CreateTempSubdirectory("hd-owners-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "accounts.csv"),
            "id,name,seats,mrr,owner,created_at\nZZ-OWN-1,Ownerless Mills,4,700,Dana Former,2025-01-01\nZZ-OWN-2,Handover Foods,3,500,,2025-01-01\n");
        var (code, _, error) = await app.RunCliAsync("import", folder, "--db", app.DatabaseFile);
        Assert.True(code == 0, error);

        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts?mine=0&q=ZZ-OWN");
        var owners = page.Locator("[data-testid=row-owner]");
        await Assertions.Expect(owners).ToHaveTextAsync(["Dana Former", "Unassigned"], new() { Timeout = 30_000 });

        await page.Locator("[data-testid=select-row][data-account='ZZ-OWN-1']").CheckAsync();
        await page.Locator("[data-testid=select-row][data-account='ZZ-OWN-2']").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-count]")).ToHaveTextAsync("2 accounts selected");
        await page.Locator("[data-testid=bulk-action]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Assign an owner", Exact = true }).ClickAsync();
        await page.Locator("[data-testid=bulk-owner]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Priya Raman", Exact = true }).ClickAsync();
        await app.ScreenshotAsync(page, "accounts-bulk-owner");
        await page.Locator("[data-testid=bulk-apply]").ClickAsync();
        await Assertions.Expect(page.GetByText("Make Priya Raman the owner of 2 accounts?")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign owner", Exact = true }).ClickAsync();

        await Assertions.Expect(owners).ToHaveTextAsync(["Priya Raman", "Priya Raman"], new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=accounts-bulk-bar]")).ToHaveCountAsync(0);
        var audit = await app.NewPageAsync();
        await app.GotoAsync(audit, "/admin/audit?action=account.owner");
        await Assertions.Expect(audit.GetByText("Dana Former → Priya Raman")).ToBeVisibleAsync();
        await Assertions.Expect(audit.GetByText("Unassigned → Priya Raman")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_bulk_bar_fits_a_phone()
    {
        var page = await app.NewPageAsync(width: 390, height: 844);
        await app.GotoAsync(page, "/accounts?mine=0&band=red&size=10");
        await SelectPageAsync(page);
        await page.Locator("[data-testid=bulk-action]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Create a task", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-task-title")).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, "accounts-bulk-bar-390");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
    }

    private static async Task SelectPageAsync(IPage page)
    {
        // The page's rows first: the header's box selects the rows shown (it is disabled until they are).
        await Assertions.Expect(page.Locator("[data-testid=select-row]")).ToHaveCountAsync(10);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select every account on this page" }).CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-count]")).ToHaveTextAsync("10 accounts selected");
    }
}
