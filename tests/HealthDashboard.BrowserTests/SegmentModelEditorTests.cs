using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// The editor's model switcher and custom indicators in a real browser: a segment model made from the default moves
/// only its own accounts, and a custom indicator added in the editor reaches the account page.
/// </summary>
[Collection(SegmentAppCollection.Name)]
public sealed class SegmentModelEditorTests(AppFixture app)
{
    [Fact]
    public async Task An_Enterprise_model_previews_and_saves_changes_to_Enterprise_accounts_only()
    {
        var enterprise = await AccountIdsAsync("Enterprise");
        Assert.NotEmpty(enterprise);
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/model");
        await page.Locator(".me-bands-table").WaitForAsync();

        await page.Locator("button.ms-new-segment").ClickAsync();
        await page.Locator(".nm-segment").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex("^Enterprise ·") }).ClickAsync();
        await Assertions.Expect(page.Locator(".nm-segment").First).ToContainTextAsync("Enterprise");
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        // The closing select's overlay may take the first click; click until the dialog is gone.
        for (var attempt = 0; attempt < 5 && await page.Locator("button.nm-create").CountAsync() > 0; attempt++)
        {
            try
            {
                await page.Locator("button.nm-create").ClickAsync(new() { Timeout = 2000 });
            }
            catch (TimeoutException)
            {
                // Gone while we clicked: the dialog closed.
            }

            await page.WaitForTimeoutAsync(1000);
        }


        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("model\\?model=segment%3AEnterprise$"));
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\nServer log:\n{app.ServerLog}", ex);
        }

        // Creating the model already re-normalises both groups (each model's accounts among themselves); from here on
        // only the Enterprise model's edits may move anything, and only Enterprise accounts.
        var before = await CliScore.ReadAsync(app);
        var current = page.Locator(".ms-current");
        await Assertions.Expect(current).ToContainTextAsync("Enterprise");
        await Assertions.Expect(current.Locator("[data-testid=model-accounts]")).ToHaveTextAsync(enterprise.Count.ToString("#,0", CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".me-preview-sub"))
            .ToContainTextAsync($"The {enterprise.Count.ToString("#,0", CultureInfo.InvariantCulture)} accounts of the Enterprise model", new() { Timeout = 30_000 });

        // Drag Recency's weight to the top: only Enterprise accounts are listed as moving.
        var slider = page.Locator("[data-indicator=Recency] input[type=range]");
        await slider.FocusAsync();
        await slider.PressAsync("End");
        var rows = page.Locator(".me-changes-table tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        var listed = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.account)");
        Assert.NotEmpty(listed);
        Assert.All(listed, id => Assert.Contains(id, enterprise));
        await app.ScreenshotAsync(page, "model-editor-segment");

        await page.Locator("button:has-text('Save version')").First.ClickAsync();
        await page.Locator("#save-comment").FillAsync("Enterprise renewals follow recent use");
        await page.Locator(".me-save-submit").ClickAsync();
        await Assertions.Expect(page.GetByText(new Regex("Saved version \\d+"))).ToBeVisibleAsync();

        var (code, output, _) = await app.RunCliAsync("model", "export", "--segment", "Enterprise", "--db", app.DatabaseFile);
        Assert.Equal(0, code);
        Assert.Equal(100, JsonDocument.Parse(output).RootElement.GetProperty("model").GetProperty("indicatorWeights").GetProperty("recency").GetDouble());
        var after = await CliScore.ReadAsync(app);
        Assert.All(before.Values.Where(s => !enterprise.Contains(s.AccountId)), s => Assert.Equal(s, after[s.AccountId]));
        Assert.Contains(before.Values, s => enterprise.Contains(s.AccountId) && s.Health != after[s.AccountId].Health);
    }

    [Fact]
    public async Task A_custom_indicator_added_in_the_editor_moves_the_preview_and_shows_on_the_account_page_once_saved()
    {
        // Renewal likelihood from a CRM for the Mid-Market accounts (scored by the default model whatever the other test did).
        var midMarket = await AccountIdsAsync("Mid-Market");
        var asOf = DateTime.Parse(app.AsOf, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var rows = midMarket.Select((id, i) => new { account_id = id, metric = "renewal_likelihood", time = asOf.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), value = (double)(i * 37 % 101) }).ToArray();
        using (var ingest = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            ingest.DefaultRequestHeaders.Add("X-Api-Key", app.IngestKey);
            using var response = await ingest.PostAsJsonAsync("/api/metrics", rows);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/model");
        var redRow = page.Locator(".me-bands-table tr[data-band=red]");
        await redRow.WaitForAsync();
        await page.Locator("button.ci-add").ClickAsync();
        // The metric picker offers what the store holds, first the one no indicator reads yet (the demo model reads its two): the one just posted, named from its key.
        await Assertions.Expect(page.Locator("#custom-key")).ToHaveValueAsync("renewal_likelihood");
        await page.Locator("#custom-name").FillAsync("Renewal likelihood");
        await page.Locator("#custom-key").FillAsync("renewal_likelihood");
        var weight = page.Locator("#custom-weight");
        await weight.FillAsync("80");
        await weight.PressAsync("Tab");
        await app.ScreenshotAsync(page, "model-editor-custom-indicator-form");
        await page.Locator("button.cd-submit").ClickAsync();

        await Assertions.Expect(page.Locator("[data-custom=renewal_likelihood]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".me-changes-table tbody tr").First).ToBeVisibleAsync();
        var moved = await page.Locator(".me-changes-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.account)");
        Assert.NotEmpty(moved);
        Assert.All(moved, id => Assert.Contains(id, midMarket));
        await app.ScreenshotAsync(page, "model-editor-custom-indicators");

        await page.Locator("button:has-text('Save version')").First.ClickAsync();
        await page.Locator("#save-comment").FillAsync("Renewal likelihood from the CRM");
        await page.Locator(".me-save-submit").ClickAsync();
        await Assertions.Expect(page.GetByText(new Regex("Saved version \\d+"))).ToBeVisibleAsync();

        var account = rows.First(r => r.value > 0).account_id;
        var detail = await app.NewPageAsync();
        await app.GotoAsync(detail, $"/accounts/{Uri.EscapeDataString(account)}");
        var row = detail.Locator("[data-testid=custom-indicator][data-indicator=renewal_likelihood]");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("Renewal likelihood");
        await app.ScreenshotAsync(detail, "account-custom-indicator");
    }

    private async Task<HashSet<string>> AccountIdsAsync(string segment)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", app.ReadKey);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var number = 1; ; number++)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/accounts?segment={Uri.EscapeDataString(segment)}&size=100&page={number}");
            var items = page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToList();
            ids.UnionWith(items);
            if (items.Count == 0 || ids.Count >= page.GetProperty("total").GetInt32())
            {
                return ids;
            }
        }
    }
}
