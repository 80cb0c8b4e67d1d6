namespace HealthDashboard.Scoring.Tests;

/// <summary>Breadth: active users / seats (seats 0: / users created at or before T), 100 x min(1, raw). Depth: key-feature types used / key-feature types.</summary>
public class BreadthAndDepthTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    [Fact]
    public void Breadth_is_active_users_over_seats()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 10);
        for (var i = 0; i < 6; i++)
        {
            var user = b.User(acme);
            // four users active in the window, two only before it
            b.Use(acme, user, "login", i < 4 ? T.AddDays(-i - 1) : T.AddDays(-40));
        }

        var scores = ScoreRun.Score(b.Build());

        // 4 / 10 = 0.4 -> 40 (the seats, not the 6 users, are the base)
        Assert.Equal(0.4, scores.Raw("acme", Indicator.Breadth));
        Assert.Equal(40, scores.Value("acme", Indicator.Breadth));
        Assert.Equal(4, scores.Aggregates.ActiveUsers[scores.Local("acme")]);
    }

    [Fact]
    public void Account_level_rows_make_no_user_active()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 4);
        b.User(acme);
        b.AccountUse(acme, "login", T.AddDays(-1), 20);

        var scores = ScoreRun.Score(b.Build());

        Assert.Equal(0, scores.Value("acme", Indicator.Breadth));
    }

    [Fact]
    public void Breadth_without_seats_divides_by_users_created_at_or_before_T()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 0);
        var ann = b.User(acme);
        b.User(acme, created: T.AddDays(-10));
        b.User(acme, created: T.AddDays(-100));
        b.User(acme, created: T.AddDays(3)); // not yet a user at T
        b.Use(acme, ann, "login", T.AddDays(-1));

        var scores = ScoreRun.Score(b.Build());

        // 1 active / 3 users = 0.3333 -> 33.33
        Assert.Equal(100.0 / 3, scores.Value("acme", Indicator.Breadth)!.Value, 1e-9);
    }

    [Fact]
    public void Breadth_is_missing_with_no_seats_and_no_users()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 0);
        b.AccountUse(acme, "login", T.AddDays(-1));
        b.User(acme, created: T.AddDays(1)); // exists, but not at T

        var scores = ScoreRun.Score(b.Build());

        Assert.Null(scores.Value("acme", Indicator.Breadth));
        Assert.Null(scores.Raw("acme", Indicator.Breadth));
    }

    [Fact]
    public void Breadth_is_capped_at_100()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 2);
        for (var i = 0; i < 3; i++)
        {
            b.Use(acme, b.User(acme), "login", T.AddDays(-1));
        }

        var scores = ScoreRun.Score(b.Build());

        // 3 / 2 = 1.5 -> 100 x min(1, 1.5) = 100
        Assert.Equal(1.5, scores.Raw("acme", Indicator.Breadth));
        Assert.Equal(100, scores.Value("acme", Indicator.Breadth));
    }

    [Fact]
    public void Depth_is_the_share_of_key_feature_types_used_in_window()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        var ann = b.User(acme);
        b.Use(acme, ann, "report", T.AddDays(-2))          // key, in window
            .AccountUse(acme, "export", T.AddDays(-3))    // key, account-level, in window
            .Use(acme, ann, "share", T.AddDays(-31))      // key, before the window
            .Use(acme, ann, "login", T.AddDays(-1), 50);  // not a key feature
        b.EventType("invite");                            // key, never used
        var model = ScoringModel.Default.WithKeyFeatures("report", "export", "share", "invite");

        var scores = ScoreRun.Score(b.Build(), model);

        // used in window: report, export = 2 of 4 key types -> 0.5 -> 50
        Assert.Equal(0.5, scores.Raw("acme", Indicator.Depth));
        Assert.Equal(50, scores.Value("acme", Indicator.Depth));
    }

    [Fact]
    public void Depth_is_missing_when_no_type_is_a_key_feature()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.AccountUse(acme, "login", T.AddDays(-1));

        var scores = ScoreRun.Score(b.Build());

        Assert.Null(scores.Value("acme", Indicator.Depth));
    }

    [Fact]
    public void Depth_is_0_without_usage_when_key_features_exist()
    {
        var b = new PortfolioBuilder();
        b.Account("acme");
        b.EventType("report");

        var scores = ScoreRun.Score(b.Build(), ScoringModel.Default.WithKeyFeatures("report"));

        Assert.Equal(0, scores.Value("acme", Indicator.Depth));
    }
}
