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
        await page.Locator("[data-testid=history]").WaitForAsync(new() { Timeout = 60_000 });
        var chips = page.Locator(".hd-history-indicators");
        foreach (var key in new[] { "onboarding_progress", "sponsor_sentiment" })
        {
            // On a busy machine a click can land while the circuit is still catching up and be lost: click again
            // (at most three times) while the chip does not show selected.
            var chip = chips.Locator($"[data-indicator={key}]");
            for (var attempt = 1; ; attempt++)
            {
                await chip.ClickAsync();
                try
                {
                    await Assertions.Expect(chip).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-selected"), new() { Timeout = 10_000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 3)
                {
                    // Lost: click again.
                }
            }
        }

        var legend = page.Locator("[data-testid=history] .apexcharts-legend-text");
        await Assertions.Expect(legend).ToHaveTextAsync(["Health", "Onboarding progress", "Sponsor sentiment"], new() { Timeout = 15_000 });
        // Each custom line spans at least two days once its animation ends: the stored snapshots carry the scores.
        const string linePaths = """
            () => [...document.querySelectorAll('[data-testid=history] .apexcharts-line-series .apexcharts-series')]
                .map(s => s.querySelector('path.apexcharts-line')?.getAttribute('d') ?? '')
            """;
        // The x span of a path (its every other number): 0 while a line still animates from a point, or has one day.
        static double XSpan(string d)
        {
            var xs = System.Text.RegularExpressions.Regex.Matches(d, @"-?\d+(\.\d+)?").Select((m, i) => (m, i)).Where(p => p.i % 2 == 0)
                .Select(p => double.Parse(p.m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            return xs.Count == 0 ? 0 : xs.Max() - xs.Min();
        }

        var paths = await page.EvaluateAsync<string[]>(linePaths);
        for (var wait = 0; wait < 30 && !(paths.Length == 3 && paths.Skip(1).All(d => XSpan(d) > 1)); wait++)
        {
            await Task.Delay(1_000);
            paths = await page.EvaluateAsync<string[]>(linePaths);
        }

        await app.ScreenshotAsync(page, "account-history-custom-indicators");
        Assert.True(paths.Length == 3 && paths.Skip(1).All(d => XSpan(d) > 1), "line paths: " + string.Join(" | ", paths));
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
