using HealthDashboard.Alerts;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tasks;

/// <summary>What a playbook evaluation did: firings opened (each with its tasks) and cleared.</summary>
public sealed record PlaybookEvaluation(int Fired, int TasksCreated, int Cleared)
{
    public static PlaybookEvaluation None { get; } = new(0, 0, 0);
}

/// <summary>
/// Playbooks (issue 16): a trigger and task templates. <see cref="EvaluateAsync"/> runs after the alert rules on
/// every published view (<see cref="AlertWorker"/>): an account meeting an enabled playbook's trigger with no open
/// firing gets one and the playbook's tasks (due the template's days after the view's as-of time, assigned to the
/// account's owner or a named member, linked to the alert that fired it); an open firing whose trigger no longer holds
/// is cleared, so the tasks come again only after the condition cleared and came back. New tasks go through
/// <see cref="TaskStore.RaiseChanged"/>, so My tasks and the app-bar count update live.
/// </summary>
public sealed class PlaybookService(IDbContextFactory<HealthDbContext> dbFactory, TaskStore tasks, TeamService team, TimeProvider clock, ILogger<PlaybookService> logger)
{
    /// <summary>Most task templates a playbook may hold.</summary>
    public const int MaxTemplates = 10;

    /// <summary>Longest "due in" a template may name.</summary>
    public const int MaxDueDays = 365;

    /// <summary>Raised after a playbook was added or changed: the <see cref="AlertWorker"/> evaluates at once.</summary>
    public event Action? PlaybooksChanged;

    /// <summary>The playbooks with their templates, oldest first.</summary>
    public async Task<IReadOnlyList<Playbook>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var playbooks = await db.Playbooks.AsNoTracking().Include(p => p.Tasks).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        foreach (var playbook in playbooks)
        {
            playbook.Tasks.Sort((a, b) => a.Position.CompareTo(b.Position));
        }

        return playbooks;
    }

    /// <summary>How often each playbook has fired so far (once per account and episode), by playbook id.</summary>
    public async Task<IReadOnlyDictionary<int, int>> FiringCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PlaybookFirings.AsNoTracking().GroupBy(f => f.PlaybookId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    /// <summary>What is wrong with a playbook before it can be saved (empty when fine), each naming the field.</summary>
    public static IReadOnlyList<string> Problems(Playbook playbook)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(playbook.Name) || playbook.Name.Trim().Length > 100)
        {
            problems.Add("Name: give the playbook a name of 1 to 100 characters.");
        }

        switch (playbook.Trigger)
        {
            case PlaybookTrigger.AlertRule when playbook.AlertRuleId is null:
                problems.Add("Alert rule: pick one.");
                break;
            case PlaybookTrigger.EntersBand when playbook.Band is not (<= (byte)Band.Red):
                problems.Add("Band: pick green, yellow or red.");
                break;
            case PlaybookTrigger.RenewalAtRisk or PlaybookTrigger.OverrideExpires when playbook.Days is not (>= 1 and <= AlertConditions.MaxDays):
                problems.Add($"Days: a whole number from 1 to {AlertConditions.MaxDays}.");
                break;
        }

        if (playbook.Tasks.Count is 0 or > MaxTemplates)
        {
            problems.Add($"Tasks: add 1 to {MaxTemplates} tasks.");
        }

        foreach (var (template, number) in playbook.Tasks.Select((t, i) => (t, i + 1)))
        {
            if (string.IsNullOrWhiteSpace(template.Title) || template.Title.Trim().Length > TaskStore.MaxTitleLength)
            {
                problems.Add($"Task {number}: title: 1 to {TaskStore.MaxTitleLength} characters.");
            }

            if ((template.Description?.Length ?? 0) > TaskStore.MaxTextLength)
            {
                problems.Add($"Task {number}: description: at most {TaskStore.MaxTextLength} characters.");
            }

            if (template.DueInDays is < 0 or > MaxDueDays)
            {
                problems.Add($"Task {number}: due in: 0 to {MaxDueDays} days.");
            }
        }

        return problems;
    }

    /// <summary>The trigger in words: "Alert “Red” opens", "Enters red", "Renews within 60 days while yellow or red".</summary>
    public static string Describe(Playbook playbook, IEnumerable<AlertRule> rules) => playbook.Trigger switch
    {
        PlaybookTrigger.AlertRule => $"Alert \u201c{rules.FirstOrDefault(r => r.Id == playbook.AlertRuleId)?.Name ?? "(deleted rule)"}\u201d opens",
        PlaybookTrigger.EntersBand => $"Enters {(playbook.Band is { } b ? ((Band)b).ToKey() : "?")}",
        PlaybookTrigger.RenewalAtRisk => $"Renews within {playbook.Days} days while yellow or red",
        _ => $"Override expires within {playbook.Days} days",
    };

    /// <summary>Adds (<see cref="Playbook.Id"/> 0) or replaces a playbook and its templates; refused with the problems when not valid.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(Playbook playbook, string who, CancellationToken cancellationToken = default)
    {
        var problems = Problems(playbook);
        if (problems.Count > 0)
        {
            return problems;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (playbook.AlertRuleId is { } ruleId && playbook.Trigger == PlaybookTrigger.AlertRule
            && !await db.AlertRules.AnyAsync(r => r.Id == ruleId, cancellationToken))
        {
            return ["Alert rule: that rule no longer exists."];
        }

        var templates = playbook.Tasks.Select((t, i) => new PlaybookTaskTemplate
        {
            Position = i, Title = t.Title.Trim(), Description = string.IsNullOrWhiteSpace(t.Description) ? null : t.Description.Trim(), DueInDays = t.DueInDays,
            AssigneeEmail = string.IsNullOrWhiteSpace(t.AssigneeEmail) ? null : t.AssigneeEmail.Trim().ToLowerInvariant(),
            AssigneeName = string.IsNullOrWhiteSpace(t.AssigneeEmail) ? null : t.AssigneeName,
        }).ToList();
        // Only what the trigger uses is kept (the form holds the others' last values).
        var alertRuleId = playbook.Trigger == PlaybookTrigger.AlertRule ? playbook.AlertRuleId : null;
        var band = playbook.Trigger == PlaybookTrigger.EntersBand ? playbook.Band : null;
        var days = playbook.Trigger is PlaybookTrigger.RenewalAtRisk or PlaybookTrigger.OverrideExpires ? playbook.Days : null;
        var now = clock.GetUtcNow().UtcDateTime;
        var entity = playbook.Id == 0 ? null : await db.Playbooks.Include(p => p.Tasks).FirstOrDefaultAsync(p => p.Id == playbook.Id, cancellationToken);
        if (entity is null)
        {
            if (playbook.Id != 0)
            {
                return ["That playbook no longer exists."];
            }

            entity = new Playbook { Name = "", CreatedAt = now, CreatedBy = who };
            db.Playbooks.Add(entity);
        }
        else
        {
            db.PlaybookTaskTemplates.RemoveRange(entity.Tasks);
            if (entity.Trigger != playbook.Trigger || entity.AlertRuleId != alertRuleId || entity.Band != band || entity.Days != days)
            {
                // A changed trigger starts over: its open firings were found under the old one.
                await db.PlaybookFirings.Where(f => f.PlaybookId == entity.Id && f.ClearedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.ClearedAt, now), cancellationToken);
            }
        }

        entity.Name = playbook.Name.Trim();
        entity.Trigger = playbook.Trigger;
        entity.AlertRuleId = alertRuleId;
        entity.Band = band;
        entity.Days = days;
        entity.Enabled = playbook.Enabled;
        entity.Tasks = templates;
        await db.SaveChangesAsync(cancellationToken);
        PlaybooksChanged?.Invoke();
        return [];
    }

    /// <summary>Deletes a playbook that never fired; one that did is only turned off (its tasks name it). Returns why not, or null.</summary>
    public async Task<string?> DeleteAsync(int playbookId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.PlaybookFirings.AnyAsync(f => f.PlaybookId == playbookId, cancellationToken))
        {
            return "This playbook has created tasks: turn it off instead, so they keep pointing to it.";
        }

        await db.Playbooks.Where(p => p.Id == playbookId).ExecuteDeleteAsync(cancellationToken);
        return null;
    }

    /// <summary>Opens and clears firings for the view's scores, creating the tasks of each new firing (see the class summary).</summary>
    public async Task<PlaybookEvaluation> EvaluateAsync(PortfolioView view, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var playbooks = await db.Playbooks.AsNoTracking().Include(p => p.Tasks).Where(p => p.Enabled).ToListAsync(cancellationToken);
        var open = await db.PlaybookFirings.Where(f => f.ClearedAt == null).ToListAsync(cancellationToken);
        if (playbooks.Count == 0 && open.Count == 0)
        {
            return PlaybookEvaluation.None;
        }

        var ruleIds = playbooks.Where(p => p.Trigger == PlaybookTrigger.AlertRule).Select(p => p.AlertRuleId).ToList();
        var openAlerts = ruleIds.Count == 0 ? [] : await db.Alerts.AsNoTracking()
            .Where(a => a.ClearedAt == null && ruleIds.Contains(a.RuleId))
            .Select(a => new { a.Id, a.RuleId, a.Account!.ExternalId })
            .ToListAsync(cancellationToken);
        var alertByRuleAndAccount = openAlerts.ToDictionary(a => (a.RuleId, a.ExternalId), a => a.Id);
        var members = playbooks.Count == 0 ? [] : await team.ListActiveAsync(cancellationToken);
        var openByKey = open.ToDictionary(f => (f.PlaybookId, f.AccountId));
        var now = clock.GetUtcNow().UtcDateTime;
        var stillMet = new HashSet<(int, string)>();
        int fired = 0, created = 0;
        foreach (var playbook in playbooks)
        {
            playbook.Tasks.Sort((a, b) => a.Position.CompareTo(b.Position));
            foreach (var account in view.Accounts)
            {
                int? alertId = null;
                if (playbook.Trigger == PlaybookTrigger.AlertRule)
                {
                    if (playbook.AlertRuleId is not { } ruleId || !alertByRuleAndAccount.TryGetValue((ruleId, account.Id), out var id))
                    {
                        continue;
                    }

                    alertId = id;
                }
                else if (!Holds(playbook, account, view))
                {
                    continue;
                }

                stillMet.Add((playbook.Id, account.Id));
                if (openByKey.ContainsKey((playbook.Id, account.Id)))
                {
                    continue;
                }

                db.PlaybookFirings.Add(new PlaybookFiring { PlaybookId = playbook.Id, AccountId = account.Id, FiredAt = now, AlertId = alertId });
                fired++;
                foreach (var template in playbook.Tasks)
                {
                    if (Assignee(template, account, members) is not { } assignee)
                    {
                        logger.LogWarning("Playbook {Playbook}: account {Account} has no owner; task {Task} not created", playbook.Name, account.Id, template.Title);
                        continue;
                    }

                    var task = new NewTask(account.Id, template.Title, template.Description, view.AsOf.Date.AddDays(template.DueInDays), assignee.Email, assignee.Name);
                    tasks.Add(db, task, $"Playbook: {playbook.Name}", $"playbook-{playbook.Id}:{account.Id}", alertId);
                    created++;
                }
            }
        }

        // Cleared: the trigger no longer holds, the account is no longer scored, or the playbook was turned off.
        var cleared = 0;
        foreach (var firing in open.Where(f => !stillMet.Contains((f.PlaybookId, f.AccountId))))
        {
            firing.ClearedAt = now;
            cleared++;
        }

        if (fired == 0 && cleared == 0)
        {
            return PlaybookEvaluation.None;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (created > 0)
        {
            tasks.RaiseChanged();
        }

        return new PlaybookEvaluation(fired, created, cleared);
    }

    /// <summary>Whether a band, renewal or override trigger holds for the account at the view's as-of time.</summary>
    public static bool Holds(Playbook playbook, AccountSummary account, PortfolioView view) => playbook.Trigger switch
    {
        // The same conditions as the alert rules of the same name.
        PlaybookTrigger.EntersBand => AlertConditions.Check(AsRule(AlertKind.InBand, playbook), account, view, null) is not null,
        PlaybookTrigger.RenewalAtRisk => AlertConditions.Check(AsRule(AlertKind.RenewalAtRisk, playbook), account, view, null) is not null,
        PlaybookTrigger.OverrideExpires => playbook.Days is { } days && account.Override is { EndedAt: null } active
            && active.IsActiveAt(view.AsOf) && (active.Until - view.AsOf).TotalDays <= days,
        _ => false,
    };

    private static AlertRule AsRule(AlertKind kind, Playbook playbook) =>
        new() { Name = playbook.Name, CreatedBy = "", Kind = kind, Band = playbook.Band, Days = playbook.Days };

    // The named member, or the team member the account's owner column names (else the owner text itself, lower case,
    // so the owning CS manager still sees it on the account page); null when the account has no owner.
    private static (string Email, string Name)? Assignee(PlaybookTaskTemplate template, AccountSummary account, IReadOnlyList<TeamMemberInfo> members)
    {
        if (template.AssigneeEmail is { } email)
        {
            return (email, template.AssigneeName ?? email);
        }

        if (account.Owner?.Trim() is not { Length: > 0 } owner)
        {
            return null;
        }

        return members.FirstOrDefault(m => new AccountOwner(m.DisplayName, m.Email, true).Owns(owner)) is { } member
            ? (member.Email.ToLowerInvariant(), member.DisplayName)
            : (owner.ToLowerInvariant(), owner);
    }
}
