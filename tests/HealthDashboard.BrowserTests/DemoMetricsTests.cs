using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The demo's custom indicator metrics on the account page: a young account shows both, with the indicators that read them.</summary>
[Collection(AppCollection.Name)]
public sealed class DemoMetricsTests(AppFixture app)
{
    [Fact]
    public async Task A_young_demo_account_shows_its_onboarding_progress_and_sponsor_check_ins_on_the_metrics_tab()
    {
        var account = await YoungestAccountWithBothMetricsAsync();
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, $"/accounts/{Uri.EscapeDataString(account)}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();

        foreach (var metric in new[] { "onboarding_progress", "sponsor_sentiment" })
        {
            var card = page.Locator($"[data-testid=metric][data-metric={metric}]");
            await Assertions.Expect(card).ToBeVisibleAsync();
            // The demo model reads both metrics: the card names the indicator.
            await Assertions.Expect(card.Locator("[data-testid=metric-used-by]")).ToContainTextAsync("Read by");
        }

        await app.ScreenshotAsync(page, "account-metrics-demo");
    }

    [Fact]
    public async Task The_health_history_draws_a_line_per_custom_indicator_from_the_snapshots()
    {
        var account = await YoungestAccountWithBothMetricsAsync();
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, $"/accounts/{Uri.EscapeDataString(account)}");
        var chips = page.Locator(".hd-history-indicators");
        await chips.Locator("[data-indicator=onboarding_progress]").ClickAsync();
        await chips.Locator("[data-indicator=sponsor_sentiment]").ClickAsync();
        await page.Locator("[data-testid=history]").WaitForAsync(new() { Timeout = 60_000 });

        var legend = page.Locator("[data-testid=history] .apexcharts-legend-text");
        await Assertions.Expect(legend).ToHaveTextAsync(["Health", "Onboarding progress", "Sponsor sentiment"], new() { Timeout = 15_000 });
        // Each custom line has drawn points: the stored snapshots carry the scores (a line without data draws no path).
        var series = page.Locator("[data-testid=history] .apexcharts-line-series .apexcharts-series");
        await Assertions.Expect(series).ToHaveCountAsync(3);
        for (var i = 1; i < 3; i++)
        {
            var d = await series.Nth(i).Locator("path.apexcharts-line").First.GetAttributeAsync("d") ?? "";
            Assert.True(d.Count(c => c is 'L' or 'C') > 1, $"series {i} drew no line: '{d}'");
        }

        await app.ScreenshotAsync(page, "account-history-custom-indicators");
    }

    /// <summary>The youngest account that has both demo metrics, read straight from the demo's database.</summary>
    private async Task<string> YoungestAccountWithBothMetricsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabaseFile};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a."ExternalId" FROM "Accounts" a
            WHERE a."ChurnedAt" IS NULL
              AND EXISTS (SELECT 1 FROM "Metrics" m WHERE m."AccountId" = a."Id" AND m."Metric" = 'onboarding_progress')
              AND EXISTS (SELECT 1 FROM "Metrics" m WHERE m."AccountId" = a."Id" AND m."Metric" = 'sponsor_sentiment')
            ORDER BY a."CreatedAt" DESC LIMIT 1
            """;
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("The demo holds no account with both metrics.");
    }
}
