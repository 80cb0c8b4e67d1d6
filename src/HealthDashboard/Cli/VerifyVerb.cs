using System.Globalization;
using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>verify</c>: see DATA.md. Recomputes the daily usage roll-up (<see cref="UsageRollup"/>) from the raw usage
/// rows and reports every group where the stored roll-up differs; then scores a sample of the current daily
/// snapshot days from the data and reports every account whose stored snapshot differs. Exit 1 when anything
/// differs, else 0.
/// </summary>
internal static class VerifyVerb
{
    /// <summary>Differences listed one a line; beyond that only their number (a broken store may have millions).</summary>
    private const int MaxListed = 20;

    /// <summary>Snapshot days scored again: each costs a load of its window, so a sample (newest, oldest, between).</summary>
    private const int SnapshotSampleDays = 3;

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
            return await VerifySnapshotsAsync(services, output);
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
        // Snapshots scored from roll-ups that disagree would disagree too: checked once the roll-ups are right.
        return 1;
    }

    private static async Task<int> VerifySnapshotsAsync(IServiceProvider services, TextWriter output)
    {
        var (days, differences) = await services.GetRequiredService<Scores.SnapshotStore>().CheckSampleAsync(SnapshotSampleDays);
        var checkedDays = string.Join(", ", days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (differences.Count == 0)
        {
            await output.WriteLineAsync(days.Count == 0
                ? "verify: no current daily snapshots to check."
                : $"verify: the daily snapshots of {checkedDays} equal scoring from the data.");
            return 0;
        }

        foreach (var difference in differences.Take(MaxListed))
        {
            await output.WriteLineAsync(difference);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"verify: {differences.Count:N0} stored snapshot {(differences.Count == 1 ? "row differs" : "rows differ")} from scoring the data on {checkedDays}{(differences.Count > MaxListed ? $" (first {MaxListed} listed)" : "")}."));
        return 1;
    }
}
