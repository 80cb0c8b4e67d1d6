using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The Accounts and Users grids as people use them: mouse, keyboard, Back, a phone, and the outreach export.</summary>
[Collection(AppCollection.Name)]
public sealed partial class GridBehaviourTests(AppFixture app)
{
    [Fact]
    public async Task A_click_anywhere_on_an_account_row_opens_the_account()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts");
        var row = page.Locator(".hd-accounts-grid tbody tr").Nth(2);
        var href = await row.Locator("a[data-row-link]").GetAttributeAsync("href");

        await row.Locator("td.hd-col-num").First.ClickAsync(); // the MRR cell, no link in it

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(href!) + "$"));
        await page.Locator("[data-testid=breakdown]").WaitForAsync();
    }

    [Fact]
    public async Task A_filter_change_is_a_history_entry_so_back_undoes_it()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts");
        var count = page.Locator("[data-testid=count-line]");
        var all = await count.InnerTextAsync();

        await page.Locator("[data-testid=band-red]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("band=red"));
        await Assertions.Expect(count).Not.ToHaveTextAsync(all);

        await page.GoBackAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/accounts$"));
        await Assertions.Expect(count).ToHaveTextAsync(all);
        await Assertions.Expect(page.Locator("[data-testid=band-red]")).Not.ToHaveClassAsync(new Regex("mud-chip-selected"));
    }

    [Fact]
    public async Task The_first_click_on_a_numeric_column_sorts_high_to_low_and_the_button_says_so()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts");
        var sortByMrr = page.GetByRole(AriaRole.Button, new() { Name = "Sort by MRR" });

        await sortByMrr.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=mrr&desc=1"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sort by MRR, sorted high to low" })).ToBeVisibleAsync();
        var amounts = new List<double>();
        foreach (var row in await page.Locator(".hd-accounts-grid tbody tr").AllAsync())
        {
            var text = await row.Locator("td.hd-col-num").First.InnerTextAsync();
            amounts.Add(double.Parse(text.Replace("$", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
        }

        Assert.True(amounts.Count > 1);
        Assert.Equal(amounts.OrderByDescending(a => a), amounts);
    }

    [Fact]
    public async Task Account_links_and_sort_buttons_show_a_focus_ring()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts");
        var link = page.Locator(".hd-accounts-grid a.hd-account-name").First;
        var sort = page.GetByRole(AriaRole.Button, new() { Name = "Sort by Health" });

        await page.Keyboard.PressAsync("Tab"); // a keyboard user: focus-visible applies from here on
        foreach (var focusable in new[] { link, sort })
        {
            await focusable.FocusAsync();
            var ring = await focusable.EvaluateAsync<string>("e => getComputedStyle(e).boxShadow");
            Assert.NotEqual("none", ring);
        }
    }

    [Fact]
    public async Task On_a_phone_the_grids_show_compact_rows_that_fit_the_screen()
    {
        foreach (var (url, rows) in new[] { ("/accounts", ".hd-accounts-grid tbody tr"), ("/users", ".hd-users-grid tbody tr") })
        {
            var page = await app.NewPageAsync(390, 844);
            await app.GotoAsync(page, url);
            var first = page.Locator(rows).First;
            await first.WaitForAsync();
            var box = (await first.BoundingBoxAsync())!;
            Assert.True(box.Height < 90, $"{url}: a row is {box.Height}px high on a phone");
            Assert.True(box.Width <= 390, $"{url}: a row is {box.Width}px wide on a phone");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), url);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Export_top_n_downloads_the_first_n_rows_of_the_feature_filtered_view()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/users");

        // Pick two features in the "Has used" select and ask for at least 3 uses.
        await page.Locator("[data-testid=filter-event]").ClickAsync();
        var options = page.Locator(".mud-popover-open .mud-list-item");
        await options.Nth(0).ClickAsync();
        await options.Nth(1).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("event=[^&]+,[^&]+"));
        await page.Keyboard.PressAsync("Escape");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await page.Locator("input[data-testid=filter-uses]").FillAsync("3");
        await page.Locator("input[data-testid=filter-uses]").PressAsync("Tab");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("uses=3"));
        var uses = page.Locator("[data-testid=feature-uses]");
        // The URL changes before the circuit's render of the new rows reaches the page: wait for the grid to show the
        // filtered rows (every cell at 3 or more), not for the first cell, which the rows before the filter also have.
        await page.WaitForFunctionAsync(
            """
            () => {
                const cells = [...document.querySelectorAll('[data-testid=feature-uses]')];
                return cells.length > 0 && cells.every(c => Number(c.textContent.replaceAll(',', '')) >= 3);
            }
            """);
        foreach (var cell in await uses.AllInnerTextsAsync())
        {
            Assert.True(long.Parse(cell.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) >= 3, cell);
        }

        await page.Locator("[data-testid=export-top]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Top 25", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=export]")).ToHaveTextAsync("Export top 25");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export]").ClickAsync());
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!);

        Assert.Equal(
            "user_id,name,email,account_id,account_name,account_health,account_band,segment,engagement,engagement_raw,active_days,last_seen,feature_uses",
            lines[0]);
        var shown = await page.Locator("[data-testid=user-name]").AllInnerTextsAsync();
        var exported = lines.Skip(1).Select(l => l.Split(',')[1].Trim('"')).ToList();
        Assert.Equal(Math.Min(25, shown.Count), exported.Count);
        Assert.Equal(shown.Take(exported.Count), exported);
        Assert.Equal(await uses.AllInnerTextsAsync(), lines.Skip(1).Select(l => long.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture).ToString("#,0", CultureInfo.InvariantCulture)).Take(shown.Count));
        await app.ScreenshotAsync(page, "users-feature-filter");
    }
}
