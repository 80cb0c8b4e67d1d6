using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Scores;

/// <summary>
/// At start-up a board shows the newest stored snapshot's scores while its first refresh runs: the pages get a
/// view at once (no waiting, no blank page), with the stored scores and the usage figures the stored raw values
/// give; whoever needs scores made from the data (the API, alerts, the model editor) still waits for the refresh.
/// </summary>
public sealed class StartupSnapshotTests
{
    [Fact]
    public async Task A_new_board_serves_the_newest_snapshot_until_its_first_refresh()
    {
        await using var store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        // A board that ran before (as the app did before its restart) scored and wrote the daily snapshots.
        var before = await store.Get<ScoreBoard>().RefreshAsync(rescoreHistory: true);
        var day = TestPortfolio.AsOf.Date;
        await store.Get<SnapshotStore>().BackfillAsync(day);
        var snapshot = await store.Get<SnapshotStore>().StoredDayAsync(day);

        var restarted = ActivatorUtilities.CreateInstance<ScoreBoard>(store.Services);
        // A page opened before the snapshot is read waits for it, not for the first refresh.
        var pageWaiting = restarted.GetViewOrFailureAsync();
        Assert.False(pageWaiting.IsCompleted);
        Assert.True(await restarted.ServeSnapshotAsync());

        var served = Assert.IsType<PortfolioView>(restarted.Current);
        Assert.Same(served, await pageWaiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(served.IsFromSnapshot);
        Assert.Equal(day, served.AsOf);
        // Pages take it at once; the scored view is still to come.
        Assert.Same(served, await restarted.GetViewOrFailureAsync());
        Assert.False(restarted.GetAsync().IsCompleted);

        // Every account as the data scores it at the snapshot's midnight, from the stored row.
        var atMidnight = await store.Get<ScoringService>().ScoreAtAsync(day, (ScoringModelSet?)null);
        var expected = new PortfolioView(atMidnight, null, new Dictionary<string, IReadOnlyList<double>>(), []);
        Assert.Equal(expected.Accounts.Select(a => a.Id), served.Accounts.Select(a => a.Id));
        Assert.Equal(snapshot.Count, served.Accounts.Count);
        foreach (var account in served.Accounts)
        {
            var stored = snapshot[account.Id];
            var exact = expected.FindAccount(account.Id)!;
            Assert.Equal(stored.Health, account.Health);
            Assert.Equal(exact.Health, account.Health);
            Assert.Equal(exact.Grade, account.Grade);
            Assert.Equal(exact.Band, account.Band);
            Assert.Equal(exact.Mrr, account.Mrr);
            Assert.Equal(exact.ActiveUsers, account.ActiveUsers);
            Assert.Equal(exact.UserCount, account.UserCount);
            Assert.Equal(exact.LastActivity is null, account.LastActivity is null);
            if (exact.LastActivity is { } last)
            {
                // Recency counts whole days: the start of the day of the last usage.
                Assert.InRange(last - account.LastActivity!.Value, TimeSpan.FromTicks(1), TimeSpan.FromDays(1));
            }

            // The breakdown adds up to the stored H, as it does for a scored view.
            var explanation = served.Explain(account.Index);
            var scores = served.Scored.Scores;
            var contributions = Indicators.All.Sum(i => scores.Contribution(account.Index, i))
                + Enumerable.Range(0, scores.CustomKeys.Count).Sum(c => scores.CustomContribution(account.Index, c));
            if (account.Health > 1 && account.Health < 100)
            {
                Assert.Equal(account.Health, contributions, 9);
            }

            Assert.NotNull(explanation);
        }

        // The first refresh replaces it with the scores from the data, and whoever waited gets them.
        var waiting = restarted.GetAsync();
        var refreshed = await restarted.RefreshAsync(rescoreHistory: false);
        Assert.False(refreshed.IsFromSnapshot);
        Assert.Same(refreshed, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(before.Accounts.Select(a => a.Health), refreshed.Accounts.Select(a => a.Health));
        Assert.Equal(before.AsOf, refreshed.AsOf);
    }

    [Fact]
    public async Task Without_a_snapshot_or_once_scores_are_shown_there_is_nothing_to_serve()
    {
        await using var store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        var board = store.Get<ScoreBoard>();
        Assert.False(await board.ServeSnapshotAsync());
        Assert.Null(board.Current);

        var scored = await board.RefreshAsync(rescoreHistory: true);
        await store.Get<SnapshotStore>().BackfillAsync(TestPortfolio.AsOf.Date);
        Assert.False(await board.ServeSnapshotAsync());
        Assert.Same(scored, board.Current);
    }
}
