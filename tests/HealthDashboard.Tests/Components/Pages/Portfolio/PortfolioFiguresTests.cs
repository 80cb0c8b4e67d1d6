using HealthDashboard.Components.Pages.Portfolio;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Pages.Portfolio;

/// <summary>
/// The Portfolio figures over <see cref="TestPortfolio"/>. Its scored accounts (ACC-6 churned before T):
/// ACC-1 H 96.25 A green $5,000 (trend +2.08); ACC-2 H 61.47 C yellow $1,200 (+3.62);
/// ACC-3 H 11.72 D red $800 (−28.83); ACC-4 H 12.88 D red $9,000 (−31.82); ACC-5 H 36.27 D red $300 (new, no trend).
/// </summary>
public sealed class PortfolioFiguresTests
{
    private static readonly PortfolioFigures Figures = PortfolioFigures.From(TestPortfolio.View());

    [Fact]
    public void Counts_scored_accounts_and_users_only()
    {
        Assert.Equal(5, Figures.AccountCount);
        Assert.Equal(15, Figures.UserCount);
    }

    [Fact]
    public void Mrr_at_risk_is_the_mrr_of_the_red_accounts()
    {
        Assert.Equal(5000 + 1200 + 800 + 9000 + 300, Figures.TotalMrr);
        Assert.Equal(800 + 9000 + 300, Figures.MrrAtRisk);
        Assert.Equal(3, Figures.AtRiskCount);
        Assert.Equal(10100.0 / 16300.0, Figures.MrrAtRiskShare, 12);
    }

    [Fact]
    public void Band_shares_count_accounts_per_band_and_add_up_to_100_percent()
    {
        Assert.Equal([Band.Red, Band.Yellow, Band.Green], Figures.Bands.Select(b => b.Band));
        Assert.Equal([3, 1, 1], Figures.Bands.Select(b => b.Count));
        Assert.Equal([60, 20, 20], Figures.Bands.Select(b => b.Percent));
        Assert.Equal(1.0, Figures.Bands.Sum(b => b.Share), 12);
        Assert.Equal([10100.0, 1200.0, 5000.0], Figures.Bands.Select(b => b.Mrr));
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1 }, new[] { 34, 33, 33 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 29, 14, 57 })]
    [InlineData(new[] { 0, 0, 0 }, new[] { 0, 0, 0 })]
    [InlineData(new[] { 1, 0, 199 }, new[] { 1, 0, 99 })]
    public void Whole_percentages_add_up_to_100_by_largest_remainder(int[] counts, int[] expected)
    {
        // 1/3 each: 33.33 floors to 99 in all, the riskiest band gets the missing point.
        // 2, 1, 4 of 7: 28.57, 14.29, 57.14 floor to 28, 14, 57; .57 is the largest remainder.
        // 1 of 200 is 0.5 and 199 is 99.5: a tie on .5 goes to the riskier band.
        Assert.Equal(expected, PortfolioFigures.LargestRemainderPercents(counts, counts.Sum()));
    }

    [Fact]
    public void Average_health_and_its_change_over_30_days()
    {
        // (96.25 + 61.4741 + 11.7181 + 12.8797 + 36.2684) / 5; 30 days ago five accounts (ACC-6 still a customer)
        // averaged (94.1667 + 57.8581 + 40.5486 + 44.7012 + 12.0588) / 5 = 49.8667.
        Assert.Equal(43.7181, Figures.AverageHealth!.Value, 3);
        Assert.Equal(43.7181 - 49.8667, Figures.AverageHealthChange!.Value, 3);
    }

    [Fact]
    public void Histogram_puts_shown_health_into_buckets_of_ten_split_by_band()
    {
        Assert.Equal(10, Figures.Histogram.Count);
        Assert.Equal("0\u20139", Figures.Histogram[0].Label);
        Assert.Equal("90\u2013100", Figures.Histogram[9].Label);
        // Shown health 96, 61, 12, 13, 36.
        Assert.Equal([0, 2, 0, 1, 0, 0, 1, 0, 0, 1], Figures.Histogram.Select(b => b.Total));
        Assert.Equal(2, Figures.Histogram[1].Red);
        Assert.Equal(1, Figures.Histogram[3].Red);
        Assert.Equal(1, Figures.Histogram[6].Yellow);
        Assert.Equal(1, Figures.Histogram[9].Green);
    }

    [Fact]
    public void Top_at_risk_lists_red_then_yellow_by_mrr()
    {
        Assert.Equal(["ACC-4", "ACC-3", "ACC-5", "ACC-2"], Figures.TopAtRisk.Select(a => a.Id));
    }

    [Fact]
    public void Largest_drops_lists_falling_accounts_steepest_first()
    {
        Assert.Equal(["ACC-4", "ACC-3"], Figures.LargestDrops.Select(a => a.Id));
    }

    [Fact]
    public void Top_lists_stop_at_eight()
    {
        var accounts = Enumerable.Range(1, 12)
            .Select(i => new AccountInfo($"R-{i:00}", $"Red {i}", TestPortfolio.AsOf.AddDays(-100), Seats: 1, Mrr: i * 100))
            .ToList();
        var view = ViewOf(new PortfolioData(accounts, [], [], []));

        var figures = PortfolioFigures.From(view);

        Assert.Equal(12, figures.AtRiskCount);
        Assert.Equal(PortfolioFigures.TopCount, figures.TopAtRisk.Count);
        Assert.Equal("R-12", figures.TopAtRisk[0].Id);
        Assert.Equal("R-05", figures.TopAtRisk[^1].Id);
    }

    [Fact]
    public void An_empty_portfolio_has_zero_figures_and_no_average()
    {
        var figures = PortfolioFigures.From(ViewOf(new PortfolioData([], [], [], [])));

        Assert.Equal(0, figures.AccountCount);
        Assert.Equal(0, figures.MrrAtRiskShare);
        Assert.Null(figures.AverageHealth);
        Assert.All(figures.Bands, b => Assert.Equal(0, b.Percent));
        Assert.Empty(figures.TopAtRisk);
    }

    /// <summary>A view of some data scored at the test as-of time, without trend or history.</summary>
    internal static PortfolioView ViewOf(PortfolioData data)
    {
        var model = ScoringModel.Default;
        var aggregates = WindowAggregates.Build(data, TestPortfolio.AsOf, model.WindowDays);
        var scored = new ScoredPortfolio(1, model, aggregates, Scorer.Score(aggregates, model));
        return new PortfolioView(scored, null, new Dictionary<string, IReadOnlyList<double>>(), []);
    }

    [Fact]
    public void My_accounts_figures_count_only_the_members_accounts_and_their_users()
    {
        var view = TestPortfolio.View();
        var maya = new HealthDashboard.Queries.AccountOwner("Maya Chen", "maya@example.com", IsCsManager: true);
        var mine = PortfolioFigures.From(view, maya);
        var owned = view.Accounts.Where(a => a.Owner == "Maya Chen").ToList();
        Assert.True(mine.OnlyMine);
        Assert.Equal(2, mine.AccountCount);
        Assert.Equal(owned.Sum(a => a.Mrr), mine.TotalMrr);
        Assert.Equal(owned.Average(a => a.Health), mine.AverageHealth!.Value, 9);
        Assert.Equal(view.Users.Count(u => owned.Any(a => a.Index == u.AccountIndex)), mine.UserCount);
        Assert.Equal(2, mine.Bands.Sum(b => b.Count));
        Assert.All(mine.TopAtRisk, a => Assert.Equal("Maya Chen", a.Owner));
        Assert.Equal(view.History, mine.History);
    }
}
