using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tasks;

/// <summary>A task as pages show it, with its comments' count.</summary>
public sealed record TaskInfo(
    int Id, string AccountId, string Title, string? Description, DateTime DueDate, string AssigneeEmail, string AssigneeName,
    AccountTaskStatus Status, string? Reason, string CreatedBy, DateTime CreatedAt, string? ClosedBy, DateTime? ClosedAt, string? Source)
{
    /// <summary>How many comments it has.</summary>
    public int CommentCount { get; init; }

    /// <summary>Open and due before <paramref name="today"/>.</summary>
    public bool IsOverdue(DateTime today) => Status == AccountTaskStatus.Open && DueDate.Date < today.Date;
}

/// <summary>A new task: what the account page's form (or a playbook) fills in.</summary>
public sealed record NewTask(string AccountId, string? Title, string? Description, DateTime DueDate, string AssigneeEmail, string AssigneeName);

/// <summary>
/// Tasks on accounts (issue 16). The rules are checked here, on the server: an admin sees and changes every task;
/// anyone sees and changes the tasks assigned to them; a CS manager also those on the accounts they own
/// (<see cref="AccountOwner"/>); a product manager no one else's. Tasks are closed (done, or won't do with a
/// reason), never deleted; who closed and when is kept, and won't do and reassignments go to the audit trail.
/// <see cref="Changed"/> is the singleton notifier the app bar's count and My tasks listen to.
/// </summary>
public sealed class TaskStore(IDbContextFactory<HealthDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Longest title.</summary>
    public const int MaxTitleLength = 120;

    /// <summary>Longest description or comment.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>Raised after any change (on the saving thread): subscribers re-read with InvokeAsync.</summary>
    public event Action? Changed;

    /// <summary>Whether <paramref name="member"/> may see and change a task assigned to <paramref name="assigneeEmail"/> on an account owned by <paramref name="accountOwner"/>.</summary>
    public static bool MaySee(SignedInMember member, string assigneeEmail, string? accountOwner) =>
        member.IsAdmin
        || (EmailOf(member) is { Length: > 0 } email && email == assigneeEmail)
        || (member.Owner.IsCsManager && member.Owner.Owns(accountOwner));

    /// <summary>Creates a task on an account the member may work on; returns it or why not.</summary>
    public async Task<(TaskInfo? Task, string? Problem)> CreateAsync(SignedInMember member, NewTask task, string? accountOwner, CancellationToken cancellationToken = default)
    {
        if (Invalid(task) is { } invalid)
        {
            return (null, invalid);
        }

        if (!MaySee(member, task.AssigneeEmail.Trim().ToLowerInvariant(), accountOwner))
        {
            return (null, "You can only create tasks for yourself or on the accounts you own.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = Add(db, task, member.Actor.Name, null);
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return (Info(entity), null);
    }

    /// <summary>
    /// Creates the same task on every account of <paramref name="accountIds"/> (the Accounts grid's bulk action;
    /// <paramref name="task"/>'s account is ignored): all or nothing, refused whole when the member may not create it on
    /// one of them (owners as <paramref name="view"/> has them, the rule of <see cref="CreateAsync"/>) or one no longer
    /// exists. Returns how many were created, or why not.
    /// </summary>
    public async Task<(int Created, string? Problem)> CreateOnAccountsAsync(SignedInMember member, IReadOnlyCollection<string> accountIds, NewTask task, PortfolioView view, CancellationToken cancellationToken = default)
    {
        if (Invalid(task) is { } invalid)
        {
            return (0, invalid);
        }

        var ids = accountIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return (0, "Select accounts first.");
        }

        var accounts = ids.Select(view.FindAccount).ToList();
        if (accounts.Any(a => a is null))
        {
            return (0, "Some of these accounts no longer exist; nothing was changed.");
        }

        var assignee = task.AssigneeEmail.Trim().ToLowerInvariant();
        var notYours = accounts.Count(a => !MaySee(member, assignee, a!.Owner));
        if (notYours > 0)
        {
            return (0, $"You can only create tasks for yourself or on the accounts you own: {notYours} of the {ids.Count} selected are not yours; nothing was created.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var id in ids)
        {
            Add(db, task with { AccountId = id }, member.Actor.Name, null);
            audit.Add(db, member.Actor, AuditActions.TaskBulkCreate, id, $"{task.Title!.Trim()} for {assignee}, due {task.DueDate:yyyy-MM-dd}");
        }

        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return (ids.Count, null);
    }

    // Why a new task cannot be saved as it is (title, lengths, assignee), else null.
    private static string? Invalid(NewTask task)
    {
        if (string.IsNullOrWhiteSpace(task.Title))
        {
            return "Give the task a title.";
        }

        if (task.Title.Trim().Length > MaxTitleLength || (task.Description?.Length ?? 0) > MaxTextLength)
        {
            return $"Keep the title under {MaxTitleLength} and the description under {MaxTextLength} characters.";
        }

        return task.AssigneeEmail.Trim().Length == 0 ? "Choose who does it." : null;
    }

    /// <summary>Adds a task to <paramref name="db"/> without checks (a playbook's, saved by the caller).</summary>
    internal AccountTask Add(HealthDbContext db, NewTask task, string createdBy, string? source, int? alertId = null)
    {
        var entity = new AccountTask
        {
            AccountId = task.AccountId, Title = task.Title!.Trim(), Description = string.IsNullOrWhiteSpace(task.Description) ? null : task.Description.Trim(),
            DueDate = task.DueDate.Date, AssigneeEmail = task.AssigneeEmail.Trim().ToLowerInvariant(), AssigneeName = task.AssigneeName,
            Status = AccountTaskStatus.Open, CreatedBy = createdBy, CreatedAt = clock.GetUtcNow().UtcDateTime, Source = source, AlertId = alertId,
        };
        db.Tasks.Add(entity);
        return entity;
    }

    /// <summary>Announces tasks added through <see cref="Add"/>.</summary>
    internal void RaiseChanged() => Changed?.Invoke();

    /// <summary>The open tasks assigned to the member, overdue first then by due date.</summary>
    public async Task<IReadOnlyList<TaskInfo>> MyOpenTasksAsync(SignedInMember member, CancellationToken cancellationToken = default)
    {
        var email = EmailOf(member);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => t.AssigneeEmail == email && t.Status == AccountTaskStatus.Open)
            .OrderBy(t => t.DueDate).ThenBy(t => t.Id)
            .ToListAsync(cancellationToken);
        return await WithCommentCountsAsync(db, tasks, cancellationToken);
    }

    /// <summary>How many open tasks are assigned to the member (the app bar's count).</summary>
    public async Task<int> MyOpenCountAsync(SignedInMember member, CancellationToken cancellationToken = default)
    {
        var email = EmailOf(member);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tasks.CountAsync(t => t.AssigneeEmail == email && t.Status == AccountTaskStatus.Open, cancellationToken);
    }

    /// <summary>
    /// Open tasks per account of <paramref name="accountIds"/> (accounts without any are left out), for the rows a page
    /// shows (counts only: no one's task is shown). Asking for the rows on screen, not every account, keeps it a
    /// lookup in the (account, status) index instead of a scan of every open task.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> OpenCountsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default)
    {
        if (accountIds.Count == 0)
        {
            return new Dictionary<string, int>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tasks.AsNoTracking().Where(t => accountIds.Contains(t.AccountId) && t.Status == AccountTaskStatus.Open)
            .GroupBy(t => t.AccountId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    /// <summary>The tasks of an account the member may see: open first (by due date), then the closed ones, newest first.</summary>
    public async Task<IReadOnlyList<TaskInfo>> ForAccountAsync(SignedInMember member, string accountId, string? accountOwner, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.AccountId == accountId).ToListAsync(cancellationToken);
        return await WithCommentCountsAsync(db, [.. tasks.Where(t => MaySee(member, t.AssigneeEmail, accountOwner))
            .OrderBy(t => t.Status == AccountTaskStatus.Open ? 0 : 1).ThenBy(t => t.Status == AccountTaskStatus.Open ? t.DueDate : DateTime.MaxValue)
            .ThenByDescending(t => t.ClosedAt)], cancellationToken);
    }

    // The tasks as pages show them, each with its comments' count (one grouped query).
    private static async Task<IReadOnlyList<TaskInfo>> WithCommentCountsAsync(HealthDbContext db, IReadOnlyList<AccountTask> tasks, CancellationToken cancellationToken)
    {
        var ids = tasks.Select(t => t.Id).ToList();
        var counts = ids.Count == 0 ? [] : await db.TaskComments.AsNoTracking().Where(c => ids.Contains(c.TaskId))
            .GroupBy(c => c.TaskId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. tasks.Select(t => Info(t) with { CommentCount = counts.GetValueOrDefault(t.Id) })];
    }

    /// <summary>The comments of a task the member may see, oldest first.</summary>
    public async Task<IReadOnlyList<TaskComment>> CommentsAsync(SignedInMember member, int taskId, PortfolioView view, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || !MaySee(member, task.AssigneeEmail, view.FindAccount(task.AccountId)?.Owner))
        {
            return [];
        }

        return await db.TaskComments.AsNoTracking().Where(c => c.TaskId == taskId).OrderBy(c => c.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Closes tasks as done or won't do (with a reason); returns why not, or null when every one was closed.</summary>
    public Task<string?> CloseAsync(SignedInMember member, IReadOnlyCollection<int> ids, AccountTaskStatus status, string? reason, PortfolioView view, CancellationToken cancellationToken = default)
    {
        if (status == AccountTaskStatus.Open)
        {
            return Task.FromResult<string?>("Choose done or won't do.");
        }

        if (status == AccountTaskStatus.WontDo && string.IsNullOrWhiteSpace(reason))
        {
            return Task.FromResult<string?>("Say why it won't be done.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        return ChangeAsync(member, ids, view, (db, task) =>
        {
            task.Status = status;
            task.Reason = status == AccountTaskStatus.WontDo ? reason!.Trim() : null;
            task.ClosedBy = member.Actor.Name;
            task.ClosedAt = now;
            if (status == AccountTaskStatus.WontDo)
            {
                audit.Add(db, member.Actor, AuditActions.TaskWontDo, $"{task.AccountId}: {task.Title}", task.Reason);
            }
        }, cancellationToken);
    }

    /// <summary>Gives tasks to another member; returns why not, or null when done.</summary>
    public Task<string?> ReassignAsync(SignedInMember member, IReadOnlyCollection<int> ids, string assigneeEmail, string assigneeName, PortfolioView view, CancellationToken cancellationToken = default)
    {
        var email = assigneeEmail.Trim().ToLowerInvariant();
        if (email.Length == 0)
        {
            return Task.FromResult<string?>("Choose who does it.");
        }

        return ChangeAsync(member, ids, view, (db, task) =>
        {
            audit.Add(db, member.Actor, AuditActions.TaskReassign, $"{task.AccountId}: {task.Title}", $"{task.AssigneeEmail} → {email}");
            task.AssigneeEmail = email;
            task.AssigneeName = assigneeName;
        }, cancellationToken);
    }

    /// <summary>Adds a comment to a task the member may see; returns why not, or null.</summary>
    public async Task<string?> CommentAsync(SignedInMember member, int taskId, string? text, PortfolioView view, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            return $"Write a comment (at most {MaxTextLength} characters).";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || !MaySee(member, task.AssigneeEmail, view.FindAccount(task.AccountId)?.Owner))
        {
            return "That task no longer exists.";
        }

        db.TaskComments.Add(new TaskComment { TaskId = taskId, Author = member.Name.Length > 0 ? member.Name : member.Actor.Name, At = clock.GetUtcNow().UtcDateTime, Text = text.Trim() });
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    // Loads the open tasks, refuses the whole change if any is not the member's to change, applies and saves once.
    private async Task<string?> ChangeAsync(SignedInMember member, IReadOnlyCollection<int> ids, PortfolioView view, Action<HealthDbContext, AccountTask> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tasks = await db.Tasks.Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);
        if (tasks.Count != ids.Count || tasks.Any(t => !MaySee(member, t.AssigneeEmail, view.FindAccount(t.AccountId)?.Owner)))
        {
            return "Some of these tasks are not yours to change (or no longer exist); nothing was changed.";
        }

        if (tasks.Any(t => t.Status != AccountTaskStatus.Open))
        {
            return "Some of these tasks are already closed; nothing was changed.";
        }

        foreach (var task in tasks)
        {
            change(db, task);
        }

        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    private static string EmailOf(SignedInMember member) => member.Owner.Email.Trim().ToLowerInvariant();

    private static TaskInfo Info(AccountTask t) => new(
        t.Id, t.AccountId, t.Title, t.Description, t.DueDate, t.AssigneeEmail, t.AssigneeName, t.Status, t.Reason, t.CreatedBy, t.CreatedAt,
        t.ClosedBy, t.ClosedAt, t.Source);
}
