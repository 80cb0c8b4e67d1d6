using System.Text.RegularExpressions;
using Bunit;
using HealthDashboard.Components.Pages.Import;
using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Pages.Import;

public sealed class ImportPageTests : BunitTestBase
{
    private const string GoodAccounts = "id,name,seats,mrr\nACC-1,Northwind Logistics,10,1200\nACC-2,\"Bluepeak, Inc.\",5,300\n";

    private readonly ScoreBoard board;

    public ImportPageTests()
    {
        // A migrated store with the default model as version 1, as the app starts.
        board = AddScoreBoard();
    }

    [Fact]
    public void A_bad_row_refuses_the_upload_names_file_line_and_column_and_imports_nothing()
    {
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromText("id,name,seats\nACC-1,Northwind,12\nACC-2,Bluepeak,-3\n", "accounts.csv"));

        page.Find("[data-testid=import-button]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=import-refused]")));
        var problems = page.FindAll("ol[aria-label=Problems] li").Select(li => li.TextContent).ToList();
        Assert.Single(problems);
        Assert.StartsWith("accounts.csv:3: seats:", problems[0], StringComparison.Ordinal);
        Assert.Equal(0, CountAccounts());
    }

    [Fact]
    public async Task A_good_upload_says_the_rows_per_file_and_once_re_scored_which_accounts_moved_band()
    {
        await board.RefreshAsync(rescoreHistory: false);
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(GoodAccounts, "accounts-2026-11-29.csv"));
        Assert.Equal("accounts.csv", page.Find("[data-file='accounts-2026-11-29.csv'] [data-table]").GetAttribute("data-table"));

        page.Find("[data-testid=import-button]").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "accounts-2026-11-29.csv as accounts.csv: 2 rows",
            Regex.Replace(page.Find("[data-imported='accounts.csv']").TextContent, @"\s+", " ").Trim()));
        Assert.Contains("Re-scoring every account", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, CountAccounts());

        await board.RefreshAsync(rescoreHistory: true);

        page.WaitForAssertion(() => Assert.Equal("No account changed band. 2 new accounts scored.", page.Find("[data-testid=band-moves]").TextContent.Trim()));
    }

    [Fact]
    public void Each_file_says_which_table_it_is_for_and_two_files_for_one_table_cannot_be_imported()
    {
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromText(GoodAccounts, "Accounts.CSV"),
            InputFileContent.CreateFromText("x\n", "usage-2026-11-28.csv"),
            InputFileContent.CreateFromText("y\n", "usage-2026-11-29.csv"),
            InputFileContent.CreateFromText("z\n", "notes.csv"));

        Assert.Equal("accounts.csv", page.Find("[data-file='Accounts.CSV'] [data-table]").GetAttribute("data-table"));
        Assert.Equal("also usage.csv, like usage-2026-11-29.csv", page.Find("[data-file='usage-2026-11-28.csv'] [data-table]").TextContent.Trim());
        Assert.Equal("also usage.csv, like usage-2026-11-28.csv", page.Find("[data-file='usage-2026-11-29.csv'] [data-table]").TextContent.Trim());
        Assert.Equal("not an import file: ignored", page.Find("[data-file='notes.csv'] [data-table]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=import-clash]"));
        Assert.True(page.Find("[data-testid=import-button]").HasAttribute("disabled"));
    }

    [Fact]
    public void A_refused_upload_is_listed_in_the_history_with_its_problems()
    {
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromText("id,name,seats\nACC-1,Northwind,12\nACC-2,Bluepeak,-3\n", "accounts.csv"));

        page.Find("[data-testid=import-button]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-history='refused']")));
        var refused = page.Find("[data-history='refused']");
        Assert.Contains("accounts.csv: 1 problem, nothing imported", refused.TextContent, StringComparison.Ordinal);
        Assert.Equal("accounts.csv:3: seats: '-3' is out of range (0 to 10,000,000)", refused.QuerySelector("li code")!.TextContent);
    }

    [Fact]
    public void The_same_file_uploaded_twice_is_refused_the_second_time()
    {
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(GoodAccounts, "accounts.csv"));
        page.Find("[data-testid=import-button]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=import-success]"));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(GoodAccounts, "accounts.csv"));
        page.Find("[data-testid=import-button]").Click();

        page.WaitForAssertion(() => Assert.Contains("already imported on", page.Find("ol[aria-label=Problems]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, CountAccounts());
    }

    [Fact]
    public void Expected_files_lists_every_import_file_with_its_required_columns_in_bold()
    {
        var page = Render<ExpectedFiles>();
        var rows = page.FindAll("tbody tr");
        Assert.Equal(ImportFiles.InOrder.Count, rows.Count);
        var usage = rows.Single(r => r.TextContent.Contains("usage.csv", StringComparison.Ordinal));
        Assert.Equal(["account_id", "event_type", "timestamp"], usage.QuerySelectorAll("strong").Select(s => s.TextContent));
        Assert.Equal("import/templates/usage.csv", usage.QuerySelector("[data-template]")!.GetAttribute("href"));
    }

    private int CountAccounts()
    {
        using var db = Services.GetRequiredService<IDbContextFactory<HealthDbContext>>().CreateDbContext();
        return db.Accounts.Count();
    }
}
