using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Alerts;

/// <summary>
/// Each account's highest snapshot health since a day (the health-drop rule's "within D days"), kept between
/// evaluations while the snapshot days it was read from stay the same. A snapshot day is written in one transaction
/// with its <see cref="SnapshotDay"/> stamp, so the stamps of the days since then tell whether any row read could have
/// changed, whichever process wrote it; checking them reads a few dozen rows instead of the snapshots of every account.
/// </summary>
internal sealed class HighestRecentHealth
{
    private const int MaxStarts = 16;

    private readonly Lock gate = new();
    private readonly Dictionary<DateTime, (List<DayStamp> Stamps, Dictionary<int, double> Highest)> cached = [];

    /// <summary>The highest health by account database id since <paramref name="since"/> (accounts without snapshots absent); read only.</summary>
    public async Task<Dictionary<int, double>> GetAsync(HealthDbContext db, DateTime since, CancellationToken cancellationToken)
    {
        // The stamps first: a day written between the two reads leaves newer rows under older stamps, so the next call
        // sees other stamps and reads again; the other order could keep old rows under new stamps.
        var stamps = await db.SnapshotDays.AsNoTracking().Where(d => d.Day >= since).OrderBy(d => d.Day)
            .Select(d => new DayStamp(d.Day, d.ImportBatch, d.ModelVersion, d.ScoredAt))
            .ToListAsync(cancellationToken);
        lock (gate)
        {
            if (cached.TryGetValue(since, out var entry) && entry.Stamps.SequenceEqual(stamps))
            {
                return entry.Highest;
            }
        }

        // Rows of the days since, through the (Day, AccountId) key, grouped here: asked to group, SQLite walks the
        // whole (AccountId, Day) index, every day of the history.
        var highest = new Dictionary<int, double>();
        await foreach (var row in db.Snapshots.AsNoTracking().Where(s => s.Day >= since)
            .Select(s => new { s.AccountId, s.Health }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!highest.TryGetValue(row.AccountId, out var high) || row.Health > high)
            {
                highest[row.AccountId] = row.Health;
            }
        }

        lock (gate)
        {
            // One start per health-drop rule's days; as the as-of time moves on old starts are not asked again.
            if (cached.Count >= MaxStarts)
            {
                cached.Clear();
            }

            cached[since] = (stamps, highest);
        }

        return highest;
    }

    private sealed record DayStamp(DateTime Day, int ImportBatch, int ModelVersion, DateTime ScoredAt);
}
