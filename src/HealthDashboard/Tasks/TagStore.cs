using System.Diagnostics.CodeAnalysis;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
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

    private static readonly string InvalidTag = $"Tag: 1 to {MaxLength} characters.";

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

    /// <summary>Every account's tags (the Accounts grid's chips and its tag filter).</summary>
    public async Task<AccountTagMap> MapAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AccountTags.AsNoTracking().Select(t => new { t.AccountId, t.Tag }).ToListAsync(cancellationToken);
        return new AccountTagMap(rows.Select(r => (r.AccountId, r.Tag)));
    }

    /// <summary>
    /// Tags every account of <paramref name="accountIds"/> (the Accounts grid's bulk action): all or nothing, refused
    /// whole when one of them is not the member's to tag (owners as <paramref name="view"/> has them) or no longer
    /// exists; accounts that have the tag already are left as they are. Each account tagged is one audit entry.
    /// Returns why not, or null.
    /// </summary>
    public async Task<string?> AddToAccountsAsync(SignedInMember member, IReadOnlyCollection<string> accountIds, string? tag, PortfolioView view, CancellationToken cancellationToken = default)
    {
        tag = tag?.Trim();
        if (!IsValid(tag))
        {
            return InvalidTag;
        }

        if (Refused(member, accountIds, view, "tag") is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = accountIds.Distinct(StringComparer.Ordinal).ToList();
        var tagged = (await db.AccountTags.Where(t => ids.Contains(t.AccountId)).Select(t => new { t.AccountId, t.Tag }).ToListAsync(cancellationToken))
            .Where(t => string.Equals(t.Tag, tag, StringComparison.OrdinalIgnoreCase)).Select(t => t.AccountId).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var id in ids.Where(id => !tagged.Contains(id)))
        {
            db.AccountTags.Add(new AccountTag { AccountId = id, Tag = tag, AddedBy = member.Actor.Name, AddedAt = now });
            audit.Add(db, member.Actor, AuditActions.TagAdd, id, tag);
        }

        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    /// <summary>
    /// Removes <paramref name="tag"/> from every account of <paramref name="accountIds"/> that has it, all or nothing as
    /// <see cref="AddToAccountsAsync"/>; each removal is one audit entry with who added the tag. Returns why not, or null.
    /// </summary>
    public async Task<string?> RemoveFromAccountsAsync(SignedInMember member, IReadOnlyCollection<string> accountIds, string? tag, PortfolioView view, CancellationToken cancellationToken = default)
    {
        tag = tag?.Trim();
        if (!IsValid(tag))
        {
            return InvalidTag;
        }

        if (Refused(member, accountIds, view, "untag") is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = accountIds.Distinct(StringComparer.Ordinal).ToList();
        var rows = (await db.AccountTags.Where(t => ids.Contains(t.AccountId)).ToListAsync(cancellationToken))
            .Where(t => string.Equals(t.Tag, tag, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var row in rows)
        {
            db.AccountTags.Remove(row);
            audit.Add(db, member.Actor, AuditActions.TagRemove, row.AccountId, $"{row.Tag} (added by {row.AddedBy} on {row.AddedAt:yyyy-MM-dd})");
        }

        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    private static bool IsValid([NotNullWhen(true)] string? tag) => !string.IsNullOrEmpty(tag) && tag.Length <= MaxLength && !tag.Any(char.IsControl);

    // Why a bulk change is refused whole (an account gone or not the member's), else null.
    private static string? Refused(SignedInMember member, IReadOnlyCollection<string> accountIds, PortfolioView view, string verb)
    {
        if (accountIds.Count == 0)
        {
            return "Select accounts first.";
        }

        var accounts = accountIds.Select(view.FindAccount).ToList();
        if (accounts.Any(a => a is null))
        {
            return "Some of these accounts no longer exist; nothing was changed.";
        }

        var notYours = accounts.Count(a => !MayTag(member, a!.Owner));
        return notYours == 0 ? null
            : $"You can only {verb} the accounts you own: {notYours} of the {accounts.Count} selected are not yours; nothing was changed.";
    }

    /// <summary>Tags an account (trimmed; a tag it has already is left as it is); returns why not, or null.</summary>
    public async Task<string?> AddAsync(SignedInMember member, string accountId, string? accountOwner, string? tag, CancellationToken cancellationToken = default)
    {
        tag = tag?.Trim();
        if (!IsValid(tag))
        {
            return InvalidTag;
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
