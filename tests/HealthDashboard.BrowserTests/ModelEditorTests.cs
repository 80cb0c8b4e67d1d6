using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The admin's what-if editor in a real browser: drag, preview, save, and the new scores everywhere.</summary>
[Collection(ModelAppCollection.Name)]
public sealed class ModelEditorTests(AppFixture app)
{
    [Fact]
    public async Task Moving_a_weight_previews_new_band_counts_and_saving_rescores_the_accounts_page_and_the_command_line()
    {
        var before = await CliScore.ReadAsync(app);
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/model");
        var redRow = page.Locator(".me-bands-table tr[data-band=red]");
        await redRow.WaitForAsync();
        var savedRed = await redRow.Locator(".me-bands-before").InnerTextAsync();
        Assert.Equal(savedRed, await redRow.Locator(".me-bands-after").InnerTextAsync());
        Assert.Equal(before.Values.Count(s => s.Band == "red").ToString("#,0", CultureInfo.InvariantCulture), savedRed);

        // Drag Recency's weight to the top: recently active accounts gain, silent ones lose.
        var slider = page.Locator("[data-indicator=Recency] input[type=range]");
        await slider.FocusAsync();
        await slider.PressAsync("End");
        await Assertions.Expect(page.Locator("[data-indicator=Recency] .me-was")).ToBeVisibleAsync();
        await Assertions.Expect(redRow.Locator(".me-bands-after")).Not.ToHaveTextAsync(savedRed);
        await app.ScreenshotAsync(page, "model-editor-preview");

        // Nothing is saved by a preview.
        Assert.Equal(before, await CliScore.ReadAsync(app), new ScoresComparer());

        await page.Locator("button:has-text('Save version')").First.ClickAsync();
        await page.Locator("#save-comment").FillAsync("Recency matters most for our renewals");
        await page.Locator(".me-save-submit").ClickAsync();
        await Assertions.Expect(page.GetByText(new Regex("Saved version 3"))).ToBeVisibleAsync();

        var after = await CliScore.ReadAsync(app);
        var moved = after.Values.Where(s => s.Rounded != before[s.AccountId].Rounded).ToList();
        Assert.NotEmpty(moved);

        // The Accounts page shows the new score once the board has re-scored with version 3.
        await WaitForModelVersionAsync(3);
        var account = moved.OrderByDescending(s => Math.Abs(s.Health - before[s.AccountId].Health)).First();
        var accounts = await app.NewPageAsync();
        await app.GotoAsync(accounts, $"/accounts?q={Uri.EscapeDataString(account.AccountId)}");
        var chip = accounts.Locator(".hd-accounts-grid tbody tr").Filter(new() { HasText = account.AccountId }).Locator(".hd-health-value");
        await Assertions.Expect(chip).ToHaveTextAsync(account.Rounded.ToString(CultureInfo.InvariantCulture));
        await app.ScreenshotAsync(accounts, "accounts-after-model-save");
    }

    [Fact]
    public async Task The_event_types_list_renders_the_rows_in_view_and_the_rest_as_it_scrolls()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/model");
        var list = page.Locator(".me-events-scroll");
        await list.ScrollIntoViewIfNeededAsync();
        await list.Locator(".me-event").First.WaitForAsync();
        var all = await page.Locator(".me-events-filters .mud-chip").Filter(new() { HasTextRegex = new Regex("^All") }).InnerTextAsync();
        var total = int.Parse(Regex.Match(all, @"\d+").Value, CultureInfo.InvariantCulture);

        // Fewer rows than event types are in the page at first; scrolling the list brings every one of them.
        var seen = new HashSet<string>(await RenderedEventKeysAsync(list));
        Assert.InRange(seen.Count, 1, total - 1);
        var atBottom = false;
        while (!atBottom)
        {
            atBottom = await list.EvaluateAsync<bool>("l => { l.scrollTop += 300; return l.scrollTop + l.clientHeight >= l.scrollHeight - 1; }");
            // Virtualize renders what came into view a round trip later: wait until its rows and group heads (one run
            // of items, the spacers around it) cover the list's box from top to bottom (to the end of its content).
            await page.WaitForFunctionAsync(
                """
                l => { const box = l.getBoundingClientRect();
                       const items = [...l.querySelectorAll('.me-event, .me-group-head')].map(e => e.getBoundingClientRect());
                       return items.length > 0 && Math.min(...items.map(r => r.top)) <= box.top + 2
                           && Math.max(...items.map(r => r.bottom)) >= Math.min(box.bottom, box.top + l.scrollHeight - l.scrollTop) - 2; }
                """,
                await list.ElementHandleAsync());
            seen.UnionWith(await RenderedEventKeysAsync(list));
        }

        Assert.Equal(total, seen.Count);

        // A row reached by scrolling edits like any other.
        var last = list.Locator(".me-event").Last;
        var key = await last.GetAttributeAsync("data-event");
        await last.Locator(".me-flag-key").ClickAsync();
        await Assertions.Expect(list.Locator($"[data-event='{key}']")).ToHaveClassAsync(new Regex("me-changed"));
        await Assertions.Expect(page.Locator(".me-events-filters .mud-chip").Filter(new() { HasTextRegex = new Regex("^Changed") })).ToHaveTextAsync("Changed 1");
        await app.ScreenshotAsync(page, "model-editor-event-types-scrolled");
    }

    private static async Task<IReadOnlyList<string>> RenderedEventKeysAsync(ILocator list) =>
        await list.Locator(".me-event").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.event)");

    private async Task WaitForModelVersionAsync(int version)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        for (var i = 0; i < 120; i++)
        {
            var status = await http.GetFromJsonAsync<JsonElement>("/status");
            if (status.GetProperty("modelVersion").GetInt32() == version)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The board never reached model version {version}.");
    }

    private sealed class ScoresComparer : IEqualityComparer<IReadOnlyDictionary<string, CliScore>>
    {
        public bool Equals(IReadOnlyDictionary<string, CliScore>? x, IReadOnlyDictionary<string, CliScore>? y) =>
            x is not null && y is not null && x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other) && other == kv.Value);

        public int GetHashCode(IReadOnlyDictionary<string, CliScore> obj) => obj.Count;
    }
}
