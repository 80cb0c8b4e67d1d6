using System.Globalization;
using System.Net;
using System.Text;
using HealthDashboard.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>An app of its own for hostile data: imported names that are markup or spreadsheet formulas.</summary>
[CollectionDefinition(Name)]
public sealed class HostileAppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "hostile-app";
}

/// <summary>
/// Hostile input (issue 10): names and ids from imported data rendered as text on every page and export,
/// formula cells neutralised in exports, malformed batches refused with nothing stored.
/// </summary>
[Collection(HostileAppCollection.Name)]
public sealed class HostileInputTests(AppFixture app)
{
    private const string ScriptName = "<script>window.hdPwned=1</script>Evil Corp";
    private const string ImageName = "<img src=x onerror=\"window.hdPwned=2\">Img Corp";
    private const string FormulaName = "=HYPERLINK(\"http://example.invalid\",\"click\")";
    private const string EventName = "<img src=x onerror=\"window.hdPwned=3\">";

    [Fact]
    public async Task Markup_in_names_is_shown_as_text_on_every_page_and_formulas_are_neutralised_in_exports()
    {
        await ImportHostileDataAsync();
        var page = await app.NewPageAsync(Roles.Admin);
        var dialogs = 0;
        page.Dialog += async (_, dialog) => { dialogs++; await dialog.DismissAsync(); };

        foreach (var url in new[] { "/", "/accounts?q=Corp", "/accounts/X-SCRIPT", "/accounts/X-IMG", "/users?q=x-user", "/model", "/admin/audit" })
        {
            await app.GotoAsync(page, url);
            Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => window.hdPwned === undefined"), $"Script ran on {url}");
        }

        await app.GotoAsync(page, "/accounts?q=Corp");
        await Assertions.Expect(page.GetByText(ScriptName).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(ImageName).First).ToBeVisibleAsync();
        await app.GotoAsync(page, "/accounts/X-SCRIPT");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(ScriptName);
        await app.ScreenshotAsync(page, "hostile-account");
        Assert.Equal(0, dialogs);
        await page.Context.CloseAsync();

        using var http = await app.SignedInClientAsync(Roles.Admin);
        var csv = await http.GetStringAsync("/export/accounts.csv?q=X-");
        Assert.Contains("\"<script>window.hdPwned=1</script>Evil Corp\"".Trim('"'), csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
        // Real negative numbers stay numbers (the trend column of a declining account, say).
        var all = await http.GetStringAsync("/export/accounts.csv");
        Assert.Matches(",-[0-9]+\\.[0-9]{2},", all);
        Assert.DoesNotContain(",'-", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_or_oversized_batch_is_refused_with_problem_details_and_nothing_is_stored()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, app.IngestKey);
        var before = await UsageRowsAsync();

        using var malformed = await http.PostAsync("/api/events", new StringContent("[{\"account_id\": \"X-SCRIPT\", ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);

        var huge = new StringBuilder("[");
        for (var i = 0; i <= 100_000; i++)
        {
            huge.Append(i == 0 ? "" : ",").Append("{\"account_id\":\"X-SCRIPT\",\"event_type\":\"login\",\"timestamp\":\"2020-01-01T00:00:00Z\"}");
        }

        using var oversized = await http.PostAsync("/api/events", new StringContent(huge.Append(']').ToString(), Encoding.UTF8, "application/json"));
        Assert.True(oversized.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"{(int)oversized.StatusCode}");
        Assert.Equal(before, await UsageRowsAsync());
    }

    private async Task<long> UsageRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabaseFile};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Usage";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static readonly SemaphoreSlim ImportGate = new(1, 1);
    private static bool imported;

    private async Task ImportHostileDataAsync()
    {
        await ImportGate.WaitAsync();
        try
        {
            if (imported)
            {
                return;
            }

            var folder = Directory.CreateDirectory(Path.Combine(app.WorkDir, "hostile")).FullName;
            static string Q(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var day = DateTime.Parse(app.AsOf, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).AddDays(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var created = DateTime.Parse(app.AsOf, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).AddDays(-40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(Path.Combine(folder, "event_types.csv"), $"key,name,weight\nx_evil,{Q(EventName)},2\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "accounts.csv"),
                // Created before the pinned as-of time (the default, the import time, may be after it).
                $"id,name,segment,plan,seats,mrr,owner,created_at\nX-SCRIPT,{Q(ScriptName)},SMB,Growth,10,500,{Q(ImageName)},{created}\nX-IMG,{Q(ImageName)},SMB,Growth,10,400,Priya Raman,{created}\nX-FORMULA,{Q(FormulaName)},SMB,Growth,5,100,,{created}\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "users.csv"),
                $"id,account_id,name,email\nx-user-1,X-SCRIPT,{Q(ScriptName)},evil@example.com\nx-user-2,X-IMG,{Q(ImageName)},img@example.com\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "usage.csv"),
                $"account_id,user_id,event_type,timestamp,count\nX-SCRIPT,x-user-1,x_evil,{day},3\nX-IMG,x-user-2,x_evil,{day},2\nX-FORMULA,,login,{day},1\n");
            var (code, output, error) = await app.RunCliAsync("import", folder, "--db", app.DatabaseFile);
            Assert.True(code == 0, output + error);

            // The app watches the store and re-scores; wait until the new accounts are scored.
            using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, app.ReadKey);
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while ((await http.GetAsync("/api/accounts/X-SCRIPT")).StatusCode != HttpStatusCode.OK)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    // The log is copied for the message only on failure, not on every poll.
                    Assert.Fail("The imported accounts were not scored in time. Server log:\n" + app.ServerLogTail());
                }

                await Task.Delay(500);
            }

            imported = true;
        }
        finally
        {
            ImportGate.Release();
        }
    }
}
