using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Queries;

/// <summary>A support ticket as the account page lists it.</summary>
public sealed record TicketRow(string Id, DateTime OpenedAt, DateTime? ClosedAt, string? Priority, bool Escalated, int? Satisfaction);

/// <summary>A survey response as the account page lists it.</summary>
public sealed record SurveyRow(DateTime RespondedAt, string Kind, double Score, string? UserName);

/// <summary>An MRR history entry.</summary>
public sealed record RevenueRow(DateTime Date, double Mrr);

/// <summary>An account's recent tickets, survey responses and MRR history, up to the as-of time.</summary>
public sealed record AccountActivity(IReadOnlyList<TicketRow> Tickets, IReadOnlyList<SurveyRow> Surveys, IReadOnlyList<RevenueRow> Revenue, DateTime? ChurnedAt)
{
    /// <summary>Rows listed per kind.</summary>
    public const int RecentCount = 8;

    /// <summary>Nothing recorded (e.g. an account that is only in memory).</summary>
    public static AccountActivity None { get; } = new([], [], [], null);

    /// <summary>
    /// Small reads for one account: the latest <see cref="RecentCount"/> tickets and survey responses and the
    /// whole MRR history, nothing after <paramref name="asOf"/> (a page scored in the past shows that past).
    /// </summary>
    public static async Task<AccountActivity> LoadAsync(IDbContextFactory<HealthDbContext> dbFactory, string accountId, DateTime asOf, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.ExternalId == accountId)
            .Select(a => new { a.Id, a.ChurnedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return None;
        }

        var tickets = await db.Tickets.AsNoTracking()
            .Where(t => t.AccountId == account.Id && t.OpenedAt <= asOf)
            .OrderByDescending(t => t.OpenedAt).Take(RecentCount)
            .Select(t => new TicketRow(t.ExternalId, t.OpenedAt, t.ClosedAt, t.Priority, t.Escalated, t.Satisfaction))
            .ToListAsync(cancellationToken);
        var surveys = await db.Surveys.AsNoTracking()
            .Where(s => s.AccountId == account.Id && s.RespondedAt <= asOf)
            .OrderByDescending(s => s.RespondedAt).Take(RecentCount)
            .Select(s => new SurveyRow(s.RespondedAt, s.Kind, s.Score, db.Users.Where(u => u.Id == s.UserId).Select(u => u.Name).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        var revenue = await db.Revenue.AsNoTracking()
            .Where(r => r.AccountId == account.Id && r.Date <= asOf)
            .OrderBy(r => r.Date).ThenBy(r => r.Id)
            .Select(r => new RevenueRow(r.Date, r.Mrr))
            .ToListAsync(cancellationToken);
        // A ticket still open at the as-of time shows as open, even if it was closed later.
        tickets = [.. tickets.Select(t => t.ClosedAt > asOf ? t with { ClosedAt = null, Satisfaction = null } : t)];
        return new AccountActivity(tickets, surveys, revenue, account.ChurnedAt);
    }
}
