using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Queries;

/// <summary>One value of an account metric (<c>metrics.csv</c>).</summary>
public sealed record AccountMetricValue(DateTime Time, double Value);

/// <summary>
/// One metric of an account up to the as-of time: its values oldest first (of two at the same time the one imported
/// last comes last, as SCORING.md reads it), so <see cref="Latest"/> is what a custom indicator reads.
/// </summary>
public sealed record AccountMetric(string Key, IReadOnlyList<AccountMetricValue> Points)
{
    /// <summary>The value a custom indicator reads at the as-of time.</summary>
    public AccountMetricValue Latest => Points[^1];
}

/// <summary>An account's metrics for the account page's Metrics tab (one small read of one account's rows).</summary>
public static class AccountMetrics
{
    /// <summary>Every metric of the account with external id <paramref name="accountId"/>, by key, with its values up to <paramref name="asOf"/>.</summary>
    public static async Task<IReadOnlyList<AccountMetric>> LoadAsync(IDbContextFactory<HealthDbContext> dbFactory, string accountId, DateTime asOf, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Metrics.AsNoTracking()
            .Where(m => m.Time <= asOf)
            .Join(db.Accounts.Where(a => a.ExternalId == accountId), m => m.AccountId, a => a.Id, (m, a) => new { m.Id, m.Metric, m.Time, m.Value })
            .ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.Metric, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AccountMetric(g.Key, [.. g.OrderBy(r => r.Time).ThenBy(r => r.Id).Select(r => new AccountMetricValue(r.Time, r.Value))]))];
    }
}
