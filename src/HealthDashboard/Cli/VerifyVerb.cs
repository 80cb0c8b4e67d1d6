using System.Globalization;
using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>verify</c>: see DATA.md. Recomputes the daily usage roll-up (<see cref="UsageRollup"/>) from the raw usage
/// rows and reports every group where the stored roll-up differs; exit 1 when one does, else 0 and one line.
/// </summary>
internal static class VerifyVerb
{
    /// <summary>Differences listed one a line; beyond that only their number (a broken store may have millions).</summary>
    private const int MaxListed = 20;

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<HealthDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var differences = await UsageRollup.FindDifferencesAsync(db.Database.GetDbConnection());
        var usageRows = await db.Usage.LongCountAsync();
        if (differences.Count == 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"verify: roll-ups agree with {usageRows:N0} usage rows."));
            return 0;
        }

        // Names rather than database ids: the person reading this knows the accounts by their ids in the CSVs.
        var accounts = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.ExternalId);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.ExternalId);
        var eventTypes = await db.EventTypes.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.Key);
        static string Name(Dictionary<int, string> names, int id) => names.TryGetValue(id, out var name) ? name : $"#{id} (unknown)";
        static string Sums(long? count, long? last) =>
            count is { } c && last is { } l ? string.Create(CultureInfo.InvariantCulture, $"count {c}, last {new DateTime(l, DateTimeKind.Utc):O}") : "none";

        foreach (var d in differences.Take(MaxListed))
        {
            var who = d.UserId == 0 ? "account-level" : $"user {Name(users, d.UserId)}";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"UsageDaily {d.Date:yyyy-MM-dd}{(d.AtMidnight ? " (rows at 00:00)" : "")}, account {Name(accounts, d.AccountId)}, event type {Name(eventTypes, d.EventTypeId)}, {who}: "
                + $"stored {Sums(d.StoredCount, d.StoredLastTimestamp)}; from the usage rows {Sums(d.ExpectedCount, d.ExpectedLastTimestamp)}"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"verify: {differences.Count:N0} roll-up {(differences.Count == 1 ? "group disagrees" : "groups disagree")} with the {usageRows:N0} usage rows{(differences.Count > MaxListed ? $" (first {MaxListed} listed)" : "")}."));
        return 1;
    }
}
