using System.Globalization;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// A playbook in a real browser over the demo data: an admin adds "enters red: call the sponsor in 2 days", an import
/// from the command line sends a new account of the CS manager's into red, and the playbook's task appears in that
/// manager's open My tasks page (and app-bar count) without a reload, due two days after the as-of time.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PlaybookTests(AppFixture app)
{
    [Fact]
    public async Task An_import_that_sends_an_account_into_red_puts_the_playbooks_task_in_the_owners_my_tasks_without_a_reload()
    {
        var admin = await app.NewPageAsync();
        await app.GotoAsync(admin, "/admin/playbooks");
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Rescue (browser test)");
        await admin.GetByLabel("Title", new() { Exact = true }).FillAsync("Call the sponsor");
        await admin.GetByLabel("Description (optional)").FillAsync("Ask what changed and agree on a rescue plan.");
        await admin.Locator("[data-testid=save-playbook]").ClickAsync();
        var row = admin.Locator("[data-testid=playbook-row]").Filter(new() { HasText = "Rescue (browser test)" });
        await Assertions.Expect(row).ToContainTextAsync("Enters red");
        await app.ScreenshotAsync(admin, "playbooks");

        var csm = await app.NewPageAsync(HealthDashboard.Identity.Roles.CSManager);
        await app.GotoAsync(csm, "/tasks");
        var badge = csm.Locator("[data-testid=task-count]");
        var group = csm.Locator("[data-testid=task-group][data-account='ZZ-PLAY-1']");
        await Assertions.Expect(group).ToHaveCountAsync(0);

        var folder = Directory.CreateTempSubdirectory("hd-playbook-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "accounts.csv"),
            "id,name,seats,mrr,owner,created_at\nZZ-PLAY-1,Stillwater Freight,6,1200,Priya Raman,2025-01-01\n");
        var (code, _, error) = await app.RunCliAsync("import", folder, "--db", app.DatabaseFile);
        Assert.True(code == 0, error);

        var task = group.Locator("[data-testid=my-task]").Filter(new() { HasText = "Call the sponsor" });
        await Assertions.Expect(task).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var due = DateTime.Parse(app.AsOf, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).Date.AddDays(2);
        await Assertions.Expect(task.Locator("[data-testid=task-due]")).ToHaveTextAsync($"Due {due.ToString("d MMM", CultureInfo.InvariantCulture)}");
        // The app-bar count follows too (saving the playbook also gave the demo's red accounts of this manager their task).
        var listed = await csm.Locator("[data-testid=my-task]").CountAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", listed.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        await Assertions.Expect(task.Locator("[data-testid=task-source]")).ToHaveTextAsync("Playbook: Rescue (browser test)");

        // The owner comments on it; the thread and the count show the comment.
        await task.Locator("[data-testid=comments-toggle]").ClickAsync();
        await task.GetByLabel("Add a comment").FillAsync("Left a voicemail with the sponsor.");
        await task.Locator("[data-testid=comment-add]").ClickAsync();
        await Assertions.Expect(task.Locator("[data-testid=comment]")).ToContainTextAsync("Left a voicemail with the sponsor.");
        await Assertions.Expect(task.Locator("[data-testid=comments-toggle]")).ToHaveTextAsync("1 comment");
        await app.ScreenshotAsync(csm, "my-tasks-playbook");

        // Leave the shared demo app firing nothing more (its tasks stay: nothing is deleted silently).
        await row.GetByRole(AriaRole.Button, new() { Name = "Turn off" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("off");
    }
}
