namespace HealthDashboard.Scoring.Tests;

/// <summary>Support: (tickets opened in window + 2 x escalated) / max(1, seats); 101 - norm over scored accounts.</summary>
public class SupportTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    private static PortfolioScores ScorePortfolio()
    {
        var b = new PortfolioBuilder();
        var alpha = b.Account("alpha", seats: 4);
        var beta = b.Account("beta", seats: 0);
        b.Account("gamma", seats: 3);
        var delta = b.Account("delta", seats: 2);
        var gone = b.Account("gone", seats: 1, churned: T.AddDays(-1));
        b.Ticket(alpha, T.AddDays(-1)).Ticket(alpha, T.AddDays(-29)).Ticket(alpha, T.AddDays(-5), escalated: true)
            .Ticket(beta, T)
            .Ticket(delta, T.AddDays(-30))                              // opened exactly at the window's start: out
            .Ticket(delta, T.AddTicks(1), escalated: true)              // after T: never read
            .Ticket(delta, T.AddDays(-40), closed: T.AddDays(-1))       // opened before the window: out
            .Ticket(gone, T.AddDays(-2), escalated: true);              // churned account: not in the population
        return ScoreRun.Score(b.Build());
    }

    [Fact]
    public void Raw_value_counts_escalated_tickets_three_times_per_seat()
    {
        var scores = ScorePortfolio();

        // alpha: (3 opened + 2 x 1 escalated) / 4 seats = 1.25
        Assert.Equal(1.25, scores.Raw("alpha", Indicator.Support));
        // beta: 1 / max(1, 0) = 1
        Assert.Equal(1, scores.Raw("beta", Indicator.Support));
        Assert.Equal(0, scores.Raw("gamma", Indicator.Support));
        // delta: none of its tickets was opened in (T - 30 d, T]
        Assert.Equal(0, scores.Raw("delta", Indicator.Support));
    }

    [Fact]
    public void Score_is_101_minus_norm_over_scored_accounts()
    {
        var scores = ScorePortfolio();

        // raw over scored accounts sorted: 0 0 1 1.25; n = 4, h = 2.7, P = 1 + 0.7 x 0.25 = 1.175
        Assert.Equal(1.175, scores.SupportCurve.Benchmark, 1e-12);
        // alpha: 1.25 >= P -> norm 100 -> 101 - 100 = 1
        Assert.Equal(1, scores.Value("alpha", Indicator.Support));
        // beta: norm(1) = 1 + 99 (1 - e^(-3/1.175)) / (1 - e^-3) = 1 + 99 x 0.922167 / 0.950213 = 97.078 -> 3.92
        Assert.Equal(3.92, scores.Value("beta", Indicator.Support)!.Value, 2);
        // no tickets: 101 - norm(0) = 101 - 1 = 100
        Assert.Equal(100, scores.Value("gamma", Indicator.Support));
        Assert.Equal(100, scores.Value("delta", Indicator.Support));
    }

    [Fact]
    public void One_escalated_ticket_weighs_as_much_as_three_plain_ones()
    {
        var b = new PortfolioBuilder();
        var escalated = b.Account("escalated", seats: 1);
        var plain = b.Account("plain", seats: 1);
        b.Ticket(escalated, T.AddDays(-3), escalated: true);
        b.Ticket(plain, T.AddDays(-3)).Ticket(plain, T.AddDays(-4)).Ticket(plain, T.AddDays(-5));

        var scores = ScoreRun.Score(b.Build());

        // 1 + 2 x 1 = 3 and 3 + 2 x 0 = 3
        Assert.Equal(3, scores.Raw("escalated", Indicator.Support));
        Assert.Equal(3, scores.Raw("plain", Indicator.Support));
    }

    [Fact]
    public void Portfolio_without_tickets_scores_support_100_everywhere()
    {
        var b = new PortfolioBuilder();
        b.Account("alpha", seats: 2);
        b.Account("beta");

        var scores = ScoreRun.Score(b.Build());

        // all raw values 0: every norm is 1, 101 - 1 = 100
        Assert.Equal(100, scores.Value("alpha", Indicator.Support));
        Assert.Equal(100, scores.Value("beta", Indicator.Support));
    }
}
