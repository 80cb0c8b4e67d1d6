using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// The Accounts, Account and Users pages in a real browser over the demo data: the grids agree with
/// their CSV exports, the URL carries the view across a reload, and the account breakdown adds up.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AccountPagesTests(AppFixture app)
{
    [Fact]
    public async Task The_accounts_grid_and_its_csv_export_show_the_same_rows_and_numbers()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts?band=red,yellow&sort=mrr&desc=1");
        await page.WaitForSelectorAsync(".hd-account-name");
        await app.ScreenshotAsync(page, "accounts-red-yellow-by-mrr");

        var ids = await page.Locator(".hd-account-id").AllInnerTextsAsync();
        var health = await page.Locator(".hd-account-name >> xpath=ancestor::tr//span[contains(@class,'hd-health-value')]").AllInnerTextsAsync();
        Assert.Equal(25, ids.Count);

        var href = await page.Locator("[data-testid=export]").GetAttributeAsync("href");
        Assert.Equal("export/accounts.csv?band=red,yellow&sort=mrr&desc=1", href);
        using var http = await app.SignedInClientAsync(HealthDashboard.Identity.Roles.Admin);
        var csv = (await http.GetStringAsync("/" + href)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = csv.Skip(1).Take(25).Select(line => line.Split(',')).ToList();
        // Names may hold quoted commas: compare the id (first) and the rounded health (fourth before any name comma).
        Assert.Equal(ids, rows.Select(r => r[0]));
        Assert.Equal(health, csv.Skip(1).Take(25).Select(HealthRounded));
        var count = await page.Locator("[data-testid=count-line]").InnerTextAsync();
        Assert.StartsWith($"{csv.Length - 1:#,0} accounts", count, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_view_lives_in_the_url_and_survives_a_reload()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts");
        await page.WaitForSelectorAsync(".hd-account-name");

        await page.ClickAsync("[data-testid=band-green]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/accounts\?band=green$"));
        await page.ClickAsync(".mud-table-head >> text=MRR");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/accounts\?band=green&sort=mrr&desc=1$"));
        await page.ClickAsync("button[aria-label='Next page']");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/accounts\?band=green&sort=mrr&desc=1&page=2$"));
        // The address changes as the page is requested; the rows follow when it arrives.
        await Assertions.Expect(page.Locator(".mud-table-pagination-caption").Last).ToHaveTextAsync(new Regex("^26-"));
        var before = await page.Locator(".hd-account-id").AllInnerTextsAsync();

        await page.ReloadAsync();
        // The prerendered page has no rows yet; they come with the interactive grid's first load.
        await Assertions.Expect(page.Locator(".hd-account-id")).ToHaveCountAsync(before.Count);

        Assert.Equal(before, await page.Locator(".hd-account-id").AllInnerTextsAsync());
        Assert.Contains("mud-chip-selected", await page.Locator("[data-testid=band-green]").GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_breakdown_adds_up_to_its_shown_score()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts?band=red");
        await page.WaitForSelectorAsync(".hd-account-name");
        await page.Locator(".hd-account-name").First.ClickAsync();
        await page.WaitForSelectorAsync(".hd-gauge");
        await page.WaitForSelectorAsync("[data-testid=history], .hd-empty");
        await app.ScreenshotAsync(page, "account-at-risk");

        var contributions = (await page.Locator("[data-testid=contribution]").AllInnerTextsAsync())
            .Where(t => t.Trim() != "—").Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
        var shown = int.Parse(await page.Locator(".hd-gauge-number").InnerTextAsync(), CultureInfo.InvariantCulture);
        var total = double.Parse(await page.Locator("[data-testid=total]").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.Equal(total, contributions.Sum(), 0.05);
        Assert.Equal(shown, (int)Math.Round(Math.Clamp(total, 1, 100), MidpointRounding.AwayFromZero));
        Assert.Contains("pulls the score down most", await page.Locator("[data-testid=summary]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_outreach_export_lists_the_users_of_the_grid_in_its_order()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/users?min=50&band=green");
        await page.WaitForSelectorAsync("[data-testid=user-name]");
        await app.ScreenshotAsync(page, "users-engaged-green");

        var names = await page.Locator("[data-testid=user-name]").AllInnerTextsAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export]"));
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!);

        Assert.StartsWith("user_id,name,email,account_id,account_name,account_health,account_band,segment,engagement,", lines[0]);
        Assert.Equal(names.Take(5), lines.Skip(1).Take(5).Select(l => l.Split(',')[1].Trim('"')));
        // engagement is the fifth field from the end (then engagement_raw, active_days, last_seen, feature_uses).
        Assert.All(lines.Skip(1), l => Assert.True(double.Parse(l.Split(',')[^5], CultureInfo.InvariantCulture) >= 50));
        Assert.All(lines.Skip(1), l => Assert.Contains(",green,", l, StringComparison.Ordinal));
    }

    // health_rounded is the fourth field counted from the id; a quoted name may hold commas, so skip it by quotes.
    private static string HealthRounded(string line)
    {
        var afterId = line[(line.IndexOf(',', StringComparison.Ordinal) + 1)..];
        var afterName = afterId.StartsWith('"')
            ? afterId[(afterId.IndexOf("\",", 1, StringComparison.Ordinal) + 2)..]
            : afterId[(afterId.IndexOf(',', StringComparison.Ordinal) + 1)..];
        return afterName.Split(',')[1];
    }
}
