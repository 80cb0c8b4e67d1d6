namespace HealthDashboard.Scoring.Tests;

/// <summary>"In window" is T - W days &lt; t &lt;= T, and nothing after T is ever read.</summary>
public class WindowTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    [Fact]
    public void Row_exactly_W_days_before_T_is_out_and_one_exactly_at_T_is_in()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.AccountUse(acme, "login", T.AddDays(-30), 100)
            .AccountUse(acme, "login", T.AddDays(-30).AddTicks(1), 10)
            .AccountUse(acme, "login", T, 1);

        var scores = ScoreRun.Score(b.Build());

        // 10 (one tick inside the window) + 1 (at T); the 100 at exactly T - 30 d is out
        Assert.Equal(11, scores.Raw("acme", Indicator.Engagement));
        // last row at T: d = 0
        Assert.Equal(0, scores.Raw("acme", Indicator.Recency));
    }

    [Fact]
    public void Rows_after_T_are_never_read()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        var future = b.Account("future");
        b.AccountUse(acme, "login", T.AddDays(-2), 3)
            .AccountUse(acme, "login", T.AddTicks(1), 1000)
            .AccountUse(future, "login", T.AddHours(1), 50);

        var scores = ScoreRun.Score(b.Build());

        Assert.Equal(3, scores.Raw("acme", Indicator.Engagement));
        // the last row at or before T is two days old, not the one after T
        Assert.Equal(2, scores.Raw("acme", Indicator.Recency));
        // only usage after T: no engagement, never active
        Assert.Equal(0, scores.Raw("future", Indicator.Engagement));
        Assert.Null(scores.Raw("future", Indicator.Recency));
        Assert.Equal(0, scores.Value("future", Indicator.Recency));
        Assert.Equal(0, scores.Value("future", Indicator.Frequency));
    }

    [Fact]
    public void Row_only_at_the_window_edge_counts_for_recency_but_not_for_usage()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 2);
        var ann = b.User(acme);
        b.Use(acme, ann, "login", T.AddDays(-30), 7);

        var scores = ScoreRun.Score(b.Build());

        Assert.Equal(0, scores.Raw("acme", Indicator.Engagement));
        Assert.Equal(0, scores.Value("acme", Indicator.Breadth)); // ann is not active
        Assert.Equal(0, scores.Value("acme", Indicator.Frequency)); // no usage in window
        // d = 30: 100 x max(0, 1 - 30/30) = 0, but the account has been active
        Assert.Equal(30, scores.Raw("acme", Indicator.Recency));
        Assert.Equal(0, scores.Value("acme", Indicator.Recency));
    }

    [Fact]
    public void Earlier_as_of_moves_the_window_back()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.AccountUse(acme, "login", T.AddDays(-35), 7)
            .AccountUse(acme, "login", T.AddDays(-15), 2)
            .AccountUse(acme, "login", T.AddDays(-5), 3);
        var data = b.Build();
        var earlier = T.AddDays(-10);

        var now = ScoreRun.Score(data);
        var then = ScoreRun.Score(data, asOf: earlier);

        // at T: window (T - 30 d, T] holds the rows at -15 d and -5 d: 2 + 3 = 5; last row 5 days ago
        Assert.Equal(5, now.Raw("acme", Indicator.Engagement));
        Assert.Equal(5, now.Raw("acme", Indicator.Recency));
        // at T - 10 d: window (T - 40 d, T - 10 d] holds -35 d and -15 d: 7 + 2 = 9; last row 5 days before T - 10 d
        Assert.Equal(9, then.Raw("acme", Indicator.Engagement));
        Assert.Equal(5, then.Raw("acme", Indicator.Recency));
    }

    [Fact]
    public void Earlier_as_of_scores_exactly_what_the_data_known_then_scores()
    {
        var earlier = T.AddDays(-10);
        var withFuture = ScoreRun.Score(History(includeAfter: true, earlier), asOf: earlier);
        var knownThen = ScoreRun.Score(History(includeAfter: false, earlier), asOf: earlier);

        Assert.Equal(knownThen.Aggregates.Accounts.Length, withFuture.Aggregates.Accounts.Length);
        Assert.Equal(knownThen.Aggregates.Users.Length, withFuture.Aggregates.Users.Length);
        Assert.Equal(knownThen.Raw, withFuture.Raw);
        Assert.Equal(knownThen.Values, withFuture.Values);
        Assert.Equal(knownThen.Health, withFuture.Health);
        Assert.Equal(knownThen.UserEngagement, withFuture.UserEngagement);
        // and the later facts do change the score at T, so the comparison above has teeth
        Assert.NotEqual(knownThen.Health, ScoreRun.Score(History(includeAfter: true, earlier)).Health);
    }

    /// <summary>A small history; with <paramref name="includeAfter"/> also everything that happened after <paramref name="cut"/>.</summary>
    private static PortfolioData History(bool includeAfter, DateTime cut)
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 3, churned: includeAfter ? cut.AddDays(5) : null);
        var beta = b.Account("beta", seats: 0);
        var ann = b.User(acme);
        var bob = b.User(beta, created: cut.AddDays(-40));
        b.Use(acme, ann, "login", cut.AddDays(-3), 4)
            .Use(beta, bob, "report", cut.AddDays(-1), 9)
            .AccountUse(beta, "login", cut.AddDays(-50), 2);
        b.Ticket(acme, cut.AddDays(-4), closed: includeAfter ? cut.AddDays(2) : null, satisfaction: includeAfter ? 1 : null);
        b.Ticket(beta, cut.AddDays(-6), escalated: true);
        b.Survey(beta, cut.AddDays(-20), SurveyKind.Nps, 9);
        b.Revenue(acme, cut.AddDays(-120), 1000).Revenue(acme, cut.AddDays(-1), 1200);
        if (includeAfter)
        {
            var late = b.Account("late", seats: 5, created: cut.AddDays(1));
            var carl = b.User(beta, created: cut.AddDays(2));
            b.Use(acme, ann, "login", cut.AddDays(1), 40)
                .Use(beta, carl, "report", cut.AddDays(3), 5)
                .AccountUse(late, "login", cut.AddDays(4), 8);
            b.Ticket(beta, cut.AddDays(1), escalated: true);
            b.Survey(beta, cut.AddHours(1), SurveyKind.Nps, 0);
            b.Revenue(acme, cut.AddDays(1), 5000);
        }

        return b.Build();
    }
}
