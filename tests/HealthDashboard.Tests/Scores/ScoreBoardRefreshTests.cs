using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Scores;

/// <summary>
/// After an import the score board brings its data up to date in memory (only the rows imported since) and
/// scores, with the snapshots it re-scores, exactly what a board loading everything from the store gives.
/// </summary>
public abstract class ScoreBoardRefreshTests(DatabaseProvider engine)
{
    [Fact]
    public async Task Refreshes_after_imports_update_in_memory_and_score_exactly_like_a_fresh_load()
    {
        await using var store = await TestStore.CreateWithAsync(engine, TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        var board = store.Get<ScoreBoard>();
        var loaded = await board.RefreshAsync(rescoreHistory: true);
        Assert.False(board.LastRefresh!.Incremental);

        // Usage only: a day held as roll-up rows (with a midnight and an account-level row), the as-of day on
        // both sides of the as-of time (12:00), and rows exactly on the month-ago trend's window edges.
        await ImportAsync(store, "usage", ("usage.csv", """
            account_id,user_id,event_type,timestamp,count
            ACC-2,U-21,report_created,2026-06-20T08:00:00Z,4
            ACC-2,,login,2026-06-20,2
            ACC-3,U-31,login,2026-06-30T11:59:59Z,1
            ACC-3,U-31,login,2026-06-30T12:00:01Z,7
            ACC-5,U-51,dashboard_shared,2026-05-31T12:00:00Z,3
            ACC-5,U-52,dashboard_shared,2026-05-01T12:00:00Z,3

            """));
        var updated = await board.RefreshAsync(rescoreHistory: true);
        Assert.True(board.LastRefresh!.Incremental);
        // Only usage changed: the accounts and users were kept, not read again.
        Assert.Same(loaded.Scored.Data.Accounts, updated.Scored.Data.Accounts);
        Assert.Same(loaded.Scored.Data.Users, updated.Scored.Data.Users);
        var snapshotsUpdated = await SnapshotsAsync(store);

        // Nothing new: updated in memory, and the snapshots it read last time are still what the store holds.
        var again = await board.RefreshAsync(rescoreHistory: false);
        Assert.True(board.LastRefresh!.Incremental);
        Assert.Same(updated.History, again.History);
        AssertSameScores(updated, again);

        var fresh = ActivatorUtilities.CreateInstance<ScoreBoard>(store.Services);
        AssertSameScores(await fresh.RefreshAsync(rescoreHistory: true), updated);
        Assert.Equal(updated.History, fresh.Current!.History);
        Assert.False(fresh.LastRefresh!.Incremental);
        Assert.Equal(await SnapshotsAsync(store), snapshotsUpdated);

        // A new account, user and event type (its key sorts first, so every earlier event type index moves).
        await ImportAsync(store, "more",
            ("event_types.csv", "key,name,weight\naaa_first,First,3\n"),
            ("accounts.csv", "id,name,seats,created_at\nACC-7,Seventh,2,2026-06-01\n"),
            ("users.csv", "id,account_id,created_at\nU-71,ACC-7,2026-06-02\n"),
            ("usage.csv", """
                account_id,user_id,event_type,timestamp,count
                ACC-7,U-71,aaa_first,2026-06-25T10:00:00Z,5
                ACC-1,U-11,aaa_first,2026-06-30T00:00:00Z,1
                ACC-1,U-11,login,2026-06-29T09:00:00Z,2

                """));
        var second = await board.RefreshAsync(rescoreHistory: true);
        Assert.True(board.LastRefresh!.Incremental);
        var snapshotsSecond = await SnapshotsAsync(store);

        var freshAgain = ActivatorUtilities.CreateInstance<ScoreBoard>(store.Services);
        AssertSameScores(await freshAgain.RefreshAsync(rescoreHistory: true), second);
        Assert.Equal(await SnapshotsAsync(store), snapshotsSecond);
        Assert.Contains("ACC-7", second.Scored.Data.Accounts.Select(a => a.Id));
    }

    [Fact]
    public async Task Imports_of_rows_after_the_last_held_row_are_appended_in_place_and_the_previous_view_sees_none_of_them()
    {
        await using var store = await TestStore.CreateWithAsync(engine, TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        var board = store.Get<ScoreBoard>();
        var loaded = await board.RefreshAsync(rescoreHistory: true);
        var heldBefore = loaded.Scored.Data.Usage.ToArray();
        Assert.True(heldBefore[^1].Ticks < TestPortfolio.AsOf.AddMinutes(-10).Ticks, "the test portfolio's rows end before the imports below");

        // Today's events before the as-of time (12:00), as an API batch or an import of the day sends them.
        await ImportAsync(store, "today", ("usage.csv", """
            account_id,user_id,event_type,timestamp,count
            ACC-2,U-21,report_created,2026-06-30T11:51:00Z,4
            ACC-3,U-31,login,2026-06-30T11:50:00Z,1
            ACC-2,,login,2026-06-30T11:52:00Z,2

            """));
        var updated = await board.RefreshAsync(rescoreHistory: true);
        Assert.True(board.LastRefresh!.Incremental);
        Assert.Equal(heldBefore.Length + 3, updated.Scored.Data.Usage.Length);
        Assert.True(SameMemory(loaded.Scored.Data.Usage, updated.Scored.Data.Usage[..heldBefore.Length]), "the held rows were not copied");
        Assert.Equal(heldBefore, loaded.Scored.Data.Usage.ToArray());
        AssertSameScores(await ActivatorUtilities.CreateInstance<ScoreBoard>(store.Services).RefreshAsync(rescoreHistory: false), updated);

        // And again after those: still in place, still exact, and neither earlier view sees the new row.
        await ImportAsync(store, "later", ("usage.csv", "account_id,user_id,event_type,timestamp,count\nACC-1,U-11,dashboard_shared,2026-06-30T11:55:00Z,3\n"));
        var again = await board.RefreshAsync(rescoreHistory: true);
        Assert.True(SameMemory(updated.Scored.Data.Usage, again.Scored.Data.Usage[..(heldBefore.Length + 3)]));
        Assert.Equal(heldBefore.Length + 3, updated.Scored.Data.Usage.Length);
        Assert.Equal(heldBefore.Length, loaded.Scored.Data.Usage.Length);
        AssertSameScores(await ActivatorUtilities.CreateInstance<ScoreBoard>(store.Services).RefreshAsync(rescoreHistory: false), again);
    }

    [Fact]
    public async Task A_draft_window_length_is_previewed_exactly_on_the_day_its_window_start_cuts()
    {
        await using var store = await TestStore.CreateWithAsync(engine, TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        // Seven days before the as-of time (12:00) one row before and one after noon: a 7-day window takes only the later.
        await ImportAsync(store, "edge", ("usage.csv", """
            account_id,user_id,event_type,timestamp,count
            ACC-3,U-32,report_created,2026-06-23T08:00:00Z,40
            ACC-3,U-32,report_created,2026-06-23T16:00:00Z,1

            """));
        var view = await store.Get<ScoreBoard>().RefreshAsync(rescoreHistory: true);
        var draft = TestPortfolio.Model() with { WindowDays = 7 };

        var previewed = store.Get<ModelPreview>().Score(view.Scored, draft);
        // The same span as the board's, every row raw where a 7-day window's edges cut a day.
        var exact = await store.Get<PortfolioLoader>().LoadAsync(
            TestPortfolio.AsOf.AddDays(-ScoreBoard.LoadedUsageDays(TestPortfolio.Model().WindowDays)), TestPortfolio.AsOf, PortfolioLoader.WindowEdges(TestPortfolio.AsOf, 7));
        var direct = ScoringService.Score(exact, TestPortfolio.AsOf, draft, 0).Scores;

        Assert.Equal(direct.Raw, previewed.Raw);
        Assert.Equal(direct.Health, previewed.Health);
        var acc3 = previewed.Aggregates.LocalAccountIndex("ACC-3");
        var reportCreated = view.Scored.Data.EventTypeKeys.ToList().IndexOf("report_created");
        Assert.Equal(1, previewed.Aggregates.AccountEventCounts[(acc3 * previewed.Aggregates.EventTypeCount) + reportCreated]);
    }

    [Fact]
    public async Task An_import_that_changes_an_existing_account_in_place_is_read_by_the_next_update()
    {
        await using var store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        var board = store.Get<ScoreBoard>();
        var loaded = await board.RefreshAsync(rescoreHistory: true);
        var before = loaded.Scored.Data.Accounts.Single(a => a.Id == "ACC-2");

        // The same number of accounts and the same newest id: only the import of a file other than usage.csv tells.
        await ImportAsync(store, "in-place", ("accounts.csv", FormattableString.Invariant($"id,name,mrr\nACC-2,Second renamed,{before.Mrr + 1000}\n")));
        var updated = await board.RefreshAsync(rescoreHistory: true);
        Assert.True(board.LastRefresh!.Incremental);
        var after = updated.Scored.Data.Accounts.Single(a => a.Id == "ACC-2");
        Assert.Equal(("Second renamed", before.Mrr + 1000), (after.Name, after.Mrr));

        var fresh = ActivatorUtilities.CreateInstance<ScoreBoard>(store.Services);
        AssertSameScores(await fresh.RefreshAsync(rescoreHistory: false), updated);
    }

    private static void AssertSameScores(PortfolioView expected, PortfolioView actual)
    {
        foreach (var (e, a) in new[] { (expected.Scored, actual.Scored), (expected.MonthAgo!, actual.MonthAgo!) })
        {
            Assert.Equal(e.AsOf, a.AsOf);
            Assert.Equal(e.Data.Accounts, a.Data.Accounts);
            Assert.Equal(e.Data.EventTypeKeys, a.Data.EventTypeKeys);
            Assert.Equal(e.Scores.Health, a.Scores.Health);
            Assert.Equal(e.Scores.Values, a.Scores.Values);
            Assert.Equal(e.Scores.Raw, a.Scores.Raw);
            Assert.Equal(e.Scores.UserEngagement, a.Scores.UserEngagement);
            Assert.Equal(e.Aggregates.AccountEventCounts, a.Aggregates.AccountEventCounts);
            Assert.Equal(e.Aggregates.AccountEventLastTicks, a.Aggregates.AccountEventLastTicks);
        }
    }

    private static bool SameMemory(ReadOnlySpan<UsageRow> a, ReadOnlySpan<UsageRow> b) =>
        a.Length == b.Length && System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a), ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b));

    private static async Task<List<string>> SnapshotsAsync(TestStore store)
    {
        await using var db = await store.DbAsync();
        return [.. (await db.Snapshots.AsNoTracking().OrderBy(s => s.Day).ThenBy(s => s.AccountId).ToListAsync())
            .Select(s => $"{s.Day:O} {s.AccountId} v{s.ModelVersion} {s.Health:R} {s.Grade}")];
    }

    private static async Task ImportAsync(TestStore store, string name, params (string File, string Content)[] files)
    {
        var folder = Path.Combine(store.Directory, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, file), content);
        }

        var result = await store.Get<FolderImporter>().ImportFolderAsync(folder, "test", null);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.ToString())));
    }
}

public sealed class ScoreBoardRefreshSqliteTests() : ScoreBoardRefreshTests(DatabaseProvider.Sqlite);

public sealed class ScoreBoardRefreshPostgresTests() : ScoreBoardRefreshTests(DatabaseProvider.Postgres);
