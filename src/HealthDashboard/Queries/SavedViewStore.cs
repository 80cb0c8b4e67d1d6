using HealthDashboard.Data;
using HealthDashboard.Identity;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Queries;

/// <summary>A saved view as a member sees it: what it opens and what they may do with it.</summary>
/// <param name="Id">The view's id.</param>
/// <param name="Page">The page's route (<c>accounts</c>, <c>users</c>).</param>
/// <param name="Name">Its name.</param>
/// <param name="Query">The page's query string (no <c>?</c>).</param>
/// <param name="OwnerName">Who saved it.</param>
/// <param name="Shared">Seen by the whole team.</param>
/// <param name="Mine">Saved by this member.</param>
/// <param name="CanManage">This member may rename and delete it (its owner, or an admin for a shared view).</param>
/// <param name="IsDefault">This member's default view of the page.</param>
public sealed record SavedViewInfo(int Id, string Page, string Name, string Query, string OwnerName, bool Shared, bool Mine, bool CanManage, bool IsDefault)
{
    /// <summary>The link that opens the view (relative to the app's base).</summary>
    public string Href => Page + (Query.Length > 0 ? "?" + Query : "");
}

/// <summary>
/// Saved Accounts and Users views (issue 16): a name for exactly the query string the page's filter writes.
/// A member sees their own views and every shared one. The rules are checked here, on the server, not only
/// by what the menu offers: only the owner renames or deletes a private view; a shared view also by an admin.
/// Shared views appear in the navigation drawer, which listens to <see cref="Changed"/>.
/// </summary>
public sealed class SavedViewStore(IDbContextFactory<HealthDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Longest name.</summary>
    public const int MaxNameLength = 60;

    /// <summary>Longest stored query (a URL the app wrote is far shorter).</summary>
    public const int MaxQueryLength = 2000;

    /// <summary>The pages whose views can be saved.</summary>
    public static IReadOnlyList<string> Pages { get; } = ["accounts", "users"];

    /// <summary>Raised after any change (on the saving thread): subscribers re-read with InvokeAsync.</summary>
    public event Action? Changed;

    /// <summary>The member's own views of <paramref name="page"/> and every shared one, by name.</summary>
    public async Task<IReadOnlyList<SavedViewInfo>> ListAsync(SignedInMember member, string page, CancellationToken cancellationToken = default)
    {
        var email = EmailOf(member);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var views = await db.SavedViews.AsNoTracking()
            .Where(v => v.Page == page && (v.Shared || v.OwnerEmail == email))
            .ToListAsync(cancellationToken);
        var defaultId = await DefaultIdAsync(db, email, page, cancellationToken);
        return [.. views.OrderBy(v => v.Name, StringComparer.CurrentCultureIgnoreCase).Select(v => Info(v, member, defaultId))];
    }

    /// <summary>Every shared view of every page (the navigation drawer), by page then name.</summary>
    public async Task<IReadOnlyList<SavedViewInfo>> SharedAsync(SignedInMember member, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var views = await db.SavedViews.AsNoTracking().Where(v => v.Shared).ToListAsync(cancellationToken);
        return [.. views.OrderBy(v => v.Page, StringComparer.Ordinal).ThenBy(v => v.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(v => Info(v, member, null))];
    }

    /// <summary>The query of the member's default view of <paramref name="page"/>, or null when they have none.</summary>
    public async Task<string?> DefaultQueryAsync(SignedInMember member, string page, CancellationToken cancellationToken = default)
    {
        var email = EmailOf(member);
        if (email.Length == 0)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SavedViewDefaults.AsNoTracking()
            .Where(d => d.MemberEmail == email && d.Page == page)
            .Select(d => d.SavedView!.Query)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Saves the current view of a page under a name; returns it, or why not (an empty or taken name).</summary>
    public async Task<(SavedViewInfo? View, string? Problem)> SaveAsync(
        SignedInMember member, string page, string? name, string query, bool shared, bool asDefault, CancellationToken cancellationToken = default)
    {
        var email = EmailOf(member);
        if (email.Length == 0)
        {
            return (null, "Sign in to save views.");
        }

        if (!Pages.Contains(page))
        {
            return (null, $"Views of '{page}' cannot be saved.");
        }

        if (NameProblem(name) is { } problem)
        {
            return (null, problem);
        }

        query = query.TrimStart('?');
        if (query.Length > MaxQueryLength)
        {
            return (null, $"This view's filters are too long to save (over {MaxQueryLength} characters).");
        }

        var trimmed = name!.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await NameTakenAsync(db, email, page, trimmed, null, cancellationToken))
        {
            return (null, $"You already have a view named '{trimmed}'.");
        }

        var view = new SavedView
        {
            Page = page, Name = trimmed, Query = query, OwnerEmail = email, OwnerName = member.Name.Length > 0 ? member.Name : email,
            Shared = shared, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.SavedViews.Add(view);
        if (shared)
        {
            audit.Add(db, member.Actor, AuditActions.ViewShare, $"{page}: {trimmed}", query);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (asDefault)
        {
            await SetDefaultAsync(db, email, page, view.Id, cancellationToken);
        }

        Changed?.Invoke();
        return (Info(view, member, asDefault ? view.Id : null), null);
    }

    /// <summary>Renames a view the member may manage; returns why not, or null when done.</summary>
    public async Task<string?> RenameAsync(SignedInMember member, int id, string? name, CancellationToken cancellationToken = default)
    {
        if (NameProblem(name) is { } problem)
        {
            return problem;
        }

        var trimmed = name!.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (ManageProblem(view, member) is { } refused)
        {
            return refused;
        }

        if (await NameTakenAsync(db, view!.OwnerEmail, view.Page, trimmed, id, cancellationToken))
        {
            return $"There is already a view named '{trimmed}'.";
        }

        view.Name = trimmed;
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    /// <summary>Deletes a view the member may manage (recorded in the audit trail when it was shared); returns why not, or null.</summary>
    public async Task<string?> DeleteAsync(SignedInMember member, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (ManageProblem(view, member) is { } refused)
        {
            return refused;
        }

        db.SavedViews.Remove(view!);
        if (view!.Shared)
        {
            audit.Add(db, member.Actor, AuditActions.ViewDelete, $"{view.Page}: {view.Name}", $"shared by {view.OwnerName}; {view.Query}");
        }

        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    /// <summary>Makes a view the member sees their default of its page, or (null) clears their default of <paramref name="page"/>.</summary>
    public async Task<string?> SetDefaultAsync(SignedInMember member, string page, int? id, CancellationToken cancellationToken = default)
    {
        var email = EmailOf(member);
        if (email.Length == 0)
        {
            return "Sign in to choose a default view.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (id is { } viewId && !await db.SavedViews.AnyAsync(v => v.Id == viewId && v.Page == page && (v.Shared || v.OwnerEmail == email), cancellationToken))
        {
            return "That view no longer exists.";
        }

        await SetDefaultAsync(db, email, page, id, cancellationToken);
        Changed?.Invoke();
        return null;
    }

    private static async Task SetDefaultAsync(HealthDbContext db, string email, string page, int? id, CancellationToken cancellationToken)
    {
        await db.SavedViewDefaults.Where(d => d.MemberEmail == email && d.Page == page).ExecuteDeleteAsync(cancellationToken);
        if (id is { } viewId)
        {
            db.SavedViewDefaults.Add(new SavedViewDefault { MemberEmail = email, Page = page, SavedViewId = viewId });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static Task<int?> DefaultIdAsync(HealthDbContext db, string email, string page, CancellationToken cancellationToken) =>
        db.SavedViewDefaults.AsNoTracking().Where(d => d.MemberEmail == email && d.Page == page)
            .Select(d => (int?)d.SavedViewId).FirstOrDefaultAsync(cancellationToken);

    private static async Task<bool> NameTakenAsync(HealthDbContext db, string email, string page, string name, int? except, CancellationToken cancellationToken)
    {
        // SQLite's = is case-sensitive: compare the few names of one owner and page here.
        var names = await db.SavedViews.AsNoTracking().Where(v => v.OwnerEmail == email && v.Page == page && v.Id != except)
            .Select(v => v.Name).ToListAsync(cancellationToken);
        return names.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    private static string? NameProblem(string? name) => string.IsNullOrWhiteSpace(name)
        ? "Give the view a name."
        : name.Trim().Length > MaxNameLength ? $"Keep the name under {MaxNameLength} characters." : null;

    private static string? ManageProblem(SavedView? view, SignedInMember member) =>
        view is null ? "That view no longer exists."
        : CanManage(view, member) ? null
        : view.Shared ? $"Only {view.OwnerName} or an admin can change the shared view '{view.Name}'."
        : "That view no longer exists."; // Someone else's private view: not even its existence is told.

    private static bool CanManage(SavedView view, SignedInMember member)
    {
        var email = EmailOf(member);
        return email.Length > 0 && (view.OwnerEmail == email || (view.Shared && member.IsAdmin));
    }

    private static string EmailOf(SignedInMember member) => member.Owner.Email.Trim().ToLowerInvariant();

    private static SavedViewInfo Info(SavedView view, SignedInMember member, int? defaultId) => new(
        view.Id, view.Page, view.Name, view.Query, view.OwnerName, view.Shared, view.OwnerEmail == EmailOf(member),
        CanManage(view, member), view.Id == defaultId);
}
