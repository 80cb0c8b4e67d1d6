using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tasks;

/// <summary>
/// Gives accounts a new owner (issue 16: the Accounts grid's bulk "assign owner" and the account page). The rule is
/// <see cref="SignedInMember.MayAssignOwner"/>, checked here on the server against the owners in the store; a change
/// is all or nothing and each account whose owner changes is one <see cref="AuditActions.AccountOwner"/> entry
/// (before → after) in the same transaction. The owner is what the grids, exports, "My accounts" and playbook
/// assignees read, so a change asks for a refresh (<see cref="RescoreTrigger"/>); the loader notices it through the
/// newest such audit entry (<see cref="PortfolioLoader"/>'s reference stamp and store version), which is also how
/// another instance finds it. A later accounts.csv import that lists the account sets its owner from the file again.
/// </summary>
public sealed class AccountOwnerStore(IDbContextFactory<HealthDbContext> dbFactory, AuditLog audit, RescoreTrigger rescore)
{
    /// <summary>Longest owner text (a display name or an email).</summary>
    public const int MaxLength = 200;

    /// <summary>What an account without an owner shows.</summary>
    public const string Unassigned = "Unassigned";

    /// <summary>
    /// What a team member is written as in an account's owner column: their display name (what accounts.csv usually
    /// holds; <see cref="Queries.AccountOwner.Owns"/> matches it), else their email. Null for nobody.
    /// </summary>
    public static string? OwnerTextOf(TeamMemberInfo? member) =>
        member is null ? null : string.IsNullOrWhiteSpace(member.DisplayName) ? member.Email : member.DisplayName;

    /// <summary>
    /// Sets the owner of every account of <paramref name="accountIds"/> (external ids) to <paramref name="owner"/>
    /// (trimmed; null or blank: unassigned). Refused whole when one account no longer exists or is not the member's
    /// to give away; accounts that have that owner already are left as they are. Returns why not, or null.
    /// </summary>
    public async Task<string?> AssignAsync(SignedInMember member, IReadOnlyCollection<string> accountIds, string? owner, CancellationToken cancellationToken = default)
    {
        owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim();
        if (owner is not null && (owner.Length > MaxLength || owner.Any(char.IsControl)))
        {
            return $"Owner: at most {MaxLength} characters, on one line.";
        }

        var ids = accountIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return "Select accounts first.";
        }

        if (!member.MayAssignOwners)
        {
            return "Only admins and CS managers can change an account's owner.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Accounts.Where(a => ids.Contains(a.ExternalId)).ToListAsync(cancellationToken);
        if (accounts.Count != ids.Count)
        {
            return ids.Count == 1 ? $"There is no account '{ids[0]}'; nothing was changed." : "Some of these accounts no longer exist; nothing was changed.";
        }

        var notYours = accounts.Count(a => !member.MayAssignOwner(a.Owner));
        if (notYours > 0)
        {
            return ids.Count == 1
                ? $"You can only change the owner of the accounts you own or unassigned ones; {accounts[0].Name} is owned by {accounts[0].Owner}."
                : $"You can only change the owner of the accounts you own or unassigned ones: {notYours} of the {ids.Count} selected are not; nothing was changed.";
        }

        var changed = 0;
        foreach (var account in accounts.Where(a => !string.Equals(a.Owner?.Trim(), owner, StringComparison.Ordinal)))
        {
            audit.Add(db, member.Actor, AuditActions.AccountOwner, account.ExternalId, $"{account.Owner ?? Unassigned} → {owner ?? Unassigned}");
            account.Owner = owner;
            changed++;
        }

        if (changed > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            rescore.Request();
        }

        return null;
    }
}
