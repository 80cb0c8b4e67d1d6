using System.Text;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>The Import page in a real browser: which file it takes for which table, and a refused import in the history.</summary>
[Collection(AppCollection.Name)]
public sealed class ImportPageTests(AppFixture app)
{
    [Fact]
    public async Task Files_are_recognised_by_their_prefix_and_a_refused_import_is_listed_with_its_problem()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/import");

        await page.Locator("input[type=file]").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "Usage-2026-11-29.CSV", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("account_id,event_type,timestamp\nNO-SUCH-ACCOUNT,login,2026-11-28T10:00:00Z\n") },
            new FilePayload { Name = "notes.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("a,b\n") },
        });

        await Assertions.Expect(page.Locator("[data-file='Usage-2026-11-29.CSV'] [data-table]")).ToHaveTextAsync("read as usage.csv");
        await Assertions.Expect(page.Locator("[data-file='notes.csv'] [data-table]")).ToHaveTextAsync("not an import file: ignored");
        await Assertions.Expect(page.Locator("[data-testid=import-button]")).ToHaveTextAsync("Import 1 file");

        await page.Locator("[data-testid=import-button]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=import-refused]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("ol[aria-label=Problems] li").First).ToContainTextAsync("usage.csv:2: account_id: unknown account 'NO-SUCH-ACCOUNT'");
        await Assertions.Expect(page.Locator(".hd-result-note")).ToHaveTextAsync("usage.csv is your Usage-2026-11-29.CSV.");
        var refused = page.Locator("[data-history=refused]").First;
        await Assertions.Expect(refused).ToContainTextAsync("Usage-2026-11-29.CSV: 1 problem, nothing imported");
        await Assertions.Expect(refused).ToContainTextAsync("unknown account 'NO-SUCH-ACCOUNT'");
        await app.ScreenshotAsync(page, "import-refused");
    }

    [Fact]
    public async Task A_template_downloads_with_the_file_header()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, "/import");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-template='accounts.csv']").ClickAsync());

        Assert.Equal("accounts.csv", download.SuggestedFilename);
        var text = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Equal("id,name,segment,plan,seats,mrr,renewal_date,owner,created_at,churned_at\n", text);
    }
}
