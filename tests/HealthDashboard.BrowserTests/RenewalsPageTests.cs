using System.Globalization;
using HealthDashboard.Import;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The Renewals page against the real app: its quarter totals agree with the Accounts export.</summary>
[Collection(AppCollection.Name)]
public sealed class RenewalsPageTests(AppFixture app)
{
    [Fact]
    public async Task Each_quarters_totals_equal_the_accounts_export_filtered_to_that_quarter()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/renewals?segment=Enterprise");
        var cards = page.Locator("[data-testid=quarter-card]");
        await Assertions.Expect(cards).ToHaveCountAsync(5);
        await page.Locator(".apexcharts-svg").First.WaitForAsync();
        await app.ScreenshotAsync(page, "renewals");

        // The Accounts export with the same filter, each row placed in its quarter by the test itself.
        using var http = await app.SignedInClientAsync(HealthDashboard.Identity.Roles.Admin);
        using var csv = await http.GetStreamAsync("/export/accounts.csv?segment=Enterprise");
        using var reader = new CsvReader(csv);
        Assert.True(await reader.ReadAsync());
        var header = Enumerable.Range(0, reader.FieldCount).Select(i => reader[i].ToString()).ToList();
        int mrrAt = header.IndexOf("mrr"), dateAt = header.IndexOf("renewal_date"), daysAt = header.IndexOf("days_to_renewal");
        var byQuarter = new Dictionary<string, (int Count, decimal Mrr)>();
        while (await reader.ReadAsync())
        {
            if (reader[dateAt].IsEmpty)
            {
                continue;
            }

            var date = DateTime.ParseExact(reader[dateAt].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var key = int.Parse(reader[daysAt], CultureInfo.InvariantCulture) < 0 ? "overdue" : $"{date.Year}-Q{(date.Month - 1) / 3 + 1}";
            var (count, mrr) = byQuarter.GetValueOrDefault(key);
            byQuarter[key] = (count + 1, mrr + decimal.Parse(reader[mrrAt], CultureInfo.InvariantCulture));
        }

        var checkedRenewals = 0;
        foreach (var card in await cards.AllAsync())
        {
            var key = await card.GetAttributeAsync("data-quarter");
            var shownMrr = decimal.Parse((await card.Locator("[data-testid=quarter-mrr]").GetAttributeAsync("data-mrr"))!, CultureInfo.InvariantCulture);
            var shownCount = int.Parse((await card.Locator("[data-testid=quarter-count]").InnerTextAsync()).Split(' ')[0].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var expected = byQuarter.GetValueOrDefault(key!);
            Assert.Equal((expected.Count, expected.Mrr), (shownCount, shownMrr));
            checkedRenewals += shownCount;
        }

        Assert.True(checkedRenewals > 0, "The demo data has Enterprise renewals in the next four quarters.");

        // Choosing a quarter lists its accounts.
        var busiest = cards.Nth(2);
        await busiest.ClickAsync();
        await Assertions.Expect(busiest).ToHaveAttributeAsync("aria-pressed", "true");
        var listed = await page.Locator("[data-testid=renewal-row]").CountAsync();
        var busiestCount = int.Parse((await busiest.Locator("[data-testid=quarter-count]").InnerTextAsync()).Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.Equal(Math.Min(busiestCount, HealthDashboard.Components.Pages.Renewals.RenewalsPage.FirstRows), listed);
        if (busiestCount > HealthDashboard.Components.Pages.Renewals.RenewalsPage.FirstRows)
        {
            // "Show more" lists the next rows.
            await page.ClickAsync("[data-testid=list-more]");
            await Assertions.Expect(page.Locator("[data-testid=renewal-row]")).ToHaveCountAsync(
                Math.Min(busiestCount, 2 * HealthDashboard.Components.Pages.Renewals.RenewalsPage.FirstRows));
        }
    }
}
