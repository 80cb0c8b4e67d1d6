using Bunit;
using HealthDashboard.Components.Pages.Import;
using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Pages.Import;

public sealed class ImportPageTests : BunitTestBase
{
    private const string GoodAccounts = "id,name,seats,mrr\nACC-1,Northwind Logistics,10,1200\nACC-2,\"Bluepeak, Inc.\",5,300\n";

    public ImportPageTests()
    {
        // A migrated store with the default model as version 1, as the app starts.
        AddScoreBoard();
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
    public void A_good_upload_imports_every_row_and_says_how_many()
    {
        var page = Render<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(GoodAccounts, "accounts.csv"));
        Assert.Contains("accounts.csv", page.Find("ul[aria-label='Selected files']").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=import-button]").Click();

        page.WaitForAssertion(() => Assert.Contains("accounts.csv 2", page.Find("[data-testid=import-success]").TextContent, StringComparison.Ordinal));
        Assert.Equal(2, CountAccounts());
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
    }

    private int CountAccounts()
    {
        using var db = Services.GetRequiredService<IDbContextFactory<HealthDbContext>>().CreateDbContext();
        return db.Accounts.Count();
    }
}
