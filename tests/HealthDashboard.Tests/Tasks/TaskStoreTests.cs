using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Tasks;

/// <summary>
/// Tasks over the real SQLite store and the test portfolio (ACC-1 and ACC-3 owned by Maya Chen, ACC-2 and ACC-4 by
/// Liam Ortiz): who sees and changes what, closing records who and when, nothing is deleted.
/// </summary>
public sealed class TaskStoreTests : IAsyncLifetime
{
    private static readonly PortfolioView View = TestPortfolio.View();
    private static readonly SignedInMember Maya = Member("Maya Chen", "maya@example.com", Roles.CSManager);
    private static readonly SignedInMember Liam = Member("Liam Ortiz", "liam@example.com", Roles.CSManager);
    private static readonly SignedInMember Pat = Member("Pat Product", "pat@example.com", Roles.ProductManager);
    private static readonly SignedInMember Admin = Member("Alex Admin", "alex@example.com", Roles.Admin);

    private TestStore store = default!;

    private TaskStore Tasks => store.Get<TaskStore>();

    public async Task InitializeAsync() => store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await store.DisposeAsync();

    private static SignedInMember Member(string name, string email, string role) =>
        new(name, new Actor(email, "test"), role == Roles.Admin, new AccountOwner(name, email, role == Roles.CSManager));

    private async Task<TaskInfo> CreateAsync(SignedInMember by, string accountId, string title, SignedInMember assignee, int dueInDays = 3)
    {
        var (task, problem) = await Tasks.CreateAsync(by, new NewTask(accountId, title, null, View.AsOf.AddDays(dueInDays), assignee.Owner.Email, assignee.Name),
            View.FindAccount(accountId)!.Owner);
        Assert.Null(problem);
        return task!;
    }

    [Fact]
    public async Task Cs_managers_see_their_tasks_and_their_accounts_tasks_product_managers_only_their_own()
    {
        await CreateAsync(Admin, "ACC-1", "Call the sponsor", Liam); // Maya's account, Liam's task
        await CreateAsync(Admin, "ACC-4", "QBR prep", Liam);          // Liam's account
        await CreateAsync(Admin, "ACC-4", "Feature feedback", Pat);   // Liam's account, Pat's task

        Assert.Equal(["Call the sponsor"], (await Tasks.ForAccountAsync(Maya, "ACC-1", "Maya Chen")).Select(t => t.Title));
        Assert.Equal(["Feature feedback", "QBR prep"], (await Tasks.ForAccountAsync(Liam, "ACC-4", "Liam Ortiz")).Select(t => t.Title).Order());
        Assert.Equal(["Feature feedback"], (await Tasks.ForAccountAsync(Pat, "ACC-4", "Liam Ortiz")).Select(t => t.Title));
        Assert.Empty(await Tasks.ForAccountAsync(Pat, "ACC-1", "Maya Chen"));
        Assert.Equal(3, (await Tasks.ForAccountAsync(Admin, "ACC-4", "Liam Ortiz")).Count + (await Tasks.ForAccountAsync(Admin, "ACC-1", "Maya Chen")).Count);

        // Creating: a PM only for himself; a CS manager on his accounts or for himself.
        var refused = await Tasks.CreateAsync(Pat, new NewTask("ACC-4", "For Liam", null, View.AsOf, Liam.Owner.Email, Liam.Name), "Liam Ortiz");
        Assert.Equal("You can only create tasks for yourself or on the accounts you own.", refused.Problem);
        Assert.Null((await Tasks.CreateAsync(Maya, new NewTask("ACC-1", "For Liam on my account", null, View.AsOf, Liam.Owner.Email, Liam.Name), "Maya Chen")).Problem);
    }

    [Fact]
    public async Task Bulk_tasks_are_created_on_every_selected_account_or_on_none()
    {
        var due = View.AsOf.Date.AddDays(5);
        var forLiam = new NewTask("", "Renewal call", null, due, Liam.Owner.Email, Liam.Name);

        // Maya may give Liam work on her accounts (ACC-1, ACC-3), not on his ACC-4: nothing is created.
        var refused = await Tasks.CreateOnAccountsAsync(Maya, ["ACC-1", "ACC-3", "ACC-4"], forLiam, View);
        Assert.Equal((0, "You can only create tasks for yourself or on the accounts you own: 1 of the 3 selected are not yours; nothing was created."), refused);
        Assert.Empty(await Tasks.ForAccountAsync(Admin, "ACC-1", null));
        // A product manager only for himself.
        Assert.Equal(0, (await Tasks.CreateOnAccountsAsync(Pat, ["ACC-1"], forLiam, View)).Created);
        Assert.Equal((1, (string?)null), await Tasks.CreateOnAccountsAsync(Pat, ["ACC-1"], forLiam with { AssigneeEmail = Pat.Owner.Email, AssigneeName = Pat.Name }, View));

        Assert.Equal((2, (string?)null), await Tasks.CreateOnAccountsAsync(Maya, ["ACC-1", "ACC-3", "ACC-1"], forLiam, View));
        var liams = await Tasks.MyOpenTasksAsync(Liam);
        Assert.Equal([("ACC-1", "Renewal call", due), ("ACC-3", "Renewal call", due)], liams.Select(t => (t.AccountId, t.Title, t.DueDate)).Order());
        Assert.All(liams, t => Assert.Equal("maya@example.com", t.CreatedBy));

        await using var db = await store.DbAsync();
        var audit = await db.Audit.AsNoTracking().Where(e => e.Action == AuditActions.TaskBulkCreate).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["ACC-1", "ACC-1", "ACC-3"], audit.Select(e => e.Target));
        Assert.Equal($"Renewal call for liam@example.com, due {due:yyyy-MM-dd}", audit[^1].Details);
    }

    [Fact]
    public async Task Open_counts_cover_the_asked_accounts_and_only_open_tasks()
    {
        await CreateAsync(Admin, "ACC-1", "One", Maya);
        await CreateAsync(Admin, "ACC-1", "Two", Liam);
        var closed = await CreateAsync(Admin, "ACC-4", "Closed", Liam);
        await CreateAsync(Admin, "ACC-2", "Not asked", Liam);
        Assert.Null(await Tasks.CloseAsync(Admin, [closed.Id], AccountTaskStatus.Done, null, View));

        var counts = await Tasks.OpenCountsAsync(["ACC-1", "ACC-4", "ACC-3"]);

        Assert.Equal([("ACC-1", 2)], counts.Select(c => (c.Key, c.Value)));
        Assert.Empty(await Tasks.OpenCountsAsync([]));
    }

    [Fact]
    public async Task Changing_someone_elses_task_is_refused_whole()
    {
        var mine = await CreateAsync(Admin, "ACC-4", "QBR prep", Liam);
        var patTask = await CreateAsync(Admin, "ACC-1", "Pat's own", Pat);

        // Maya owns ACC-1 (so Pat's task there is hers to change) but not ACC-4.
        Assert.Equal("Some of these tasks are not yours to change (or no longer exist); nothing was changed.",
            await Tasks.CloseAsync(Maya, [mine.Id, patTask.Id], AccountTaskStatus.Done, null, View));
        Assert.Equal(2, (await Tasks.ForAccountAsync(Admin, "ACC-4", null)).Count + (await Tasks.ForAccountAsync(Admin, "ACC-1", null)).Count(t => t.Status == AccountTaskStatus.Open));
        Assert.Null(await Tasks.CloseAsync(Maya, [patTask.Id], AccountTaskStatus.Done, null, View));
        Assert.Equal("Some of these tasks are not yours to change (or no longer exist); nothing was changed.",
            await Tasks.ReassignAsync(Pat, [mine.Id], Pat.Owner.Email, Pat.Name, View));
    }

    [Fact]
    public async Task My_tasks_are_open_ones_overdue_first_and_closing_records_who_and_when()
    {
        var later = await CreateAsync(Admin, "ACC-4", "Later", Liam, dueInDays: 10);
        var overdue = await CreateAsync(Admin, "ACC-2", "Overdue", Liam, dueInDays: -2);
        var soon = await CreateAsync(Admin, "ACC-4", "Soon", Liam, dueInDays: 1);
        Assert.Equal(["Overdue", "Soon", "Later"], (await Tasks.MyOpenTasksAsync(Liam)).Select(t => t.Title));
        Assert.True((await Tasks.MyOpenTasksAsync(Liam))[0].IsOverdue(View.AsOf));
        Assert.Equal(3, await Tasks.MyOpenCountAsync(Liam));

        Assert.Equal("Say why it won't be done.", await Tasks.CloseAsync(Liam, [later.Id], AccountTaskStatus.WontDo, " ", View));
        Assert.Null(await Tasks.CloseAsync(Liam, [later.Id], AccountTaskStatus.WontDo, "Customer cancelled the QBR", View));
        Assert.Null(await Tasks.CloseAsync(Liam, [overdue.Id, soon.Id], AccountTaskStatus.Done, null, View));
        Assert.Equal("Some of these tasks are already closed; nothing was changed.", await Tasks.CloseAsync(Liam, [soon.Id], AccountTaskStatus.Done, null, View));
        Assert.Equal(0, await Tasks.MyOpenCountAsync(Liam));

        await using var db = await store.DbAsync();
        var closed = await db.Tasks.OrderBy(t => t.Id).ToListAsync();
        Assert.Equal(3, closed.Count); // closed, not deleted
        Assert.All(closed, t => Assert.Equal(("liam@example.com", store.Clock.GetUtcNow().UtcDateTime), (t.ClosedBy, t.ClosedAt!.Value)));
        Assert.Equal((AccountTaskStatus.WontDo, "Customer cancelled the QBR"), (closed[0].Status, closed[0].Reason));
        Assert.Equal([AuditActions.TaskWontDo], await db.Audit.Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Bulk_reassign_moves_the_tasks_and_is_audited_and_announced()
    {
        var a = await CreateAsync(Admin, "ACC-4", "One", Liam);
        var b = await CreateAsync(Admin, "ACC-2", "Two", Liam);
        var changes = 0;
        Tasks.Changed += () => changes++;

        Assert.Null(await Tasks.ReassignAsync(Liam, [a.Id, b.Id], "MAYA@example.com", "Maya Chen", View));

        Assert.Equal(0, await Tasks.MyOpenCountAsync(Liam));
        Assert.Equal(["One", "Two"], (await Tasks.MyOpenTasksAsync(Maya)).Select(t => t.Title));
        Assert.Equal(1, changes);
        await using var db = await store.DbAsync();
        Assert.Equal(2, await db.Audit.CountAsync(e => e.Action == AuditActions.TaskReassign));
    }

    [Fact]
    public async Task Comments_are_kept_for_those_who_see_the_task()
    {
        var task = await CreateAsync(Admin, "ACC-4", "QBR prep", Liam);

        Assert.Null(await Tasks.CommentAsync(Liam, task.Id, "Booked for Tuesday", View));
        Assert.Equal("That task no longer exists.", await Tasks.CommentAsync(Pat, task.Id, "Sneaky", View));

        Assert.Equal(["Booked for Tuesday"], (await Tasks.CommentsAsync(Liam, task.Id, View)).Select(c => c.Text));
        Assert.Empty(await Tasks.CommentsAsync(Pat, task.Id, View));
        Assert.Null(await Tasks.CommentAsync(Admin, task.Id, "Agenda sent", View));
        Assert.Equal([2], (await Tasks.MyOpenTasksAsync(Liam)).Select(t => t.CommentCount));
        Assert.Equal([2], (await Tasks.ForAccountAsync(Liam, "ACC-4", "Liam Ortiz")).Select(t => t.CommentCount));
    }
}
