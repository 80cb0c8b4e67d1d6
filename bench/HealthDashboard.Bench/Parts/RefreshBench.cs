using System.Globalization;
using System.Text;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 10 (issue 11): the score board's refresh after importing one day of events into part 2's store, against
/// a full reload. On a copy of part 2's SQLite file, with the as-of time pinned to 10:00 the day after its window:
/// the board's first refresh (loads the span from the daily roll-up, scores now and a month ago, writes all 91
/// daily snapshots), a fresh board's full reload without history, then an import of 100,000 usage rows (count 1)
/// between 01:00 and 10:00 of that day through the importer (rows/s), and the board's refresh after it (adds
/// only the rows imported since, re-scores from memory, re-scores no snapshot: none is after the new rows).
/// A fresh board's full load after the import must give identical scores (checked, not timed).
/// </summary>
/// <remarks>
/// Before the measured import, a warm-up: 10,000 rows of the same day's first hour imported and refreshed, as a
/// running app has refreshed after imports before. Without it the measured refresh would be the process's first
/// incremental one, its per-row code still in the JIT's unoptimised first tier, against a full reload whose code
/// runs for the third time (both figures are printed; the ratio is of the warm refresh to the warm reload).
/// </remarks>
public sealed class RefreshBench : BenchPart
{
    private const int ImportRows = 100_000;

    public override int Number => 10;

    public override string Title => "refresh after a one-day import";

    public override Task PrepareAsync(Scale scale, TextWriter log) => SqliteDatabase.EnsureAsync(scale.Portfolio, log);

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var rows = scale.Quick ? ImportRows / 20 : ImportRows;
        var file = Path.Combine(CacheFolder.Path, $"refresh-{Environment.ProcessId}.db");
        var folder = Path.Combine(CacheFolder.Path, $"refresh-{Environment.ProcessId}");
        SqliteDatabase.DeleteWithSidecars(file);
        File.Copy(SqliteDatabase.PathFor(scale.Portfolio), file);
        try
        {
            using var app = await AppHost.OpenAsync(file, PinnedClock);
            return await MeasureAsync(app, folder, rows, Number, "", log);
        }
        finally
        {
            SqliteDatabase.DeleteWithSidecars(file);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The as-of time the refresh is measured at: 10:00 the day after the portfolio's window.</summary>
    public static Dictionary<string, string?> PinnedClock { get; } = new()
    {
        [AsOfClock.PinKey] = PortfolioSpec.AsOf.AddHours(10).ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The measurement on <paramref name="app"/>'s store (a copy of the portfolio, opened with <see cref="PinnedClock"/>):
    /// first refresh, full reload, an import of <paramref name="rows"/> rows written to <paramref name="folder"/>, the
    /// refresh after it (checked against a fresh full load), logged to <paramref name="log"/>. Figures of part <paramref name="part"/>, names prefixed by <paramref name="prefix"/>.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAsync(AppHost app, string folder, int rows, int part, string prefix, TextWriter log)
    {
        var day = PortfolioSpec.AsOf;
        var board = app.Get<ScoreBoard>();

        log.WriteLine("  first refresh (load, score, 91 snapshots)...");
        var (_, first) = await Timing.OnceAsync(() => board.RefreshAsync(rescoreHistory: true));
        var (_, reload) = await Timing.OnceAsync(() => ActivatorUtilities.CreateInstance<ScoreBoard>(app.Services).RefreshAsync(rescoreHistory: false));

        // The warm-up: a smaller import of the day's first hour and the refresh after it (see the remarks).
        var warmUpFolder = folder + "-warm-up";
        await WriteDayAsync(app, warmUpFolder, day, rows / 10, fromSecond: 1, toSecond: 3600);
        var warmUp = await app.Get<FolderImporter>().ImportFolderAsync(warmUpFolder, "bench", null);
        Directory.Delete(warmUpFolder, recursive: true);
        if (!warmUp.Succeeded)
        {
            throw new InvalidOperationException($"The warm-up import was refused: {string.Join("; ", warmUp.Problems.Take(3))}");
        }

        var (_, firstIncremental) = await Timing.OnceAsync(() => board.RefreshAsync(rescoreHistory: true));
        var firstWasIncremental = board.LastRefresh!.Incremental;
        // Long enough for the tiered JIT's background compiles of what the warm-up ran hot.
        await Task.Delay(TimeSpan.FromSeconds(1));

        await WriteDayAsync(app, folder, day, rows, fromSecond: 3600, toSecond: 10 * 3600);
        log.WriteLine($"  importing {rows:N0} usage rows...");
        var (imported, importMilliseconds) = await Timing.OnceAsync(() => app.Get<FolderImporter>().ImportFolderAsync(folder, "bench", null));
        if (!imported.Succeeded)
        {
            throw new InvalidOperationException($"The day's import was refused: {string.Join("; ", imported.Problems.Take(3))}");
        }

        log.WriteLine($"  imported in {importMilliseconds:N0} ms: {string.Join(", ", imported.Stages.Select(s => $"{s.Name} {s.Elapsed.TotalMilliseconds:N0} ms"))}");

        await PeakMemory.CollectAsync(returnMemory: false);
        var (updated, refresh) = await Timing.OnceAsync(() => board.RefreshAsync(rescoreHistory: true));
        if (!board.LastRefresh!.Incremental || !firstWasIncremental)
        {
            throw new InvalidOperationException("A refresh after an import loaded the store again instead of updating.");
        }

        var (fresh, reloadAfter) = await Timing.OnceAsync(() => ActivatorUtilities.CreateInstance<ScoreBoard>(app.Services).RefreshAsync(rescoreHistory: false));
        if (!fresh.Scored.Scores.Health.SequenceEqual(updated.Scored.Scores.Health) || !fresh.Scored.Scores.Raw.SequenceEqual(updated.Scored.Scores.Raw))
        {
            throw new InvalidOperationException("The updated scores differ from a full load's.");
        }

        log.WriteLine("  the updated scores equal a full load's.");
        return
        [
            new(part, prefix + "Score board first refresh (load from roll-ups, score, 91 snapshots)", first, "ms"),
            new(part, prefix + "Full reload (fresh board, snapshots kept) before the import", reload, "ms"),
            new(part, prefix + $"Refresh after the warm-up import of {rows / 10:N0} rows (the process's first incremental refresh)", firstIncremental, "ms"),
            new(part, prefix + $"Import of one day, {rows:N0} usage rows", rows / (importMilliseconds / 1000), "rows/s", Target.Over(300_000)),
            new(part, prefix + "Refresh after the import (in-memory update, re-score)", refresh, "ms", Target.Under(1000)),
            new(part, prefix + "  its steps: data (read the small tables and the new rows, merge)", board.LastRefresh.Data.TotalMilliseconds, "ms"),
            new(part, prefix + "  its steps: scoring now and a month ago", board.LastRefresh.Scoring.TotalMilliseconds, "ms"),
            new(part, prefix + "  its steps: snapshots, sparklines and history", board.LastRefresh.History.TotalMilliseconds, "ms"),
            new(part, prefix + "Full reload after the import (fresh board)", reloadAfter, "ms"),
            new(part, prefix + "Ratio refresh after import / full reload", refresh / reloadAfter, "x", Target.Under(0.1)),
        ];
    }

    /// <summary>
    /// A usage.csv of <paramref name="rows"/> raw events (count 1) of the store's users between seconds
    /// <paramref name="fromSecond"/> (at least 1) and <paramref name="toSecond"/> (exclusive) of <paramref name="day"/>.
    /// </summary>
    private static async Task WriteDayAsync(AppHost app, string folder, DateTime day, int rows, int fromSecond, int toSecond)
    {
        await using var db = await app.Get<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync();
        var users = await db.Users.AsNoTracking().Select(u => new { u.ExternalId, Account = db.Accounts.Where(a => a.Id == u.AccountId).Select(a => a.ExternalId).First() }).ToListAsync();
        var eventTypes = await db.EventTypes.AsNoTracking().Select(e => e.Key).ToListAsync();
        var random = new Random(11);
        Directory.CreateDirectory(folder);
        var text = new StringBuilder("account_id,user_id,event_type,timestamp,count\n");
        for (var i = 0; i < rows; i++)
        {
            var user = users[random.Next(users.Count)];
            // After midnight: today's events, which change no daily snapshot (a row exactly at 00:00 would re-score today's).
            var time = day.AddSeconds(random.Next(fromSecond, toSecond));
            text.Append(CultureInfo.InvariantCulture, $"{user.Account},{user.ExternalId},{eventTypes[random.Next(eventTypes.Count)]},{time:yyyy-MM-ddTHH:mm:ssZ},1\n");
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "usage.csv"), text.ToString());
    }
}
