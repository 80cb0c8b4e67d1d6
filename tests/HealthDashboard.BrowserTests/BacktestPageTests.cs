using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The backtest page on the demo's churn history, and its suggestion taken into the model editor as a draft.</summary>
[Collection(AppCollection.Name)]
public sealed class BacktestPageTests(AppFixture app)
{
    [Fact]
    public async Task The_suggested_weights_open_as_a_draft_whose_backtest_auc_beats_the_saved_model_before_saving()
    {
        var versionBefore = await ModelVersionAsync();
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/backtest");
        await Assertions.Expect(page.Locator("[data-verdict]")).ToContainTextAsync("account-months", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-table=churned] tbody tr").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-table=churned] tbody tr a").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^accounts/ACC-"));
        await app.ScreenshotAsync(page, "backtest");

        await page.Locator(".bt-suggest").ClickAsync();
        await Assertions.Expect(page.Locator("[data-suggestion]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        var suggested = Parse(await page.Locator("[data-auc=suggested]").InnerTextAsync());
        var current = Parse(await page.Locator("[data-auc=current]").InnerTextAsync());
        Assert.True(suggested > current, $"hold-out AUC {suggested} vs {current}");
        await app.ScreenshotAsync(page, "backtest-suggestion");

        await page.Locator(".bt-apply").ClickAsync();
        // Twice in full runs (2026-11-30, 2026-12-02 00:14) the editor had not opened at the 60 s timeout, cause unknown.
        await app.ExplainTimeoutAsync(page, "The editor after 'Open as a draft'", () =>
            page.WaitForURLAsync(url => url.EndsWith("/model", StringComparison.Ordinal), new() { Timeout = 60_000 }));
        await Assertions.Expect(page.GetByText("Suggested weights (AUC")).ToBeVisibleAsync();
        var draftAuc = page.Locator("[data-backtest-auc=draft]");
        await Assertions.Expect(draftAuc).Not.ToHaveTextAsync("…", new() { Timeout = 60_000 });
        var savedValue = Parse(await page.Locator("[data-backtest-auc=saved]").InnerTextAsync());
        var draftValue = Parse(await draftAuc.InnerTextAsync());
        Assert.True(draftValue > savedValue, $"draft AUC {draftValue} vs saved {savedValue}");
        await Assertions.Expect(draftAuc).ToHaveClassAsync("me-bt-up");
        await app.ScreenshotAsync(page, "model-editor-backtest");

        // A suggestion is a draft: nothing was saved.
        Assert.Equal(versionBefore, await ModelVersionAsync());
    }

    [Fact]
    public async Task A_product_manager_reads_the_figures_but_cannot_fit_weights()
    {
        var page = await app.NewPageAsync(HealthDashboard.Identity.Roles.ProductManager);
        await app.GotoAsync(page, "/backtest");
        await Assertions.Expect(page.Locator("[data-verdict]")).ToContainTextAsync("account-months", new() { Timeout = 60_000 });
        Assert.Equal(0, await page.Locator(".bt-suggest").CountAsync());
    }

    private static double Parse(string text) => double.Parse(text.Trim(), CultureInfo.InvariantCulture);

    private async Task<int> ModelVersionAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var status = await http.GetFromJsonAsync<JsonElement>("/status");
        return status.GetProperty("modelVersion").GetInt32();
    }
}
