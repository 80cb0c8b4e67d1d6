namespace HealthDashboard.Scoring.Tests;

/// <summary>The scored population: accounts created at or before T and not churned at T, and their users created at or before T.</summary>
public class PopulationTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    [Fact]
    public void Accounts_are_scored_from_creation_until_churn()
    {
        var b = new PortfolioBuilder();
        b.Account("created-after-t", created: T.AddTicks(1));
        b.Account("created-at-t", created: T);
        b.Account("churned-before-t", churned: T.AddDays(-1));
        b.Account("churned-at-t", churned: T);
        b.Account("churned-after-t", churned: T.AddTicks(1));
        b.Account("customer");

        var scores = ScoreRun.Score(b.Build());

        Assert.False(scores.IsScored("created-after-t"));
        Assert.True(scores.IsScored("created-at-t"));
        Assert.False(scores.IsScored("churned-before-t"));
        Assert.False(scores.IsScored("churned-at-t"));
        Assert.True(scores.IsScored("churned-after-t"));
        Assert.True(scores.IsScored("customer"));
        Assert.Equal(3, scores.AccountCount);
    }

    [Fact]
    public void Users_count_from_their_created_date_or_from_the_start_without_one()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 0);
        var undated = b.User(acme);
        var atT = b.User(acme, created: T);
        var afterT = b.User(acme, created: T.AddTicks(1));
        b.Use(acme, undated, "login", T.AddDays(-1));

        var scores = ScoreRun.Score(b.Build());
        var agg = scores.Aggregates;

        Assert.True(agg.LocalUserOf[undated] >= 0);
        Assert.True(agg.LocalUserOf[atT] >= 0);
        Assert.Equal(-1, agg.LocalUserOf[afterT]);
        Assert.Equal(2, agg.ScoredUserCounts[scores.Local("acme")]);
        // seats 0: Breadth = 1 active / 2 users created at or before T = 50
        Assert.Equal(50, scores.Value("acme", Indicator.Breadth));
    }

    [Fact]
    public void Portfolio_with_no_scored_account_scores_nothing()
    {
        var b = new PortfolioBuilder();
        var late = b.Account("late", created: T.AddDays(1));
        b.AccountUse(late, "login", T.AddDays(2));

        var scores = ScoreRun.Score(b.Build());

        Assert.Equal(0, scores.AccountCount);
        Assert.Empty(scores.UserEngagement);
    }
}
