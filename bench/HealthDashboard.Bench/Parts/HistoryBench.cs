using System.Diagnostics;
using System.Globalization;
using HealthDashboard.Alerts;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 17 (issue 12's "Speed"): history, "what changed" and alerts over a copy of part 2's SQLite file (10,000 accounts),
/// the as-of time pinned to part 2's (00:00 UTC, the snapshot time).
/// </summary>
/// <remarks>
/// (a) <see cref="SnapshotStore.BackfillAsync"/> as the <see cref="SnapshotWorker"/> calls it, from an empty snapshot
/// table to 365 days (the default <c>History:Days</c>), whole and per day, split into writing (timed by the store's own
/// progress events), the pause it leaves an import after each write (part of what the worker spends, so in the
/// total) and the rest, loading and scoring. (b) The account page's chart data for one account over 365 days:
/// <see cref="SnapshotStore.StoredHistoryAsync"/> (what the chart reads) and <see cref="SnapshotStore.HistoryAsync"/>
/// (the API and the <c>history</c> verb). (c) "What changed" between the as-of date and 30 days before it,
/// <see cref="AccountChanges.CompareAsync"/> as the WhatChanged component calls it. (d) <see cref="AlertService.EvaluateAsync"/>
/// (what the <see cref="AlertWorker"/> runs on each new view) with one rule of each kind: the first evaluation after
/// the snapshot (opens the alerts) and the following ones (every condition still holds, nothing to write).
/// Accounts for (b) and (c) rotate through the portfolio so no single account's pages stay cached.
/// </remarks>
public sealed class HistoryBench : BenchPart
{
    private const int FullHistoryDays = SnapshotStore.DefaultHistoryDays;

    /// <summary>Quick runs keep a short history so the back-fill (which pauses after each week of days) takes seconds.</summary>
    private const int QuickHistoryDays = 30;

    public override int Number => 17;

    public override string Title => "history back-fill, chart, what changed, alerts";

    public override Task PrepareAsync(Scale scale, TextWriter log) => SqliteDatabase.EnsureAsync(scale.Portfolio, log);

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var historyDays = scale.Quick ? QuickHistoryDays : FullHistoryDays;
        var file = Path.Combine(CacheFolder.Path, $"history-{Environment.ProcessId}.db");
        SqliteDatabase.DeleteWithSidecars(file);
        File.Copy(SqliteDatabase.PathFor(scale.Portfolio), file);
        try
        {
            var asOf = PortfolioSpec.AsOf;
            using var app = await AppHost.OpenAsync(file, new Dictionary<string, string?>
            {
                [AsOfClock.PinKey] = asOf.ToString("O", CultureInfo.InvariantCulture),
                [SnapshotStore.HistoryDaysKey] = historyDays.ToString(CultureInfo.InvariantCulture),
            });
            await AddCustomIndicatorAsync(app, asOf);
            var view = await app.Get<ScoreBoard>().RefreshAsync(rescoreHistory: false);
            var snapshots = app.Get<SnapshotStore>();
            await using (var db = await app.Get<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync())
            {
                await db.Snapshots.ExecuteDeleteAsync();
                await db.SnapshotDays.ExecuteDeleteAsync();
            }

            log.WriteLine($"  back-filling {historyDays} days for {view.Accounts.Count:N0} accounts...");
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (days, backfill) = await Timing.OnceAsync(() => snapshots.BackfillAsync(asOf.Date));
            var backfillCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
            var phases = snapshots.LastRunTimes!;
            if (days != historyDays)
            {
                throw new InvalidOperationException($"The back-fill wrote {days} days, not {historyDays}.");
            }

            var (again, _) = await Timing.OnceAsync(() => snapshots.BackfillAsync(asOf.Date));
            if (again != 0)
            {
                throw new InvalidOperationException($"A second back-fill wrote {again} days: it is not idempotent.");
            }

            var ids = view.Accounts.Select(a => a.Id).ToArray();
            string AccountOf(int run) => ids[(int)((run * 7919L) % ids.Length)];
            var firstDay = snapshots.FirstDay(asOf.Date);

            log.WriteLine("  chart data (one account, stored history)...");
            var stored = await Timing.MeasureAsync(scale.Warmups, scale.Runs, async run =>
                Check(await snapshots.StoredHistoryAsync(AccountOf(run), firstDay), historyDays, "StoredHistoryAsync"));
            var history = await Timing.MeasureAsync(scale.Warmups, scale.Runs, async run =>
                Check(await snapshots.HistoryAsync(firstDay, asOf.Date, AccountOf(run)), historyDays, "HistoryAsync"));

            log.WriteLine("  what changed (30 days apart)...");
            var changes = app.Get<AccountChanges>();
            var compare = await Timing.MeasureAsync(scale.Warmups, scale.Runs, async run =>
            {
                var (report, problem) = await changes.CompareAsync(view, AccountOf(run), asOf.AddDays(-30), asOf);
                if (report is null && problem is null)
                {
                    throw new InvalidOperationException("CompareAsync returned neither a report nor a reason.");
                }
            });

            log.WriteLine("  alert evaluation...");
            var alerts = app.Get<AlertService>();
            await AddRulesAsync(app);
            var (firstEvaluation, firstAlerts) = await Timing.OnceAsync(() => alerts.EvaluateAsync(view));
            if (firstEvaluation.Opened.Count == 0)
            {
                throw new InvalidOperationException("No rule opened an alert: the evaluation measured nothing.");
            }

            var evaluation = await Timing.MeasureAsync(scale.Warmups, scale.Runs, async _ =>
            {
                var result = await alerts.EvaluateAsync(view);
                if (result.Opened.Count != 0 || result.Cleared != 0)
                {
                    throw new InvalidOperationException("A repeated evaluation opened or cleared alerts (duplicates).");
                }
            });
            log.WriteLine($"  {firstEvaluation.Opened.Count:N0} alerts opened by the first evaluation.");

            return
            [
                new(17, $"Back-fill of {historyDays} daily snapshots, {view.Accounts.Count:N0} accounts (empty to complete)", backfill / 1000, "s", Target.Under(30)),
                new(17, "  per day", backfill / historyDays, "ms"),
                new(17, "  CPU time per day (the bench process's, all threads: what the machine's other load inflates least)", backfillCpu / historyDays, "ms"),
                new(17, "  its steps per day: load and score", phases.Scoring.TotalMilliseconds / historyDays, "ms"),
                new(17, "  its steps per day: write (a week of days to a transaction, beside the scoring of the next)", phases.Writing.TotalMilliseconds / historyDays, "ms"),
                new(17, "  its steps per day: pause left for imports after each write (a quarter of it, >= 10 ms), beyond the checkpoint", phases.Pausing.TotalMilliseconds / historyDays, "ms"),
                new(17, "  its steps per day: WAL checkpoint, every 4 weeks of days, inside the pause (no lock held)", phases.Checkpointing.TotalMilliseconds / historyDays, "ms"),
                new(17, "  its steps per day: scoring waiting for the previous write and pause", phases.WaitingForWrites.TotalMilliseconds / historyDays, "ms"),
                new(17, $"Chart data, one account, {historyDays} days (StoredHistoryAsync), median", stored.Median, "ms", Target.Under(50)),
                new(17, "  p95", stored.P95, "ms", Target.Under(50)),
                new(17, $"History of one account, {historyDays} days (HistoryAsync, API), median", history.Median, "ms", Target.Under(50)),
                new(17, "  p95", history.P95, "ms", Target.Under(50)),
                new(17, "What changed, 30 days apart (AccountChanges.CompareAsync), median", compare.Median, "ms", Target.Under(50)),
                new(17, "  p95", compare.P95, "ms", Target.Under(50)),
                new(17, $"Alert evaluation, 5 rules, first after the snapshot ({firstEvaluation.Opened.Count:N0} opened)", firstAlerts, "ms"),
                new(17, "Alert evaluation, 5 rules, nothing new, median", evaluation.Median, "ms", Target.Under(100)),
                new(17, "  p95", evaluation.P95, "ms", Target.Under(100)),
            ];
        }
        finally
        {
            SqliteDatabase.DeleteWithSidecars(file);
        }
    }

    private static void Check(IReadOnlyList<SnapshotRow> rows, int historyDays, string what)
    {
        // An account not yet a customer on some days has fewer rows; none or more than the days means a wrong read.
        if (rows.Count is 0 || rows.Count > historyDays)
        {
            throw new InvalidOperationException($"{what} gave {rows.Count} rows for {historyDays} days.");
        }
    }

    /// <summary>
    /// The demo model carries custom indicators, so the back-fill is measured with one: a direct-scored
    /// <c>onboarding</c> (weight 10) over a monthly <c>onboarding_progress</c> value for every account in the 13
    /// months up to the as-of time (always within its 90 days), saved as a new model version.
    /// </summary>
    private static async Task AddCustomIndicatorAsync(AppHost app, DateTime asOf)
    {
        await using (var db = await app.Get<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                WITH RECURSIVE "Months"("M") AS (SELECT 0 UNION ALL SELECT "M" + 1 FROM "Months" WHERE "M" < 12)
                INSERT INTO "Metrics" ("AccountId", "Metric", "Time", "Value")
                SELECT a."Id", 'onboarding_progress', strftime('%Y-%m-%d %H:%M:%S', {0}, '-' || (m."M" * 30 + 1) || ' days'), (a."Id" * 37 + m."M" * 11) % 101
                FROM "Accounts" a CROSS JOIN "Months" m
                """,
                [asOf.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)]);
        }

        var store = app.Get<HealthDashboard.ModelVersions.ModelStore>();
        var latest = await store.GetLatestAsync() ?? throw new InvalidOperationException("No saved model.");
        var onboarding = new CustomIndicator { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_progress", Weight = 10 };
        var saved = await store.SaveAsync(latest.Model with { CustomIndicators = [onboarding] }, latest.Info.Version, "bench", "Bench: one custom indicator");
        if (saved.Saved is null)
        {
            throw new InvalidOperationException("The model with a custom indicator was refused: " + string.Join("; ", [saved.Message, .. saved.Problems.Select(p => p.Message)]));
        }

        // Saved "now", after the pinned as-of time: dated a year before it instead, so "what changed" finds it in force
        // at both dates (as the view's own model) rather than scoring the earlier version from the store.
        await using (var db = await app.Get<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync())
        {
            await db.ModelVersions.Where(v => v.Id == saved.Saved.Version).ExecuteUpdateAsync(u => u.SetProperty(v => v.SavedAt, asOf.AddDays(-365)));
        }
    }

    /// <summary>One rule of each kind, thresholds that a share of the synthetic portfolio meets.</summary>
    private static async Task AddRulesAsync(AppHost app)
    {
        await using var db = await app.Get<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync();
        db.AlertRules.AddRange(
            new AlertRule { Name = "Red", Kind = AlertKind.InBand, Band = (byte)Band.Red, CreatedBy = "bench" },
            new AlertRule { Name = "Drop", Kind = AlertKind.HealthDrop, Threshold = 10, Days = 30, CreatedBy = "bench" },
            new AlertRule { Name = "Renewal", Kind = AlertKind.RenewalAtRisk, Days = 90, CreatedBy = "bench" },
            new AlertRule { Name = "Quiet", Kind = AlertKind.NoUsage, Days = 14, CreatedBy = "bench" },
            new AlertRule { Name = "Frequency", Kind = AlertKind.IndicatorBelow, Indicator = (byte)Indicator.Frequency, Threshold = 30, CreatedBy = "bench" });
        await db.SaveChangesAsync();
    }
}
