using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Components.Pages.Renewals;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 16 ("actions", issue 16): the server work behind My tasks and the Renewals page at 10,000 accounts and 50,000
/// tasks. The synthetic portfolio's view (as part 6) and a fresh SQLite file made by the app's migrations holding 50,000
/// tasks (five per account, each assigned to the account's owner, one of 25 CS managers; 40% still open, due dates
/// spread over three months) and a comment on every tenth task.
/// </summary>
/// <remarks>
/// Times, median of the scale's runs: (a) My tasks for one CS manager, as the page loads it: their open tasks with the
/// comment counts (<see cref="TaskStore.MyOpenTasksAsync"/>), the app bar's count, and the grouping by account the page
/// renders from; (b) the Renewals page's data: <see cref="RenewalQuery.Run"/> over the view (with the band counts the
/// chips show, in the same pass) and the open-task counts of the rows the page lists (<see cref="TaskStore.OpenCountsAsync"/>,
/// at most <see cref="RenewalsPage.FirstRows"/> accounts: the page counts what it shows, not every account). Rendering the
/// markup is not included: the Accounts page's render (part 7) shows what a page of rows adds.
/// </remarks>
public sealed class ActionsBench : BenchPart
{
    private const int TasksPerAccount = 5;

    public override int Number => 16;

    public override string Title => "My tasks and Renewals data (tasks)";

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var view = SyntheticView.Build(SyntheticPortfolio.Generate(scale.Portfolio)).View;
        var folder = Directory.CreateTempSubdirectory("hd-bench-actions-").FullName;
        try
        {
            await using var services = new ServiceCollection()
                .AddDbContextFactory<HealthDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(folder, "health.db")}"))
                .AddSingleton(TimeProvider.System)
                .AddSingleton<AuditLog>()
                .AddSingleton<TaskStore>()
                .BuildServiceProvider();
            var factory = services.GetRequiredService<IDbContextFactory<HealthDbContext>>();
            log.WriteLine("  writing tasks...");
            var total = await SeedAsync(factory, view);
            var tasks = services.GetRequiredService<TaskStore>();
            var owner = view.Accounts[0].Owner!;
            var member = new SignedInMember(owner, new Actor(owner, "bench"), false, new AccountOwner(owner, owner, true));

            log.WriteLine("  my tasks...");
            var open = 0;
            var myTasks = await Timing.MeasureAsync(scale.Warmups, scale.Runs, async _ =>
            {
                var mine = await tasks.MyOpenTasksAsync(member);
                var count = await tasks.MyOpenCountAsync(member);
                open = mine.GroupBy(t => t.AccountId).Sum(g => g.Count()) + count - mine.Count;
            });

            log.WriteLine("  renewals...");
            var renewing = 0;
            var renewals = await Timing.MeasureAsync(scale.Warmups, scale.Runs, async _ =>
            {
                var report = RenewalQuery.Run(view, new AccountFilter());
                var shown = ShownRows(report);
                var counts = await tasks.OpenCountsAsync(shown);
                renewing = shown.Count(counts.ContainsKey);
            });

            // The two halves apart, so a regression shows where it is.
            var reportOnly = await Timing.MeasureAsync(scale.Warmups, scale.Runs, _ =>
            {
                _ = RenewalQuery.Run(view, new AccountFilter()).Count;
                return Task.CompletedTask;
            });
            var shownRows = ShownRows(RenewalQuery.Run(view, new AccountFilter()));
            var withOpenTasks = 0;
            var countsOnly = await Timing.MeasureAsync(scale.Warmups, scale.Runs, async _ => withOpenTasks = (await tasks.OpenCountsAsync(shownRows)).Count);

            return
            [
                new(Number, $"My tasks data ({open:N0} open tasks of one CS manager; {total:N0} tasks, {view.Accounts.Count:N0} accounts): median", myTasks.Median, "ms", Target.Under(100)),
                new(Number, "  my tasks: p95", myTasks.P95, "ms"),
                new(Number, $"Renewals page data (report, band counts, open tasks of the {RenewalsPage.FirstRows} rows shown; {renewing:N0} of them with open tasks): median", renewals.Median, "ms", Target.Under(100)),
                new(Number, "  renewals: p95", renewals.P95, "ms"),
                new(Number, "  renewals: report and band counts only, median", reportOnly.Median, "ms"),
                new(Number, $"  renewals: open tasks of the rows shown only ({withOpenTasks:N0} accounts with any), median", countsOnly.Median, "ms"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    // The rows the Renewals page lists first: the first quarter with renewals, at most its row limit.
    private static List<string> ShownRows(RenewalReport report) =>
        [.. report.Quarters.First(q => q.Accounts.Count > 0).Accounts.Take(RenewalsPage.FirstRows).Select(a => a.Id)];

    // Five tasks an account for its owner, 40% open, a comment on every tenth; returns how many tasks were written.
    private static async Task<int> SeedAsync(IDbContextFactory<HealthDbContext> factory, Scores.PortfolioView view)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        var created = view.AsOf.AddDays(-30);
        var n = 0;
        foreach (var account in view.Accounts)
        {
            for (var i = 0; i < TasksPerAccount; i++, n++)
            {
                var open = n % 5 < 2;
                db.Tasks.Add(new AccountTask
                {
                    AccountId = account.Id, Title = $"Task {n}", DueDate = view.AsOf.Date.AddDays((n % 90) - 30), AssigneeEmail = account.Owner ?? "nobody",
                    AssigneeName = account.Owner ?? "nobody", Status = open ? AccountTaskStatus.Open : AccountTaskStatus.Done, CreatedBy = "bench", CreatedAt = created,
                    ClosedBy = open ? null : "bench", ClosedAt = open ? null : created.AddDays(1),
                });
            }
        }

        await db.SaveChangesAsync();
        var ids = await db.Tasks.Select(t => t.Id).Where(id => id % 10 == 0).ToListAsync();
        db.TaskComments.AddRange(ids.Select(id => new TaskComment { TaskId = id, Author = "bench", At = created, Text = "Followed up." }));
        await db.SaveChangesAsync();
        return n;
    }
}
