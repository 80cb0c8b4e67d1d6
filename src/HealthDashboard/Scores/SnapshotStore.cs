using System.Globalization;
using System.Threading.Channels;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Scores;

/// <summary>
/// The daily score snapshots of SCORING.md "History and trend": one row per scored account per day (as of 00:00
/// UTC) with its health, grade, band, every indicator's score and raw value (custom indicators with the metric value
/// and time they read: <see cref="SnapshotCustomScores"/>), the MRR shown and the model version.
/// Each day is stamped with the store version (newest import batch and model version) it was scored at; a day
/// whose stamp differs from the store's is stale. The <see cref="SnapshotWorker"/> back-fills missing and stale
/// days in the background (<see cref="RequestBackfill"/>); <see cref="HistoryAsync"/> scores a day that is not
/// back-filled yet from the data, so a reader never waits for the back-fill nor sees stale numbers.
/// </summary>
public sealed class SnapshotStore(IDbContextFactory<HealthDbContext> dbFactory, PortfolioLoader loader, IConfiguration configuration)
{
    /// <summary>Configuration key of the days of history kept (default <see cref="DefaultHistoryDays"/>).</summary>
    public const string HistoryDaysKey = "History:Days";

    /// <summary>Days of history kept unless configured.</summary>
    public const int DefaultHistoryDays = 365;

    /// <summary>
    /// Snapshot days scored from one load of the usage. Scoring a day scans the loaded usage up to it, so a longer
    /// span costs scan time and memory, a shorter one more loads.
    /// </summary>
    private const int DaysPerLoad = 28;

    /// <summary>
    /// Snapshot days scored, then written in one transaction (a divisor of <see cref="DaysPerLoad"/>). More days to a
    /// transaction write the (account, day) index fewer times but hold SQLite's one write lock longer and keep more
    /// scored days in memory.
    /// </summary>
    private const int DaysPerWrite = 7;

    /// <summary>Least pause after a transaction of days, in milliseconds (see <see cref="BackfillAsync"/>).</summary>
    private const double MinWritePauseMs = 10;

    /// <summary>The pause after a transaction of days as a share of the time it held the write lock.</summary>
    private const double WritePauseShare = 0.25;

    private readonly Channel<bool> requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Days of history kept: <c>History:Days</c>, 1 to 3650, default 365 (the last day included).</summary>
    public int HistoryDays => Math.Clamp(configuration.GetValue(HistoryDaysKey, DefaultHistoryDays), 1, 3650);

    private readonly Lock statusLock = new();

    /// <summary>Where the time of the last completed back-fill run went (the bench reports it); null before one.</summary>
    public BackfillTimes? LastRunTimes { get; private set; }

    /// <summary>Where the back-fill stands.</summary>
    public BackfillStatus Status { get; private set; } = BackfillStatus.Idle;

    /// <summary>Raised as the back-fill progresses (from a background thread).</summary>
    public event Action<BackfillStatus>? StatusChanged;

    /// <summary>Raised as a back-fill run writes days (every few weeks of days and at its end; from a background thread).</summary>
    public event Action? Written;

    /// <summary>The first snapshot day kept when <paramref name="lastDay"/> is the newest.</summary>
    public DateTime FirstDay(DateTime lastDay) => lastDay.Date.AddDays(1 - HistoryDays);

    /// <summary>Asks the <see cref="SnapshotWorker"/> to bring the snapshots up to date (does not wait).</summary>
    public void RequestBackfill() => requests.Writer.TryWrite(true);

    /// <summary>Waits for a <see cref="RequestBackfill"/> or <paramref name="timeout"/>; true when there was a request.</summary>
    public async Task<bool> WaitForRequestAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await requests.Reader.WaitToReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return requests.Reader.TryRead(out _);
    }

    /// <summary>
    /// Scores every day of the kept history up to <paramref name="lastDay"/> that has no snapshot of the current store
    /// version, newest first, and drops days outside the history. Idempotent: a second run finds nothing to do and
    /// writes nothing. Days are written a few at a time (<see cref="DaysPerWrite"/>), each few in a transaction of its
    /// own after a pause, so imports and pages never wait for a whole run. Returns the days written.
    /// </summary>
    public Task<int> BackfillAsync(DateTime lastDay, CancellationToken cancellationToken = default) =>
        BackfillToVersionAsync(lastDay, storeVersion: null, cancellationToken);

    /// <summary>
    /// Like <see cref="BackfillAsync"/>, with the store version the days are brought to:
    /// the one the <see cref="ScoreBoard"/> scored (the <see cref="SnapshotWorker"/>'s), or null for the newest. The board
    /// decides which days an import leaves as they are (<see cref="KeepDaysAsync"/>); a back-fill that read a newer
    /// version than the board's would find those days stale just before the board keeps them, and score them again.
    /// </summary>
    public async Task<int> BackfillToVersionAsync(DateTime lastDay, StoreVersion? storeVersion, CancellationToken cancellationToken = default)
    {
        lastDay = DateTime.SpecifyKind(lastDay.Date, DateTimeKind.Utc);
        var firstDay = FirstDay(lastDay);
        // The version is read before the data (or is older still, the board's): a change made meanwhile leaves these
        // days stamped older, so stale.
        var version = storeVersion ?? await loader.LoadStoreVersionAsync(cancellationToken);
        var models = await loader.LoadModelSetAsync(cancellationToken);
        var current = await CurrentDaysAsync(version, firstDay, lastDay, cancellationToken);
        var todo = Days(firstDay, lastDay).Where(d => !current.Contains(d)).OrderDescending().ToList();

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Looked for first: a DELETE takes the write lock even when it finds nothing, and this runs after every
            // refresh (once a second under steady API ingestion), where each import would have to wait for it.
            var outside = db.Snapshots.Where(s => s.Day < firstDay || s.Day > lastDay);
            if (await outside.AnyAsync(cancellationToken))
            {
                await outside.ExecuteDeleteAsync(cancellationToken);
            }

            var outsideDays = db.SnapshotDays.Where(s => s.Day < firstDay || s.Day > lastDay);
            if (await outsideDays.AnyAsync(cancellationToken))
            {
                await outsideDays.ExecuteDeleteAsync(cancellationToken);
            }
        }

        if (todo.Count == 0)
        {
            if (Status.Error is not null)
            {
                // Up to date after all (a retry, or another process did it): the old failure no longer matters.
                SetStatus(s => s with { Error = null });
            }

            return 0;
        }

        SetStatus(_ => new BackfillStatus(true, 0, todo.Count, Status.FinishedAt, null));
        var times = new BackfillTimes();
        var run = System.Diagnostics.Stopwatch.StartNew();
        Task writing = Task.CompletedTask;
        try
        {
            var (scoredDays, done) = (0, 0);
            await using var writer = await SnapshotWriter.OpenAsync(dbFactory, cancellationToken);
            try
            {
                var pending = new List<ScoredPortfolio>(DaysPerWrite);
                // Day after day: one users x event types scratch for all of them, freed by a collection after the run.
                using var reuse = WindowAggregates.ReuseScratch();
                foreach (var score in ScoreDays(todo, models, cancellationToken))
                {
                    var day = todo[scoredDays];
                    SetStatus(s => s with { Phase = BackfillPhase.Scoring, Day = day });
                    var started = run.Elapsed;
                    pending.Add(await score());
                    times.Scoring += run.Elapsed - started;
                    if (++scoredDays < todo.Count && pending.Count < DaysPerWrite)
                    {
                        continue;
                    }

                    // The days before are written (and their pause kept) while these were scored: one write at a time.
                    started = run.Elapsed;
                    await writing;
                    times.WaitingForWrites += run.Elapsed - started;
                    writing = WriteDaysAsync(pending, scoredDays == todo.Count);
                    pending = new List<ScoredPortfolio>(DaysPerWrite);
                }

                await writing;
            }
            finally
            {
                // A failed or stopped run never leaves a write running on the connection it disposes.
                await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            async Task WriteDaysAsync(List<ScoredPortfolio> days, bool last)
            {
                SetStatus(s => s with { Phase = BackfillPhase.Writing });
                var held = System.Diagnostics.Stopwatch.StartNew();
                // On a thread of its own (SQLite writes synchronously underneath): the next days are scored meanwhile,
                // so on two cores the back-fill takes about the longer of scoring and writing, not their sum.
                await Task.Run(() => writer.WriteAsync(days, version, cancellationToken), cancellationToken);
                held.Stop();
                times.Writing += held.Elapsed;
                done += days.Count;
                SetStatus(s => s with { DaysDone = done });
                if (last)
                {
                    return;
                }

                if (done % DaysPerLoad == 0)
                {
                    // Newest first: a page showing history can draw the recent weeks while the year fills in.
                    Written?.Invoke();
                }

                // SQLite has one writer, and a waiting import polls for the lock: leave it free for a share of the time
                // the days held it, or back-to-back writes starve the import until its busy timeout. The WAL is
                // copied into the file meanwhile (no lock taken), once per load's worth of days.
                var pause = TimeSpan.FromMilliseconds(Math.Max(MinWritePauseMs, held.Elapsed.TotalMilliseconds * WritePauseShare));
                var pausing = Task.Delay(pause, cancellationToken);
                if (done % DaysPerLoad == 0)
                {
                    var checkpoint = System.Diagnostics.Stopwatch.StartNew();
                    writer.Checkpoint();
                    times.Checkpointing += checkpoint.Elapsed;
                }

                var paused = System.Diagnostics.Stopwatch.StartNew();
                await pausing;
                times.Pausing += paused.Elapsed;
            }

            Written?.Invoke();
            LastRunTimes = times with { Total = run.Elapsed };
            SetStatus(s => s with { Running = false, FinishedAt = DateTime.UtcNow, Phase = BackfillPhase.Idle, Day = null });
            return done;
        }
        catch (Exception ex)
        {
            ReportFailure(ex is OperationCanceledException ? "stopped" : ex.Message);
            throw;
        }
    }

    /// <summary>
    /// The snapshot rows of each day from <paramref name="from"/> to <paramref name="to"/> (dates), ordered by day then
    /// account id, of every account or of <paramref name="accountId"/>. A day without a current snapshot is scored
    /// from the data with the newest model, so every row equals what <c>scores --as-of DAY</c> gives.
    /// </summary>
    public async Task<IReadOnlyList<SnapshotRow>> HistoryAsync(DateTime from, DateTime to, string? accountId = null, CancellationToken cancellationToken = default)
    {
        from = DateTime.SpecifyKind(from.Date, DateTimeKind.Utc);
        to = DateTime.SpecifyKind(to.Date, DateTimeKind.Utc);
        var storeVersion = await loader.LoadStoreVersionAsync(cancellationToken);
        var current = await CurrentDaysAsync(storeVersion, from, to, cancellationToken);
        var stored = await StoredAsync(from, to, accountId, current, cancellationToken);

        var missing = Days(from, to).Where(d => !current.Contains(d)).ToList();
        if (missing.Count > 0)
        {
            var models = await loader.LoadModelSetAsync(cancellationToken);
            foreach (var score in ScoreDays(missing, models, cancellationToken))
            {
                var scored = await score();
                for (var a = 0; a < scored.Aggregates.Accounts.Length; a++)
                {
                    if (accountId is null || scored.Data.Accounts[scored.Aggregates.Accounts[a]].Id == accountId)
                    {
                        stored.Add(SnapshotRow.From(scored, a));
                    }
                }
            }
        }

        stored.Sort((x, y) => x.Day != y.Day ? x.Day.CompareTo(y.Day) : string.CompareOrdinal(x.AccountId, y.AccountId));
        return stored;
    }

    /// <summary>
    /// Scores up to <paramref name="sampleDays"/> of the stored days that are current (stamped with the store's version:
    /// stale days are expected to differ until the back-fill reaches them) from the data, newest, oldest and evenly
    /// between, and returns every account whose stored row differs (health, grade, band, model version, a custom
    /// indicator's score, or missing on one side), with the days checked. <c>verify</c> runs it; scoring a day costs a load, so all days would be slow.
    /// </summary>
    public async Task<(IReadOnlyList<DateTime> Checked, IReadOnlyList<string> Differences)> CheckSampleAsync(int sampleDays, CancellationToken cancellationToken = default)
    {
        var storeVersion = await loader.LoadStoreVersionAsync(cancellationToken);
        var current = (await CurrentDaysAsync(storeVersion, DateTime.MinValue, DateTime.MaxValue, cancellationToken)).Order().ToList();
        var sample = current.Count <= sampleDays
            ? current
            : [.. Enumerable.Range(0, sampleDays).Select(i => current[(int)Math.Round(i * (current.Count - 1) / (double)(sampleDays - 1))]).Distinct()];
        var differences = new List<string>();
        if (sample.Count == 0)
        {
            return (sample, differences);
        }

        var models = await loader.LoadModelSetAsync(cancellationToken);
        foreach (var score in ScoreDays(sample, models, cancellationToken))
        {
            var scored = await score();
            var stored = (await StoredAsync(scored.AsOf, scored.AsOf, null, null, cancellationToken)).ToDictionary(r => r.AccountId, StringComparer.Ordinal);
            for (var a = 0; a < scored.Aggregates.Accounts.Length; a++)
            {
                var expected = SnapshotRow.From(scored, a);
                if (!stored.Remove(expected.AccountId, out var row))
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{scored.AsOf:yyyy-MM-dd} {expected.AccountId}: no stored snapshot; from the data H {expected.Health:0.##}"));
                }
                else if (row.Health != expected.Health || row.Grade != expected.Grade || row.Band != expected.Band || row.ModelVersion != expected.ModelVersion)
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{scored.AsOf:yyyy-MM-dd} {expected.AccountId}: stored H {row.Health:0.##} {row.Grade} v{row.ModelVersion}; ")
                        + string.Create(CultureInfo.InvariantCulture, $"from the data H {expected.Health:0.##} {expected.Grade} v{expected.ModelVersion}"));
                }
                else if (expected.Custom.FirstOrDefault(c => row.CustomValue(c.Key) != c.Value.Value) is { Key: { } key } custom)
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{scored.AsOf:yyyy-MM-dd} {expected.AccountId}: custom indicator {key} stored {Shown(row.CustomValue(key))}; from the data {Shown(custom.Value.Value)}"));
                }
            }

            differences.AddRange(stored.Keys.Order(StringComparer.Ordinal).Select(id => string.Create(CultureInfo.InvariantCulture, $"{scored.AsOf:yyyy-MM-dd} {id}: stored, but not scored from the data")));
        }

        return (sample, differences);
    }

    /// <summary>
    /// One account's stored snapshots from <paramref name="from"/> on, oldest first, whatever their stamp: the account
    /// page's chart shows what is there and never scores (a day the back-fill has not reached yet is simply absent).
    /// </summary>
    public async Task<IReadOnlyList<SnapshotRow>> StoredHistoryAsync(string accountId, DateTime from, CancellationToken cancellationToken = default)
    {
        var rows = await StoredAsync(DateTime.SpecifyKind(from.Date, DateTimeKind.Utc), DateTime.MaxValue.Date, accountId, null, cancellationToken);
        rows.Sort((x, y) => x.Day.CompareTo(y.Day));
        return rows;
    }

    /// <summary>
    /// After an import that changed nothing a snapshot before <paramref name="unchangedBefore"/> reads (only usage rows
    /// from then on, under the same models), the days stamped <paramref name="previous"/> before it keep their rows
    /// and take <paramref name="current"/>, so the back-fill re-scores only the days the import touched. A busy
    /// database skips it: those days are then simply re-scored.
    /// </summary>
    public async Task KeepDaysAsync(StoreVersion previous, StoreVersion current, DateTime unchangedBefore, CancellationToken cancellationToken = default)
    {
        if (previous.ModelVersion != current.ModelVersion || previous == current)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.SnapshotDays
                .Where(d => d.ImportBatch == previous.ImportBatch && d.ModelVersion == previous.ModelVersion && d.Day < unchangedBefore)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.ImportBatch, current.ImportBatch), cancellationToken);
        }
        catch (Exception ex) when (DatabaseBusy.Is(ex))
        {
            // Nothing lost: the back-fill finds those days stale and scores them again.
        }
    }

    /// <summary>The newest day that has a stored snapshot (current or stale), null when none.</summary>
    public async Task<DateTime?> NewestDayAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var days = await db.SnapshotDays.AsNoTracking().OrderByDescending(d => d.Day).Select(d => d.Day).Take(1).ToListAsync(cancellationToken);
        return days.Count == 0 ? null : DateTime.SpecifyKind(days[0], DateTimeKind.Utc);
    }

    /// <summary>The stored rows of one snapshot day by account id, whatever their stamp.</summary>
    public async Task<IReadOnlyDictionary<string, SnapshotRow>> StoredDayAsync(DateTime day, CancellationToken cancellationToken = default) =>
        (await StoredAsync(day, day, null, null, cancellationToken)).ToDictionary(r => r.AccountId, StringComparer.Ordinal);

    /// <summary>When each model version was saved, oldest first (the account chart marks those days).</summary>
    public async Task<IReadOnlyList<(int Version, DateTime SavedAt)>> ModelSavesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ModelVersions.AsNoTracking().OrderBy(v => v.Id).Select(v => new { v.Id, v.SavedAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.SavedAt))];
    }

    /// <summary>Average health and band counts per snapshot day, oldest first.</summary>
    public async Task<IReadOnlyList<PortfolioDay>> PortfolioHistoryAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SnapshotDays.AsNoTracking().OrderBy(d => d.Day)
            .Select(d => new PortfolioDay(d.Day, d.AverageHealth, d.Green, d.Yellow, d.Red))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Daily health of every account since <paramref name="from"/>, oldest first, by account id.</summary>
    /// <remarks>
    /// Read in the snapshots' key order (day, then account: a range of the key, no sort), only the account's
    /// database id and the health, and appended to each account's list as they come, so each list is oldest first
    /// without grouping or sorting in memory; the ids become account ids through one read of the accounts. Joining the
    /// accounts in SQL and grouping the rows in memory made a string, a day and an object per row: at 10,000 accounts
    /// (300,000 rows) 1.2 to 2.5 s of every full refresh and of the start-up (bench part 18), where the engine reads
    /// the rows in 0.2 s.
    /// </remarks>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<double>>> SparklinesAsync(DateTime from, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var externalIds = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.ExternalId }).ToDictionaryAsync(a => a.Id, a => a.ExternalId, cancellationToken);
        var byAccount = new Dictionary<int, List<double>>(externalIds.Count);
        await foreach (var row in db.Snapshots.AsNoTracking().Where(s => s.Day >= from).OrderBy(s => s.Day).ThenBy(s => s.AccountId)
            .Select(s => new { s.AccountId, s.Health }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!byAccount.TryGetValue(row.AccountId, out var healths))
            {
                healths = new List<double>(32);
                byAccount.Add(row.AccountId, healths);
            }

            healths.Add(row.Health);
        }

        var sparklines = new Dictionary<string, IReadOnlyList<double>>(byAccount.Count, StringComparer.Ordinal);
        foreach (var (accountId, healths) in byAccount)
        {
            // Rows of a removed account (no longer in Accounts) are left out, as the join left them out.
            if (externalIds.TryGetValue(accountId, out var externalId))
            {
                sparklines.Add(externalId, healths.ToArray());
            }
        }

        return sparklines;
    }

    /// <summary>One account's daily health, oldest first.</summary>
    public async Task<IReadOnlyList<(DateTime Day, double Health)>> AccountHistoryAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await StoreIdAsync(db, accountId, cancellationToken) is not { } id)
        {
            return [];
        }

        var rows = await db.SnapshotsOf(id).OrderBy(s => s.Day).Select(s => new { s.Day, s.Health }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Day, r.Health)).ToList();
    }

    /// <summary>
    /// Scores <paramref name="days"/> (each a midnight) in order, loading the usage once per run of up to
    /// <see cref="DaysPerLoad"/> neighbouring days: one scoring per day, each run (load included) when it is called,
    /// in order, each awaited before the next is taken.
    /// </summary>
    private IEnumerable<Func<Task<ScoredPortfolio>>> ScoreDays(List<DateTime> days, ScoringModelSet models, CancellationToken cancellationToken)
    {
        PortfolioData? data = null;
        DateTime spanFirst = default, loadedTo = default;
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            if (data is null || day < spanFirst || day > loadedTo)
            {
                // The span of this day and its neighbours in the list (which runs either way in time).
                var span = days.Skip(i).Take(DaysPerLoad).TakeWhile(d => Math.Abs((d - day).TotalDays) < DaysPerLoad).ToList();
                (spanFirst, loadedTo) = (span.Min(), span.Max());
                var (loadFrom, loadTo) = (spanFirst.AddDays(-models.MaxWindowDays), loadedTo);
                data = null;
                yield return async () =>
                {
                    // Midnights only: the daily roll-up is exact at every one of them.
                    data = await loader.LoadAsync(loadFrom, loadTo, cancellationToken);
                    return ScoringService.Score(data, day, models);
                };
                continue;
            }

            var loaded = data;
            yield return () => Task.FromResult(ScoringService.Score(loaded, day, models));
        }
    }

    /// <summary>Days from <paramref name="from"/> to <paramref name="to"/> whose snapshot is of <paramref name="version"/>.</summary>
    private async Task<HashSet<DateTime>> CurrentDaysAsync(StoreVersion version, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var days = await db.SnapshotDays
            .Where(d => d.Day >= from && d.Day <= to && d.ImportBatch == version.ImportBatch && d.ModelVersion == version.ModelVersion)
            .Select(d => d.Day)
            .ToListAsync(cancellationToken);
        return [.. days];
    }

    private async Task<List<SnapshotRow>> StoredAsync(DateTime from, DateTime to, string? accountId, HashSet<DateTime>? onlyDays, CancellationToken cancellationToken)
    {
        if (onlyDays is { Count: 0 })
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        List<SnapshotRow> rows;
        if (accountId is null)
        {
            var all = await db.Snapshots.AsNoTracking()
                .Where(s => s.Day >= from && s.Day <= to)
                .Join(db.Accounts, s => s.AccountId, a => a.Id, (s, a) => new { Snapshot = s, a.ExternalId })
                .ToListAsync(cancellationToken);
            rows = [.. all.Select(r => SnapshotRow.From(r.Snapshot, r.ExternalId))];
        }
        else
        {
            // One account: its id first, then its days through the (day, account) key (HealthDbContext.SnapshotsOf).
            if (await StoreIdAsync(db, accountId, cancellationToken) is not { } id)
            {
                return [];
            }

            var own = await db.SnapshotsOf(id, from, to).AsNoTracking().ToListAsync(cancellationToken);
            rows = [.. own.Select(s => SnapshotRow.From(s, accountId))];
        }

        return onlyDays is null ? rows : [.. rows.Where(r => onlyDays.Contains(r.Day))];
    }

    /// <summary>The store id of the account with external id <paramref name="accountId"/>, null when there is none.</summary>
    private static async Task<int?> StoreIdAsync(HealthDbContext db, string accountId, CancellationToken cancellationToken)
    {
        var ids = await db.Accounts.AsNoTracking().Where(a => a.ExternalId == accountId).Select(a => a.Id).Take(1).ToListAsync(cancellationToken);
        return ids.Count == 0 ? null : ids[0];
    }

    private static string Shown(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "missing";

    private static IEnumerable<DateTime> Days(DateTime from, DateTime to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>Records that a run failed (it stops; the worker retries), for the admins' status.</summary>
    public void ReportFailure(string error) =>
        SetStatus(s => s with { Running = false, FinishedAt = DateTime.UtcNow, Error = error, Phase = BackfillPhase.Idle, Day = null });

    /// <summary>Changes the status (the scoring and the writing of a run both report, from two threads) and tells the listeners.</summary>
    private void SetStatus(Func<BackfillStatus, BackfillStatus> change)
    {
        BackfillStatus status;
        lock (statusLock)
        {
            status = Status = change(Status);
        }

        StatusChanged?.Invoke(status);
    }
}
