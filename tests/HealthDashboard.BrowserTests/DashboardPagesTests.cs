using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The CS manager's and product manager's pages in a real browser against the real app.</summary>
[Collection(AppCollection.Name)]
public sealed partial class DashboardPagesTests(AppFixture app)
{
    [Fact]
    public async Task Portfolio_shows_the_scored_accounts_and_links_into_the_list()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Exact = true }).WaitForAsync();
        var scores = await CliScore.ReadAsync(app);
        await Assertions.Expect(page.GetByText("Scored accounts", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".hd-kpi-value").First).ToHaveTextAsync(scores.Count.ToString("#,0", CultureInfo.InvariantCulture));
        var red = scores.Values.Where(s => s.Band == "red").Select(s => s.AccountId).ToHashSet();
        var atRisk = page.Locator("section[aria-label='Top accounts at risk'] a");
        await Assertions.Expect(atRisk.First).ToBeVisibleAsync();
        var firstHref = await atRisk.First.GetAttributeAsync("href") ?? "";
        Assert.Contains(firstHref.Split('/')[^1], red);
        await page.WaitForTimeoutAsync(1500); // let the charts draw for the screenshot
        await app.ScreenshotAsync(page, "portfolio");
    }

    [Fact]
    public async Task Accounts_filter_to_red_puts_the_band_in_the_url_and_lists_exactly_the_red_accounts()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts");
        await page.Locator("[data-testid=band-red]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("band=red"));

        var scores = await CliScore.ReadAsync(app);
        var red = scores.Values.Count(s => s.Band == "red");
        await Assertions.Expect(page.Locator("[data-testid=count-line]")).ToContainTextAsync($"{red} account");
        var chips = page.Locator(".hd-accounts-grid .hd-health-chip");
        await Assertions.Expect(chips.First).ToBeVisibleAsync();
        foreach (var chip in await chips.AllAsync())
        {
            Assert.Contains("hd-band-red", await chip.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        }

        // The filtered view is bookmarkable: a fresh page at the same URL shows the same count.
        var bookmarked = await app.NewPageAsync();
        await app.GotoAsync(bookmarked, page.Url);
        await Assertions.Expect(bookmarked.Locator("[data-testid=count-line]")).ToContainTextAsync($"{red} account");
        await app.ScreenshotAsync(page, "accounts-red");
    }

    [Fact]
    public async Task An_account_shows_the_same_score_as_the_grid_and_the_scores_command_line()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts");
        var firstRow = page.Locator(".hd-accounts-grid tbody tr").First;
        await firstRow.Locator(".hd-health-chip").WaitForAsync();
        var gridValue = int.Parse(await firstRow.Locator(".hd-health-value").InnerTextAsync(), CultureInfo.InvariantCulture);
        var accountId = (await firstRow.Locator(".hd-account-id").InnerTextAsync()).Trim();

        await firstRow.Locator("a.hd-account-name").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/accounts/{Regex.Escape(accountId)}$"));
        var gauge = page.Locator(".hd-gauge-number");
        await gauge.WaitForAsync();
        var pageValue = int.Parse(await gauge.InnerTextAsync(), CultureInfo.InvariantCulture);

        var cli = (await CliScore.ReadAsync(app))[accountId];
        Assert.Equal(cli.Rounded, gridValue);
        Assert.Equal(cli.Rounded, pageValue);
        await Assertions.Expect(page.Locator("[data-testid=breakdown]")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1500);
        await app.ScreenshotAsync(page, "account");
    }

    [Fact]
    public async Task Users_page_minimum_engagement_filter_keeps_only_engaged_users_and_lives_in_the_url()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/users");
        var count = page.Locator("[data-testid=count-line]");
        await count.WaitForAsync();
        var all = FirstNumber(await count.InnerTextAsync());

        await app.GotoAsync(page, "/users?min=80");
        await Assertions.Expect(count).ToContainTextAsync($" of {all.ToString("#,0", CultureInfo.InvariantCulture)} users");
        var filtered = FirstNumber(await count.InnerTextAsync());
        Assert.InRange(filtered, 1, all - 1);
        var numbers = page.Locator(".hd-engagement-number");
        await numbers.First.WaitForAsync();
        foreach (var number in await numbers.AllAsync())
        {
            Assert.True(int.Parse(await number.InnerTextAsync(), CultureInfo.InvariantCulture) >= 80);
        }

        // Typing a search narrows further and is written into the URL.
        await page.Locator("input[data-testid=filter-search]").FillAsync("a");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=a"));
        Assert.Contains("min=80", page.Url, StringComparison.Ordinal);
        await app.ScreenshotAsync(page, "users");
    }

    private static int FirstNumber(string text) =>
        int.Parse(NumberPattern().Match(text).Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [GeneratedRegex("[0-9][0-9,]*")]
    private static partial Regex NumberPattern();
}
