using HealthDashboard.Data;
using HealthDashboard.Scores;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Alerts;

/// <summary>One alert as the inbox and the account page list it.</summary>
public sealed record AlertRow(
    int Id, int RuleId, string RuleName, string AccountId, string AccountName, string? Owner, string Message,
    DateTime OpenedAt, DateTime? ClearedAt, DateTime? AcknowledgedAt, string? AcknowledgedBy, DateTime? SnoozedUntil)
{
    /// <summary>Open, not acknowledged and not snoozed at <paramref name="now"/>: someone still needs to look.</summary>
    public bool NeedsAttention(DateTime now) => ClearedAt is null && AcknowledgedAt is null && !(SnoozedUntil > now);
}

/// <summary>Alerts a rule evaluation opened (for webhooks) and how many it cleared.</summary>
public sealed record AlertEvaluation(IReadOnlyList<(AlertRule Rule, AlertRow Alert)> Opened, int Cleared)
{
    public static AlertEvaluation None { get; } = new([], 0);
}

/// <summary>Whose alerts an inbox shows: the accounts whose owner is the member's display name or email, or all.</summary>
public sealed record AlertAudience(string? DisplayName, string? Email, bool Everyone)
{
    /// <summary>
    /// A signed-in member's audience: a CS manager sees their own accounts' alerts; admins and product managers,
    /// who own no accounts, see every alert.
    /// </summary>
    public static AlertAudience Of(System.Security.Claims.ClaimsPrincipal user) => new(
        user.FindFirst(Identity.SignInClaims.DisplayName)?.Value,
        user.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value ?? user.Identity?.Name,
        !user.IsInRole(Identity.Roles.CSManager));

    /// <summary>True when <paramref name="owner"/> names this member (trimmed, case-insensitive).</summary>
    public bool Owns(string? owner) => Everyone || (owner?.Trim() is { Length: > 0 } o
        && (string.Equals(o, DisplayName?.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(o, Email?.Trim(), StringComparison.OrdinalIgnoreCase)));
}

/// <summary>
/// Alert rules and alerts in the store. <see cref="EvaluateAsync"/> checks every enabled rule against every scored
/// account of a view: an account meeting a rule with no open alert of it gets one; an open alert whose condition
/// no longer holds is cleared. So there is one alert per account and condition until it clears, however often the
/// evaluation runs. Every change tells the <see cref="AlertNotifier"/>.
/// </summary>
public sealed class AlertService(IDbContextFactory<HealthDbContext> dbFactory, AlertNotifier notifier, TimeProvider clock)
{
    private readonly HighestRecentHealth highestHealth = new();
    private volatile Dictionary<string, int>? knownAccountIds;

    /// <summary>Raised after a rule was added, changed or deleted: the <see cref="AlertWorker"/> evaluates at once.</summary>
    public event Action? RulesChanged;

    /// <summary>The rules, oldest first.</summary>
    public async Task<IReadOnlyList<AlertRule>> RulesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AlertRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Adds (<see cref="AlertRule.Id"/> 0) or updates a rule; refused with the problems when it is not valid.</summary>
    public async Task<IReadOnlyList<string>> SaveRuleAsync(AlertRule rule, string who, CancellationToken cancellationToken = default)
    {
        var problems = AlertConditions.Problems(rule);
        if (problems.Count > 0)
        {
            return problems;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        rule.WebhookUrl = string.IsNullOrWhiteSpace(rule.WebhookUrl) ? null : rule.WebhookUrl.Trim();
        if (rule.Id == 0)
        {
            rule.CreatedAt = clock.GetUtcNow().UtcDateTime;
            rule.CreatedBy = who;
            db.AlertRules.Add(rule);
        }
        else
        {
            db.AlertRules.Update(rule);
            // A changed condition starts over: its open alerts were found under the old one.
            await db.Alerts.Where(a => a.RuleId == rule.Id && a.ClearedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClearedAt, clock.GetUtcNow().UtcDateTime), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        notifier.Notify();
        RulesChanged?.Invoke();
        return [];
    }

    /// <summary>Deletes a rule and its alerts.</summary>
    public async Task DeleteRuleAsync(int ruleId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Alerts.Where(a => a.RuleId == ruleId).ExecuteDeleteAsync(cancellationToken);
        await db.AlertRules.Where(r => r.Id == ruleId).ExecuteDeleteAsync(cancellationToken);
        notifier.Notify();
    }

    /// <summary>
    /// Opens and clears alerts for the view's scores (see the class summary). Reads the open alerts as plain keys and
    /// the health-drop rule's highest recent health from a cache kept while the snapshots stay the same, so an
    /// evaluation that finds nothing new writes nothing and reads little.
    /// </summary>
    public async Task<AlertEvaluation> EvaluateAsync(PortfolioView view, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.AlertRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(cancellationToken);
        var open = await db.Alerts.AsNoTracking().Where(a => a.ClearedAt == null)
            .Select(a => new OpenAlert(a.Id, a.RuleId, a.AccountId)).ToListAsync(cancellationToken);
        if (rules.Count == 0 && open.Count == 0)
        {
            return AlertEvaluation.None;
        }

        var accountIds = await AccountIdsAsync(db, view, cancellationToken);
        var openKeys = open.Select(a => (a.RuleId, a.AccountId)).ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        var opened = new List<(AlertRule, Alert, AccountSummary)>();
        var stillMet = new HashSet<(int, int)>();
        foreach (var rule in rules)
        {
            var highest = rule.Kind == AlertKind.HealthDrop && rule.Days is { } days
                ? await highestHealth.GetAsync(db, view.AsOf.AddDays(-days), cancellationToken)
                : null;
            foreach (var account in view.Accounts)
            {
                if (!accountIds.TryGetValue(account.Id, out var accountId))
                {
                    continue;
                }

                var message = AlertConditions.Check(rule, account, view, highest?.GetValueOrDefault(accountId));
                if (message is null)
                {
                    continue;
                }

                stillMet.Add((rule.Id, accountId));
                if (!openKeys.Contains((rule.Id, accountId)))
                {
                    var alert = new Alert { RuleId = rule.Id, AccountId = accountId, OpenedAt = now, Message = message };
                    db.Alerts.Add(alert);
                    opened.Add((rule, alert, account));
                }
            }
        }

        // Cleared: the condition no longer holds, the account is no longer scored, or the rule was disabled.
        var cleared = open.Where(a => !stillMet.Contains((a.RuleId, a.AccountId))).Select(a => a.Id).ToList();
        if (opened.Count == 0 && cleared.Count == 0)
        {
            return AlertEvaluation.None;
        }

        // One transaction, as one SaveChanges was: the clears and the new alerts land together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (cleared.Count > 0)
            {
                await db.Alerts.Where(a => cleared.Contains(a.Id) && a.ClearedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClearedAt, now), cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        notifier.Notify();
        return new AlertEvaluation(
            [.. opened.Select(o => (o.Item1, Row(o.Item2, o.Item1.Name, o.Item3.Id, o.Item3.Name, o.Item3.Owner)))], cleared.Count);
    }

    /// <summary>
    /// The inbox of <paramref name="audience"/>: open alerts of their accounts, newest first; handled ones
    /// (acknowledged, or snoozed past now) only with <paramref name="includeHandled"/>.
    /// </summary>
    public async Task<IReadOnlyList<AlertRow>> InboxAsync(AlertAudience audience, bool includeHandled, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await QueryAsync(q => q.Where(a => a.ClearedAt == null), cancellationToken);
        return [.. rows.Where(r => audience.Owns(r.Owner) && (includeHandled || r.NeedsAttention(now)))];
    }

    /// <summary>How many alerts need <paramref name="audience"/>'s attention now (the app-bar badge).</summary>
    public async Task<int> CountAsync(AlertAudience audience, CancellationToken cancellationToken = default) =>
        (await InboxAsync(audience, includeHandled: false, cancellationToken)).Count;

    /// <summary>The open alerts of one account (the account page), newest first.</summary>
    public Task<IReadOnlyList<AlertRow>> OpenForAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        QueryAsync(q => q.Where(a => a.ClearedAt == null && a.Account!.ExternalId == accountId), cancellationToken);

    /// <summary>Marks an alert seen by <paramref name="who"/>; it stays open until its condition clears.</summary>
    public Task AcknowledgeAsync(int alertId, string who, CancellationToken cancellationToken = default) =>
        UpdateAsync(alertId, a => (a.AcknowledgedAt, a.AcknowledgedBy) = (clock.GetUtcNow().UtcDateTime, who), cancellationToken);

    /// <summary>Hides an alert from the inbox and the badge until <paramref name="until"/> (null: snooze ends now).</summary>
    public Task SnoozeAsync(int alertId, DateTime? until, CancellationToken cancellationToken = default) =>
        UpdateAsync(alertId, a => a.SnoozedUntil = until, cancellationToken);

    private async Task UpdateAsync(int alertId, Action<Alert> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Alerts.FindAsync([alertId], cancellationToken) is { } alert)
        {
            change(alert);
            await db.SaveChangesAsync(cancellationToken);
            notifier.Notify();
        }
    }

    private async Task<IReadOnlyList<AlertRow>> QueryAsync(Func<IQueryable<Alert>, IQueryable<Alert>> filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await filter(db.Alerts.AsNoTracking())
            .OrderByDescending(a => a.OpenedAt).ThenByDescending(a => a.Id)
            .Select(a => new { Alert = a, RuleName = a.Rule!.Name, a.Account!.ExternalId, AccountName = a.Account.Name, a.Account.Owner })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => Row(r.Alert, r.RuleName, r.ExternalId, r.AccountName, r.Owner))];
    }

    private static AlertRow Row(Alert a, string ruleName, string accountId, string accountName, string? owner) =>
        new(a.Id, a.RuleId, ruleName, accountId, accountName, owner, a.Message, a.OpenedAt, a.ClearedAt, a.AcknowledgedAt, a.AcknowledgedBy, a.SnoozedUntil);

    /// <summary>
    /// The store id of every account by its id, kept between evaluations: accounts are added (by imports) but never
    /// deleted nor given another id, so the map is read again only when the view holds an account it does not know.
    /// </summary>
    private async Task<Dictionary<string, int>> AccountIdsAsync(HealthDbContext db, PortfolioView view, CancellationToken cancellationToken)
    {
        var known = knownAccountIds;
        if (known is null || view.Accounts.Any(a => !known.ContainsKey(a.Id)))
        {
            known = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.ExternalId })
                .ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, cancellationToken);
            knownAccountIds = known;
        }

        return known;
    }

    /// <summary>An open alert as the evaluation needs it: which rule, which account (database id).</summary>
    private sealed record OpenAlert(int Id, int RuleId, int AccountId);
}
