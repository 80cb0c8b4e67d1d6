using HealthDashboard.Cli;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Cli;

public class DemoVerbTests
{
    [Fact]
    public async Task Demo_fills_an_empty_database_then_refuses_a_second_time()
    {
        await using var database = await TestStore.CreateAsync(initialize: false);

        var (code, output, _) = await RunAsync("demo", "--db", database.DatabaseFile, "--accounts", "12");

        Assert.Equal(0, code);
        // The summary, then how to sign in as the demo members (one per role).
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var line = lines[0];
        Assert.Equal(HealthDashboard.Identity.DemoTeam.SignInLines(), lines[1..]);
        Assert.StartsWith("Demo data: 12 accounts", line, StringComparison.Ordinal);
        Assert.Matches(@"Scored now: \d+% green, \d+% yellow, \d+% red\.$", line);
        await using (var db = await database.DbFactory.CreateDbContextAsync())
        {
            Assert.Equal(12, await db.Accounts.CountAsync());
            Assert.True(await db.Usage.AnyAsync());
        }

        var (again, refusal, _) = await RunAsync("demo", "--db", database.DatabaseFile);

        Assert.Equal(1, again);
        Assert.Contains("already holds 12 accounts", refusal, StringComparison.Ordinal);
        await using (var db = await database.DbFactory.CreateDbContextAsync())
        {
            Assert.Equal(12, await db.Accounts.CountAsync());
        }
    }

    [Fact]
    public async Task Scores_after_demo_list_every_current_customer_once()
    {
        await using var database = await TestStore.CreateAsync(initialize: false);
        Assert.Equal(0, (await RunAsync("demo", "--db", database.DatabaseFile, "--accounts", "20")).Code);

        var (code, output, _) = await RunAsync("scores", "--db", database.DatabaseFile);

        Assert.Equal(0, code);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        var customers = await db.Accounts.Where(a => a.ChurnedAt == null).OrderBy(a => a.ExternalId).Select(a => a.ExternalId).ToListAsync();
        var rows = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        // The demo model's custom indicators get a column each, after the built-in ones (DATA.md "scores").
        Assert.Equal(string.Join(",", HealthDashboard.Scores.ScoresExport.AccountHeaderWith(["onboarding_progress", "sponsor_sentiment"])), rows[0]);
        Assert.Equal(customers, rows.Skip(1).Select(r => r.Split(',')[0]));
        Assert.True(customers.Count < 20, "the demo churns some accounts even in a set of 20");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
