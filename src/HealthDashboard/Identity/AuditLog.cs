using System.Security.Claims;
using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Identity;

/// <summary>A filter of the audit trail page and its export.</summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, string? Text = null, DateTime? From = null, DateTime? To = null)
{
    /// <summary>Reads <c>action</c>, <c>actor</c>, <c>q</c>, <c>from</c>, <c>to</c> (dates, to inclusive) from a query string.</summary>
    public static AuditFilter FromQuery(IQueryCollection query)
    {
        static DateTime? Date(string? text) => DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : null;
        static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        return new AuditFilter(Text(query["action"]), Text(query["actor"]), Text(query["q"]), Date(query["from"]), Date(query["to"]));
    }
}

/// <summary>
/// The append-only audit trail: every change that moves a score or who may do what (issue 10). Entries are
/// added in the same <see cref="HealthDbContext"/> as the change they record, so both are saved or neither.
/// </summary>
public sealed class AuditLog(IDbContextFactory<HealthDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Most entries one page or export reads.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Adds an entry to <paramref name="db"/>; the caller's SaveChanges writes it with the change.</summary>
    public void Add(HealthDbContext db, Actor actor, string action, string target, string? details) =>
        db.Audit.Add(Entry(actor, action, target, details));

    /// <summary>Writes an entry on its own (for changes saved by another store, such as Identity's).</summary>
    public async Task RecordAsync(Actor actor, string action, string target, string? details, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Audit.Add(Entry(actor, action, target, details));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Entries matching a filter, newest first, at most <see cref="MaxRows"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Audit.AsNoTracking();
        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (filter.Actor is { } actor)
        {
            query = query.Where(e => e.Actor.Contains(actor));
        }

        if (filter.Text is { } text)
        {
            query = query.Where(e => e.Target.Contains(text) || (e.Details != null && e.Details.Contains(text)));
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            var end = to.Date.AddDays(1);
            query = query.Where(e => e.At < end);
        }

        return await query.OrderByDescending(e => e.Id).Take(MaxRows).ToListAsync(cancellationToken);
    }

    /// <summary>The actor of a signed-in principal (a member or an API key) at an origin.</summary>
    public static Actor ActorOf(ClaimsPrincipal user, string? origin) =>
        new(user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown",
            user.FindFirstValue(SignInClaims.Origin) ?? origin ?? "web");

    /// <summary>The actor of an HTTP request (its user and remote address).</summary>
    public static Actor ActorOf(HttpContext context) =>
        ActorOf(context.User, null) with { Origin = context.Connection.RemoteIpAddress?.ToString() ?? "web" };

    /// <summary>A new entry, for stores that add it to their own context and transaction.</summary>
    public static AuditEntry NewEntry(Actor actor, string action, string target, string? details, DateTime at) => new()
    {
        At = at, Actor = actor.Name, Action = action, Target = target, Details = details, Origin = actor.Origin,
    };

    private AuditEntry Entry(Actor actor, string action, string target, string? details) =>
        NewEntry(actor, action, target, details, clock.GetUtcNow().UtcDateTime);
}

/// <summary>Claims the app adds to a signed-in principal.</summary>
public static class SignInClaims
{
    /// <summary>The address the member signed in from (what the audit trail records as "from where").</summary>
    public const string Origin = "hd:origin";

    /// <summary>The member's display name.</summary>
    public const string DisplayName = "hd:display-name";
}
