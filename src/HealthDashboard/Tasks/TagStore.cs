using HealthDashboard.Data;
using HealthDashboard.Identity;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tasks;

/// <summary>
/// Tags on accounts (issue 16): short free-text labels shown as chips. Admins tag any account, CS managers the
/// accounts they own, product managers none (checked here, on the server). Adding and removing go to the audit trail.
/// <see cref="Changed"/> is the singleton notifier open pages listen to.
/// </summary>
public sealed class TagStore(IDbContextFactory<HealthDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Longest tag.</summary>
    public const int MaxLength = 40;

    /// <summary>Raised after a tag was added or removed (on the saving thread).</summary>
    public event Action? Changed;

    /// <summary>Whether <paramref name="member"/> may tag an account owned by <paramref name="accountOwner"/>.</summary>
    public static bool MayTag(SignedInMember member, string? accountOwner) => member.MayOverride(accountOwner);

    /// <summary>The account's tags, alphabetical.</summary>
    public async Task<IReadOnlyList<string>> ForAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tags = await db.AccountTags.AsNoTracking().Where(t => t.AccountId == accountId).Select(t => t.Tag).ToListAsync(cancellationToken);
        return [.. tags.Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Tags an account (trimmed; a tag it has already is left as it is); returns why not, or null.</summary>
    public async Task<string?> AddAsync(SignedInMember member, string accountId, string? accountOwner, string? tag, CancellationToken cancellationToken = default)
    {
        tag = tag?.Trim();
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxLength || tag.Any(char.IsControl))
        {
            return $"Tag: 1 to {MaxLength} characters.";
        }

        if (!MayTag(member, accountOwner))
        {
            return "You can only tag the accounts you own.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.AccountTags.Where(t => t.AccountId == accountId).Select(t => t.Tag).ToListAsync(cancellationToken);
        if (existing.Contains(tag, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        db.AccountTags.Add(new AccountTag { AccountId = accountId, Tag = tag, AddedBy = member.Actor.Name, AddedAt = clock.GetUtcNow().UtcDateTime });
        audit.Add(db, member.Actor, AuditActions.TagAdd, accountId, tag);
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    /// <summary>Removes a tag from an account (recorded in the audit trail with who added it); returns why not, or null.</summary>
    public async Task<string?> RemoveAsync(SignedInMember member, string accountId, string? accountOwner, string tag, CancellationToken cancellationToken = default)
    {
        if (!MayTag(member, accountOwner))
        {
            return "You can only untag the accounts you own.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.AccountTags.FirstOrDefaultAsync(t => t.AccountId == accountId && t.Tag == tag, cancellationToken) is not { } row)
        {
            return null;
        }

        db.AccountTags.Remove(row);
        audit.Add(db, member.Actor, AuditActions.TagRemove, accountId, $"{tag} (added by {row.AddedBy} on {row.AddedAt:yyyy-MM-dd})");
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }
}
