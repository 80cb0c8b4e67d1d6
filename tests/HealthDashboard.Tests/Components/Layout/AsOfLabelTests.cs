using Bunit;
using HealthDashboard.Components.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Layout;

public sealed class AsOfLabelTests : BunitTestBase
{
    [Fact]
    public async Task While_refreshes_fail_the_last_scores_stay_with_a_stale_since_note()
    {
        var board = AddScoreBoard();
        var scored = await board.RefreshAsync(rescoreHistory: true);
        var label = Render<AsOfLabel>();
        Assert.Empty(label.FindAll("[data-testid=scores-stale]"));

        // The store breaks under the board (here: a table every refresh reads is gone), so the next refresh fails.
        await using (var db = await Services.GetRequiredService<IDbContextFactory<HealthDashboard.Data.HealthDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"Revenue\";");
        }

        await Assert.ThrowsAnyAsync<Exception>(() => board.RefreshAsync(rescoreHistory: true));

        Assert.Same(scored, board.Current);
        label.WaitForAssertion(() => Assert.Contains("Stale since", label.Find("[data-testid=scores-stale]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Scores as of", label.Markup, StringComparison.Ordinal);
    }
}
