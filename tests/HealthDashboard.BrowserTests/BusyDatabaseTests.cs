using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// Another program holds the database's write lock for longer than the app's busy timeout (SQLite's 30 s)
/// while a user imports on the Import page: the page says the database is busy and nothing was imported,
/// stays usable, and the same files import once the lock is gone.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BusyDatabaseTests(AppFixture app)
{
    [Fact]
    public async Task An_import_while_another_program_holds_the_write_lock_says_busy_and_works_once_it_is_free()
    {
        var page = await app.NewPageAsync();
        await app.GotoAsync(page, app.BaseUrl + "/import");
        // Long before the scored window, so the scores other tests compare stay as they are.
        var usage = new FilePayload
        {
            Name = "usage.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("account_id,event_type,timestamp\n" + await FirstAccountAsync() + ",login,2001-01-01T00:00:00Z\n"),
        };

        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = app.DatabaseFile, Pooling = false }.ToString()))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync();
            }

            await page.Locator("input[type=file]").SetInputFilesAsync(usage);
            await page.GetByTestId("import-button").ClickAsync();
            var busy = page.GetByTestId("import-busy");
            await busy.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            Assert.Contains("nothing was imported", await busy.InnerTextAsync(), StringComparison.Ordinal);
            await app.ScreenshotAsync(page, "import-database-busy");
            Assert.True(await page.GetByTestId("import-button").IsEnabledAsync(), "the page stays usable");
        }

        // The lock is gone (the connection closed): the files are still chosen, the same click imports them.
        await page.GetByTestId("import-button").ClickAsync();
        await page.GetByTestId("import-success").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Contains("usage.csv: 1 row", await page.GetByTestId("import-success").InnerTextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private async Task<string> FirstAccountAsync() => (await CliScore.ReadAsync(app)).Keys.Order(StringComparer.Ordinal).First();
}
