using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Scores;

/// <summary>The outcome of setting or ending an override: done (with a line for a person) or refused and why.</summary>
public sealed record OverrideResult(bool Succeeded, string Message)
{
    internal static OverrideResult Refused(string message) => new(false, message);
}

/// <summary>
/// CS managers' overrides of an account's health (SCORING.md "Overrides"): set with a value 1-100, a required reason
/// and an expiry at most 90 days after the start, or ended early. Who may: an admin any account, a CS manager the
/// accounts they own, a product manager never (<see cref="SignedInMember.MayOverride"/>, checked here on the
/// server). Every change goes to the audit trail in the same save and asks the score board to re-score.
/// </summary>
/// <remarks>
/// Setting an override on an account with one active at its start ends that one there, so one override is
/// active at a time. "Now" (the default start, the time an override is ended) is the as-of clock's now, so a
/// dashboard pinned to a demo date shows what it was just told.
/// </remarks>
public sealed class OverrideStore(IDbContextFactory<HealthDbContext> dbFactory, AsOfClock asOfClock, TimeProvider clock, RescoreTrigger rescore)
{
    /// <summary>Longest reason accepted.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Sets an override on the account with external id <paramref name="accountId"/>; nothing is saved when refused.</summary>
    public async Task<OverrideResult> SetAsync(string accountId, double value, string? reason, DateTime until, DateTime? from, SignedInMember who, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(who);
        var start = from is { } f ? AsOfClock.Truncate(f) : asOfClock.Now();
        until = AsOfClock.Truncate(until);
        var text = reason?.Trim() ?? "";
        var problems = new List<string>();
        if (!double.IsFinite(value) || value < 1 || value > 100)
        {
            problems.Add($"The value must be between 1 and 100 (got {value:0.##}).");
        }

        if (text.Length == 0)
        {
            problems.Add("Give a reason: what does the data not show?");
        }
        else if (text.Length > MaxReasonLength)
        {
            problems.Add($"Keep the reason under {MaxReasonLength} characters (it has {text.Length}).");
        }

        if (until <= start)
        {
            problems.Add($"The end ({until:yyyy-MM-dd HH:mm} UTC) must be after the start ({start:yyyy-MM-dd HH:mm} UTC).");
        }
        else if (until > start.AddDays(OverrideInfo.MaxDays))
        {
            problems.Add($"An override lasts at most {OverrideInfo.MaxDays} days: end it by {start.AddDays(OverrideInfo.MaxDays):yyyy-MM-dd HH:mm} UTC.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (account, refusal) = await FindOverridableAsync(db, accountId, who, "override only the accounts you own", "override its health", cancellationToken);
        if (account is null)
        {
            return refusal!;
        }

        if (problems.Count > 0)
        {
            return OverrideResult.Refused(string.Join(" ", problems));
        }

        var previous = await ActiveAt(db, account.Id, start).ToListAsync(cancellationToken);
        var setBy = who.Actor.Name;
        foreach (var old in previous)
        {
            old.EndedAt = start;
            old.EndedBy = setBy;
        }

        var row = new AccountOverride
        {
            AccountId = account.Id,
            Value = value,
            Reason = text,
            From = start,
            Until = until,
            SetBy = setBy,
            SetAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Overrides.Add(row);
        db.Audit.Add(AuditLog.NewEntry(who.Actor, AuditActions.OverrideSet, $"account {account.ExternalId}",
            $"health {value:0.##} from {start:yyyy-MM-dd HH:mm} until {until:yyyy-MM-dd HH:mm} UTC: {text}", row.SetAt));
        await db.SaveChangesAsync(cancellationToken);
        rescore.Request();
        return new(true, $"{account.Name}: health overridden to {value:0.##} from {start:yyyy-MM-dd HH:mm} until {until:yyyy-MM-dd HH:mm} UTC.");
    }

    /// <summary>Ends the account's override active now (it stops counting from this moment).</summary>
    public async Task<OverrideResult> EndAsync(string accountId, SignedInMember who, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(who);
        var now = asOfClock.Now();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (account, refusal) = await FindOverridableAsync(db, accountId, who, "end overrides only on the accounts you own", "end its override", cancellationToken);
        if (account is null)
        {
            return refusal!;
        }

        var active = await ActiveAt(db, account.Id, now).ToListAsync(cancellationToken);
        if (active.Count == 0)
        {
            return OverrideResult.Refused($"{account.Name} has no active override.");
        }

        foreach (var o in active)
        {
            o.EndedAt = now;
            o.EndedBy = who.Actor.Name;
        }

        db.Audit.Add(AuditLog.NewEntry(who.Actor, AuditActions.OverrideEnd, $"account {account.ExternalId}", $"ended early at {now:yyyy-MM-dd HH:mm} UTC", clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(cancellationToken);
        rescore.Request();
        return new(true, $"{account.Name}: override ended; the model's score counts again.");
    }

    /// <summary>The account, or why <paramref name="who"/> may not change its override (set and end share the rule).</summary>
    private static async Task<(Account? Account, OverrideResult? Refusal)> FindOverridableAsync(HealthDbContext db, string accountId, SignedInMember who,
        string csManagerMay, string othersMayNot, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.ExternalId == accountId, cancellationToken);
        if (account is null)
        {
            return (null, OverrideResult.Refused($"There is no account '{accountId}'."));
        }

        if (!who.MayOverride(account.Owner))
        {
            return (null, OverrideResult.Refused(who.Owner.IsCsManager
                ? $"You can {csManagerMay}; {account.Name} is owned by {account.Owner ?? "nobody"}."
                : $"Only admins and the account's CS manager can {othersMayNot}."));
        }

        return (account, null);
    }

    /// <summary>The account's overrides in force at <paramref name="time"/> (normally at most one).</summary>
    private static IQueryable<AccountOverride> ActiveAt(HealthDbContext db, int accountId, DateTime time) =>
        db.Overrides.Where(o => o.AccountId == accountId && o.From <= time && o.Until > time && (o.EndedAt == null || o.EndedAt > time));
}
