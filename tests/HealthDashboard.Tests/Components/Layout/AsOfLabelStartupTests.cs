using Bunit;
using HealthDashboard.Components.Layout;
using HealthDashboard.Scores;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Layout;

/// <summary>At start-up the app bar says the scores shown are the last snapshot's, being refreshed, until the first refresh.</summary>
public sealed class AsOfLabelStartupTests : BunitTestBase
{
    [Fact]
    public async Task The_last_snapshot_shows_as_refreshing_until_the_first_scores_replace_it()
    {
        var board = AddScoreBoard(new Dictionary<string, string?>
        {
            [AsOfClock.PinKey] = "2026-11-20T09:30:00Z",
            [SnapshotStore.HistoryDaysKey] = "2",
        });
        // The run before the restart wrote its snapshots; a new board (as after a restart) has none of its views.
        await board.RefreshAsync(rescoreHistory: true);
        await Store.Get<SnapshotStore>().BackfillAsync(new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc));
        var restarted = ActivatorUtilities.CreateInstance<ScoreBoard>(Store.Services);
        Services.AddSingleton(restarted);
        Assert.True(await restarted.ServeSnapshotAsync());

        var label = Render<AsOfLabel>();
        var note = label.Find("[data-testid=scores-refreshing]");
        Assert.Contains("Scores as of 20 Nov 2026 00:00 UTC · refreshing", note.TextContent, StringComparison.Ordinal);

        await restarted.RefreshAsync(rescoreHistory: false);
        label.WaitForAssertion(() => Assert.Empty(label.FindAll("[data-testid=scores-refreshing]")));
        Assert.Contains("Scores as of 20 Nov 2026 09:30 UTC · model v", label.Markup, StringComparison.Ordinal);
    }
}
