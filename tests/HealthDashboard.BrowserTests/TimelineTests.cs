using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The account timeline in the browser: a note added on the account page appears in its timeline, here and in another open tab.</summary>
[Collection(AppCollection.Name)]
public sealed class TimelineTests(AppFixture app)
{
    [Fact]
    public async Task A_note_added_on_the_account_page_shows_in_the_timeline_and_live_in_another_tab()
    {
        var watcher = await app.NewPageAsync();
        await app.GotoAsync(watcher, "/accounts/ACC-0004");
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/accounts/ACC-0004");

        var text = "Sponsor confirmed the renewal budget.\nNext check-in: <b>Friday</b>";
        await page.Locator("#note-text").FillAsync(text);
        await page.Locator("[data-testid=note-add]").ClickAsync();

        var note = page.Locator("[data-testid=timeline-entry][data-kind=Note]").First;
        await Assertions.Expect(note.Locator("[data-testid=note-text]")).ToHaveTextAsync(text);
        await Assertions.Expect(note.Locator("[data-testid=note-edit]")).ToBeVisibleAsync();
        // Shown as typed: the markup is text, not a bold element.
        await Assertions.Expect(note.Locator("b")).ToHaveCountAsync(0);
        await Assertions.Expect(watcher.Locator("[data-testid=note-text]").First).ToHaveTextAsync(text);

        // The filter chips narrow the feed to notes only.
        await page.Locator("[data-testid=timeline-chip-note]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=timeline-entry]:not([data-kind=Note])")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=timeline-chip-note]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=timeline-entry][data-kind=Import]").First).ToBeVisibleAsync();

        await page.Locator("[data-testid=timeline]").ScrollIntoViewIfNeededAsync();
        await page.Locator("[data-testid=timeline]").ScreenshotAsync(new() { Path = Path.Combine(app.ScreenshotDir, "account-timeline.png") });
    }
}
