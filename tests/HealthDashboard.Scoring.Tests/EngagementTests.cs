namespace HealthDashboard.Scoring.Tests;

/// <summary>Engagement: sum over event types of count in window x weight, normalized over scored accounts; user engagement over scored users.</summary>
public class EngagementTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    /// <summary>share 9, report 7, login 5: the seed example's weights. Other types default to weight 1.</summary>
    private static readonly ScoringModel SeedModel = ScoringModel.Default
        .WithEventType("share", new EventTypeSettings(9))
        .WithEventType("report", new EventTypeSettings(7))
        .WithEventType("login", new EventTypeSettings(5));

    /// <summary>
    /// Thirteen accounts whose raw values are the contract's test vector with 101 replaced by the seed
    /// account's 112; sorted: 1 2 3 7 9 13 21 37 89 112 149 223 475, so still x[10] = 149, x[11] = 223, P = 208.2.
    /// </summary>
    private static PortfolioData SeedPortfolio()
    {
        var b = new PortfolioBuilder();
        var seed = b.Account("seed");
        var ann = b.User(seed);
        var bob = b.User(seed);
        b.Use(seed, ann, "share", T.AddDays(-3), 3)
            .Use(seed, bob, "report", T.AddDays(-20), 2)
            .AccountUse(seed, "report", T.AddDays(-1), 3)
            .Use(seed, ann, "login", T.AddHours(-5), 4)
            .Use(seed, bob, "login", T.AddDays(-29), 6);

        double[] others = [475, 89, 7, 3, 21, 2, 149, 223, 1, 13, 9, 37];
        for (var i = 0; i < others.Length; i++)
        {
            var account = b.Account($"other{i:D2}");
            b.AccountUse(account, "click", T.AddDays(-2), (int)others[i]);
        }

        // A churned account's huge usage must not move the benchmark.
        var gone = b.Account("gone", churned: T.AddDays(-1));
        b.AccountUse(gone, "click", T.AddDays(-5), 100_000);
        return b.Build();
    }

    [Fact]
    public void Seed_example_raw_value_is_112()
    {
        var scores = ScoreRun.Score(SeedPortfolio(), SeedModel);

        // share 3 x 9 + report (2 + 3) x 7 + login (4 + 6) x 5 = 27 + 35 + 50 = 112
        Assert.Equal(112, scores.Raw("seed", Indicator.Engagement));
    }

    [Fact]
    public void Engagement_is_normalized_over_the_scored_accounts()
    {
        var scores = ScoreRun.Score(SeedPortfolio(), SeedModel);

        Assert.Equal(12 + 1, scores.AccountCount); // "gone" is not scored
        Assert.Equal(208.2, scores.EngagementCurve.Benchmark, 1e-9);
        // norm(112) with P = 208.2, k = 3 = 84.44 (contract test vector)
        Assert.Equal(84.44, scores.Value("seed", Indicator.Engagement)!.Value, 2);
        // 475 >= P: 100; 223 >= P: 100
        Assert.Equal(100, scores.Value("other00", Indicator.Engagement));
        Assert.Equal(100, scores.Value("other07", Indicator.Engagement));
        // norm(1) = 1 + 99 (1 - e^(-3/208.2)) / (1 - e^-3) = 1 + 99 x 0.014306 / 0.950213 = 2.49
        Assert.Equal(2.49, scores.Value("other08", Indicator.Engagement)!.Value, 2);
    }

    [Fact]
    public void Weight_0_event_type_adds_no_engagement()
    {
        var model = SeedModel.WithEventType("share", new EventTypeSettings(0));

        var scores = ScoreRun.Score(SeedPortfolio(), model);

        // 112 - 3 x 9 = 85
        Assert.Equal(85, scores.Raw("seed", Indicator.Engagement));
    }

    [Fact]
    public void Event_type_the_model_does_not_list_weighs_1()
    {
        var scores = ScoreRun.Score(SeedPortfolio(), SeedModel);

        // "click" is not in the model: 475 rows x 1
        Assert.Equal(475, scores.Raw("other00", Indicator.Engagement));
    }

    [Fact]
    public void User_engagement_is_normalized_over_scored_users()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        var idle = b.User(acme);
        var low = b.User(acme);
        var high = b.User(acme);
        var late = b.User(acme, created: T.AddDays(1));
        b.Use(acme, low, "login", T.AddDays(-4), 10)
            .Use(acme, high, "report", T.AddDays(-6), 10)
            .AccountUse(acme, "login", T.AddDays(-2), 500); // names no user: no user's engagement
        var gone = b.Account("gone", churned: T);
        var goneUser = b.User(gone);
        b.Use(gone, goneUser, "login", T.AddDays(-3), 1000);
        var model = ScoringModel.Default.WithEventType("report", new EventTypeSettings(2));

        var scores = ScoreRun.Score(b.Build(), model);
        var agg = scores.Aggregates;
        double UserScore(int user) => scores.UserEngagement[agg.LocalUserOf[user]];
        double UserRaw(int user) => scores.UserEngagementRaw[agg.LocalUserOf[user]];

        // scored users: idle, low, high (late is created after T, goneUser's account is churned at T)
        Assert.Equal(3, agg.Users.Length);
        Assert.Equal(-1, agg.LocalUserOf[late]);
        Assert.Equal(-1, agg.LocalUserOf[goneUser]);
        // raw: idle 0, low 10 x 1 = 10, high 10 x 2 = 20
        Assert.Equal(0, UserRaw(idle));
        Assert.Equal(10, UserRaw(low));
        Assert.Equal(20, UserRaw(high));
        // sorted 0 10 20: n = 3, h = 1.8, P = 10 + 0.8 x 10 = 18
        Assert.Equal(18, scores.UserEngagementCurve.Benchmark, 1e-9);
        Assert.Equal(1, UserScore(idle), 1e-12);
        // norm(10) = 1 + 99 (1 - e^(-30/18)) / (1 - e^-3) = 1 + 99 x 0.811124 / 0.950213 = 85.51
        Assert.Equal(85.51, UserScore(low), 2);
        Assert.Equal(100, UserScore(high));
        // the account's engagement counts the account-level rows: 10 + 20 + 500
        Assert.Equal(530, scores.Raw("acme", Indicator.Engagement));
    }
}
