using Bunit;
using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Pages.Account;

public class EngagementSplitTests : BunitTestBase
{
    public EngagementSplitTests() => RenderInCircuit();

    [Fact]
    public void Long_lists_collapse_to_eight_rows_until_asked_and_the_total_covers_all()
    {
        // Ten event types, type t used t + 1 times with weight 2: points 2, 4, ..., 20, total 110.
        var parts = Enumerable.Range(0, 10).Reverse()
            .Select(t => new EventTypePart(t, $"e{t}", $"Event {t}", t + 1, 2, (t + 1) * 2.0)).ToList();

        var split = Render<EngagementSplit>(p => p.Add(x => x.EventTypes, parts).Add(x => x.Total, 110));

        Assert.Equal(EngagementSplit.CollapsedRows, split.FindAll("[data-testid=engagement-split] tbody tr").Count);
        Assert.Equal("110", split.Find("[data-testid=engagement-total]").TextContent.Trim());
        split.Find("[data-testid=show-all-events]").Click();
        Assert.Equal(10, split.FindAll("[data-testid=engagement-split] tbody tr").Count);
        Assert.Contains("Show fewer", split.Find("[data-testid=show-all-events]").TextContent);
    }

    [Fact]
    public void No_usage_shows_an_empty_state()
    {
        var split = Render<EngagementSplit>(p => p.Add(x => x.EventTypes, []).Add(x => x.Total, 0));

        Assert.Contains("No product usage in the window", split.Markup);
    }
}
