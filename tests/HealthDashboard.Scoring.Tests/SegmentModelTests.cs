namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// SCORING.md "Segment models and the onboarding model", computed by hand: which model scores an account,
/// and normalization within each model's own accounts.
/// </summary>
public class SegmentModelTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    /// <summary>H = the Engagement score alone: every other indicator weighs 0.</summary>
    private static readonly ScoringModel EngagementOnly = ScoringModel.Default with
    {
        IndicatorWeights = new IndicatorWeights { Engagement = 100, Breadth = 0, Depth = 0, Frequency = 0, Recency = 0, Support = 0, Sentiment = 0, Growth = 0 },
    };

    /// <summary>H = the Recency score alone.</summary>
    private static readonly ScoringModel RecencyOnly = ScoringModel.Default with
    {
        IndicatorWeights = new IndicatorWeights { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 100, Support = 0, Sentiment = 0, Growth = 0 },
    };

    /// <summary>norm(r) with benchmark P and k = 3, SCORING.md's curve written out.</summary>
    private static double Norm(double r, double p) => r >= p ? 100 : 1 + (99 * (1 - Math.Exp(-3 * r / p)) / (1 - Math.Exp(-3)));

    /// <summary>Two default accounts with 10 and 20 clicks, two Enterprise accounts with 100 and 200.</summary>
    private static PortfolioData TwoSegments()
    {
        var b = new PortfolioBuilder();
        foreach (var (id, segment, clicks) in new[] { ("a1", "SMB", 10), ("a2", "SMB", 20), ("e1", "Enterprise", 100), ("e2", "Enterprise", 200) })
        {
            b.AccountUse(b.Account(id, segment: segment), "click", T.AddDays(-1), clicks);
        }

        return b.Build();
    }

    [Fact]
    public void Engagement_is_normalized_within_the_segment_only()
    {
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = EngagementOnly });

        var scores = Scorer.Score(TwoSegments(), T, models);

        // Default population [10, 20]: h = 0.9, P = 10 + 0.9 x 10 = 19. Enterprise [100, 200]: P = 100 + 0.9 x 100 = 190.
        Assert.Equal(19, scores.GroupOf(scores.Local("a1")).EngagementCurve.Benchmark, 1e-9);
        Assert.Equal(190, scores.GroupOf(scores.Local("e1")).EngagementCurve.Benchmark, 1e-9);
        Assert.Equal(Norm(10, 19), scores.HealthOf("a1"), 1e-9);
        Assert.Equal(100, scores.HealthOf("a2"), 1e-9);
        Assert.Equal(Norm(100, 190), scores.HealthOf("e1"), 1e-9);
        Assert.Equal(100, scores.HealthOf("e2"), 1e-9);

        // One model over all four: [10, 20, 100, 200], h = 2.7, P = 100 + 0.7 x 100 = 170: the split changed a1's score.
        var together = Scorer.Score(TwoSegments(), T, ScoringModelSet.Of(EngagementOnly));
        Assert.Equal(Norm(10, 170), together.HealthOf("a1"), 1e-9);
        Assert.NotEqual(together.HealthOf("a1"), scores.HealthOf("a1"), 6);
    }

    [Fact]
    public void Each_account_reports_the_model_and_version_that_scored_it()
    {
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = RecencyOnly })
        {
            Versions = new Dictionary<ModelKey, int> { [ModelKey.Default] = 4, [ModelKey.ForSegment("Enterprise")] = 7 },
        };

        var scores = Scorer.Score(TwoSegments(), T, models);

        Assert.Equal(ModelKey.Default, scores.ModelKeyOf(scores.Local("a1")));
        Assert.Equal(ModelKey.ForSegment("Enterprise"), scores.ModelKeyOf(scores.Local("e2")));
        Assert.Same(RecencyOnly, scores.ModelOf(scores.Local("e2")));
        Assert.Equal(7, models.VersionOf(scores.ModelKeyOf(scores.Local("e2"))));
        Assert.Equal(7, models.LatestVersion);
        // Recency: last row 1 day before T, W = 30: 100 x (1 - 1/30).
        Assert.Equal(100 * (1 - (1.0 / 30)), scores.HealthOf("e1"), 1e-9);
        // Contributions use the account's own model's weights: all of H is Recency's, none Engagement's.
        Assert.Equal(scores.HealthOf("e1"), scores.Contribution(scores.Local("e1"), Indicator.Recency), 1e-9);
        Assert.Equal(0, scores.Contribution(scores.Local("e1"), Indicator.Engagement));
    }

    [Fact]
    public void An_account_that_moved_segment_on_import_is_scored_by_its_new_segments_model()
    {
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = RecencyOnly });
        PortfolioData Data(string segment)
        {
            var b = new PortfolioBuilder();
            b.AccountUse(b.Account("mover", segment: segment), "click", T.AddDays(-3), 5);
            b.AccountUse(b.Account("other", segment: "SMB"), "click", T.AddDays(-1), 50);
            return b.Build();
        }

        var before = Scorer.Score(Data("SMB"), T, models);
        var after = Scorer.Score(Data("Enterprise"), T, models);

        // Before: default model, Engagement over [5, 50]: P = 5 + 0.9 x 45 = 45.5.
        Assert.Equal(ModelKey.Default, before.ModelKeyOf(before.Local("mover")));
        Assert.Equal(Norm(5, 45.5), before.HealthOf("mover"), 1e-9);
        // After: the Enterprise model (Recency only): 3 whole days of 30.
        Assert.Equal(ModelKey.ForSegment("Enterprise"), after.ModelKeyOf(after.Local("mover")));
        Assert.Equal(90, after.HealthOf("mover"), 1e-9);
        // "other" is now alone in the default model: P90 of [50] is 50, so it scores 100.
        Assert.Equal(100, after.HealthOf("other"), 1e-9);
    }

    [Fact]
    public void The_onboarding_model_wins_over_the_segment_until_tenure_reaches_the_period()
    {
        var onboarding = RecencyOnly with { OnboardingDays = 30, Thresholds = new GradeThresholds(95, 90, 80) };
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = EngagementOnly }, onboarding);
        var b = new PortfolioBuilder();
        var young = b.Account("young", created: T.AddDays(-10), segment: "Enterprise");
        var almost = b.Account("almost", created: T.AddDays(-30).AddHours(1), segment: "Enterprise"); // tenure 29 whole days
        var exactly = b.Account("exactly", created: T.AddDays(-30), segment: "Enterprise"); // tenure 30: no longer onboarding
        foreach (var account in new[] { young, almost, exactly })
        {
            b.AccountUse(account, "click", T.AddDays(-2), 1);
        }

        var scores = Scorer.Score(b.Build(), T, models);

        Assert.Equal(ModelKey.Onboarding, scores.ModelKeyOf(scores.Local("young")));
        Assert.Equal(ModelKey.Onboarding, scores.ModelKeyOf(scores.Local("almost")));
        Assert.Equal(ModelKey.ForSegment("Enterprise"), scores.ModelKeyOf(scores.Local("exactly")));
        Assert.Equal(29, ScoringModelSet.TenureDays(b.Build().Accounts[almost].CreatedAt, T));
        // Onboarding: Recency 2 of 30 days = 93.33, graded with the onboarding thresholds (B from 90).
        Assert.Equal(100 * (1 - (2.0 / 30)), scores.HealthOf("young"), 1e-9);
        Assert.Equal(Grade.B, scores.Grades[scores.Local("young")]);
    }

    [Fact]
    public void A_segment_with_a_single_account_is_normalized_against_itself()
    {
        var enterprise = ScoringModel.Default with
        {
            IndicatorWeights = new IndicatorWeights { Engagement = 50, Breadth = 0, Depth = 0, Frequency = 0, Recency = 0, Support = 50, Sentiment = 0, Growth = 0 },
        };
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = enterprise });
        var b = new PortfolioBuilder();
        var solo = b.Account("solo", seats: 10, segment: "Enterprise");
        b.AccountUse(solo, "click", T.AddDays(-1), 3).Ticket(solo, T.AddDays(-2));
        b.AccountUse(b.Account("smb1", segment: "SMB"), "click", T.AddDays(-1), 1000);

        var scores = Scorer.Score(b.Build(), T, models);

        // P90 of one value is that value: Engagement norm(3) = 100; Support raw 0.1 = P, so 101 - 100 = 1.
        var local = scores.Local("solo");
        Assert.Equal(3, scores.GroupOf(local).EngagementCurve.Benchmark, 1e-12);
        Assert.Equal(0.1, scores.GroupOf(local).SupportCurve.Benchmark, 1e-12);
        Assert.Equal(100, scores.Value("solo", Indicator.Engagement));
        Assert.Equal(1, scores.Value("solo", Indicator.Support));
        Assert.Equal(50.5, scores.HealthOf("solo"), 1e-9);
    }

    [Fact]
    public void User_engagement_is_normalized_over_the_users_of_accounts_sharing_the_model()
    {
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = EngagementOnly.WithEventType("click", new EventTypeSettings(2)) });
        var b = new PortfolioBuilder();
        var smb = b.Account("smb", segment: "SMB");
        var ent = b.Account("ent", segment: "Enterprise");
        var s1 = b.User(smb, id: "s1");
        var s2 = b.User(smb, id: "s2");
        var e1 = b.User(ent, id: "e1");
        b.Use(smb, s1, "click", T.AddDays(-1), 10).Use(smb, s2, "click", T.AddDays(-1), 20).Use(ent, e1, "click", T.AddDays(-1), 4);

        var scores = Scorer.Score(b.Build(), T, models);
        var agg = scores.Aggregates;
        double UserScore(string id) => scores.UserEngagement[agg.LocalUserOf[b.Build().Users.Select((u, i) => (u, i)).First(x => x.u.Id == id).i]];

        // SMB users [10, 20]: P = 19. Enterprise user: 4 clicks x weight 2 = 8, alone: 100.
        Assert.Equal(Norm(10, 19), UserScore("s1"), 1e-9);
        Assert.Equal(100, UserScore("s2"), 1e-9);
        Assert.Equal(100, UserScore("e1"), 1e-9);
        Assert.Equal(8, scores.UserEngagementRaw[agg.LocalUserOf[2]], 1e-12);
    }

    [Fact]
    public void A_segment_model_with_its_own_window_reads_only_its_window()
    {
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = RecencyOnly with { WindowDays = 7 } });
        var b = new PortfolioBuilder();
        b.AccountUse(b.Account("smb", segment: "SMB"), "click", T.AddDays(-10), 5);
        b.AccountUse(b.Account("ent", segment: "Enterprise"), "click", T.AddDays(-10), 5);

        var scores = Scorer.Score(b.Build(), T, models);

        // Default W = 30: the row 10 days ago is in window (alone: 100). Enterprise W = 7: recency 10 days >= 7 scores 0, H floors at 1.
        Assert.Equal(100, scores.HealthOf("smb"), 1e-9);
        Assert.Equal(1, scores.HealthOf("ent"), 1e-9);
        Assert.Equal(7, scores.AggregatesOf(scores.Local("ent")).WindowDays);
        Assert.Equal(0, scores.AggregatesOf(scores.Local("ent")).AccountEventCounts.Sum());
    }

    [Fact]
    public void A_set_of_the_default_alone_scores_exactly_as_the_single_model_scorer()
    {
        var data = TwoSegments();
        var model = ScoringModel.Default.WithEventType("click", new EventTypeSettings(3));

        var single = Scorer.Score(WindowAggregates.Build(data, T, 30), model);
        var set = Scorer.Score(data, T, new ScoringModelSet(model, new Dictionary<string, ScoringModel> { ["Nobody"] = EngagementOnly }));

        Assert.Equal(single.Health, set.Health);
        Assert.Equal(single.Values, set.Values);
        Assert.Single(set.Groups);
    }

    [Fact]
    public void Removing_a_segment_model_returns_its_accounts_to_the_default()
    {
        var models = new ScoringModelSet(EngagementOnly, new Dictionary<string, ScoringModel> { ["Enterprise"] = RecencyOnly });

        var scores = Scorer.Score(TwoSegments(), T, models.Without(ModelKey.ForSegment("Enterprise")));

        Assert.Equal(ModelKey.Default, scores.ModelKeyOf(scores.Local("e1")));
        Assert.Equal(170, scores.EngagementCurve.Benchmark, 1e-9);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("onboarding")]
    [InlineData("segment:Mid Market")]
    public void Model_keys_read_back_their_names(string name) =>
        Assert.Equal(name, ModelKey.Parse(name).ToString());
}
