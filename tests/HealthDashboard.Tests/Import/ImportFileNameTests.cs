using HealthDashboard.Import;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Import;

/// <summary>Which table a file is for: the one rule (<see cref="ImportFiles.Find"/>) the command line, the API and the page share.</summary>
public sealed class ImportFileNameTests : IAsyncLifetime
{
    private ImportTestDatabase db = null!;

    public async Task InitializeAsync() => this.db = await ImportTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await this.db.DisposeAsync();

    [Theory]
    [InlineData("usage.csv", "usage.csv")]
    [InlineData("Usage.CSV", "usage.csv")]
    [InlineData("usage-2026-11-29.csv", "usage.csv")]
    [InlineData("USAGE_export.csv", "usage.csv")]
    [InlineData("usage.2026-11.csv", "usage.csv")]
    [InlineData("users 2026.csv", "users.csv")]
    [InlineData("event_types-v2.csv", "event_types.csv")]
    [InlineData("exports/accounts-2026-11-29.csv", "accounts.csv")]
    [InlineData("revenue.csv", "revenue.csv")]
    public void A_file_is_recognised_by_its_prefix(string fileName, string table) =>
        Assert.Equal(table, ImportFiles.Find(fileName)?.Name);

    [Theory]
    [InlineData("usages.csv")]
    [InlineData("usagereport.csv")]
    [InlineData("my-usage.csv")]
    [InlineData("usage-2026-11-29.txt")]
    [InlineData("usage")]
    [InlineData("event.csv")]
    [InlineData(".csv")]
    public void Other_names_are_not_import_files(string fileName) =>
        Assert.Null(ImportFiles.Find(fileName));

    [Fact]
    public async Task Dated_and_upper_case_names_import_as_their_tables()
    {
        var result = await this.db.ImportAsync(("Accounts-2026-11-29.CSV", ImportData.Accounts), ("event_types_v1.csv", ImportData.EventTypes));

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(["event_types.csv", "accounts.csv"], result.Files.Select(f => f.FileName));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Two_files_for_one_table_are_refused_naming_both_and_the_attempt_is_recorded()
    {
        var before = await this.db.ChecksumAsync();

        var result = await this.db.ImportAsync(("usage-2026-11-28.csv", ImportData.Usage), ("usage-2026-11-29.csv", ImportData.Usage), ("accounts.csv", ImportData.Accounts));

        Assert.False(result.Succeeded);
        Assert.Equal(
            "usage-2026-11-29.csv: usage.csv is given twice: usage-2026-11-28.csv and usage-2026-11-29.csv (file names are matched by how they start, ignoring case); import one of them at a time",
            Assert.Single(result.Problems).ToString());
        Assert.Equal(before, await this.db.ChecksumAsync());
        await using var db = await this.db.DbAsync();
        var failed = await db.FailedImports.SingleAsync();
        Assert.Equal(
            ("test", "accounts.csv, usage-2026-11-28.csv, usage-2026-11-29.csv", 1, result.Problems[0].ToString(), ImportTestDatabase.Start.UtcDateTime),
            (failed.Source, failed.Files, failed.ProblemCount, failed.Problems, failed.AttemptedAt));
    }

    [Fact]
    public async Task A_successful_import_records_no_failure()
    {
        var result = await this.db.ImportAsync(("accounts.csv", ImportData.Accounts));

        Assert.True(result.Succeeded);
        await using var db = await this.db.DbAsync();
        Assert.Empty(await db.FailedImports.ToListAsync());
    }
}
