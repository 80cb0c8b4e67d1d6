using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>Tasks in the browser: made on the account page, counted live in the app bar, listed in My tasks, completed in bulk.</summary>
[Collection(AppCollection.Name)]
public sealed class TasksTests(AppFixture app)
{
    [Fact]
    public async Task A_task_made_on_the_account_page_shows_in_the_app_bar_and_in_my_tasks_and_completes_in_bulk()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/tasks");
        var badge = page.Locator("[data-testid=task-count]");
        var before = int.Parse((await badge.GetAttributeAsync("data-count"))!, System.Globalization.CultureInfo.InvariantCulture);

        // A second tab makes the task; the first one's count and list follow without a reload.
        var other = await app.NewPageAsync();
        await app.GotoAsync(other, "/accounts/ACC-0001");
        await other.Locator("#task-title").FillAsync("Book the renewal call");
        await other.Locator("[data-testid=task-create]").ClickAsync();
        await Assertions.Expect(other.Locator("[data-testid=account-task]").Filter(new() { HasText = "Book the renewal call" })).ToBeVisibleAsync();
        await app.ScreenshotAsync(other, "account-tasks");

        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", (before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var task = page.Locator("[data-testid=my-task]").Filter(new() { HasText = "Book the renewal call" });
        await Assertions.Expect(task).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, "my-tasks");

        await task.Locator("input[type=checkbox]").CheckAsync();
        await page.Locator("[data-testid=bulk-complete]").ClickAsync();
        await Assertions.Expect(task).ToHaveCountAsync(0);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(other.Locator("[data-testid=account-task][data-status=Done]").Filter(new() { HasText = "Book the renewal call" })).ToBeVisibleAsync();
    }
}
