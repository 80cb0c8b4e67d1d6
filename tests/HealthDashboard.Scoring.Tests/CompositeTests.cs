namespace HealthDashboard.Scoring.Tests;

/// <summary>H = sum of w_i x_i / sum of w_i over indicators with a value, clamped to [1, 100].</summary>
public class CompositeTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    private static readonly ScoringModel KeyModel = ScoringModel.Default.WithKeyFeatures("login", "report");

    /// <summary>
    /// One account with every indicator at a known value:
    /// Engagement 100 (the only account: raw 9 >= P = 9), Breadth 2 / 4 seats = 50, Depth 1 / 2 key types = 50,
    /// Frequency (3 + 6) / 2 / (30 x 5/7) = 0.21 -> 21, Recency d = 3 -> 90, Support no tickets -> 100,
    /// Sentiment NPS 6 -> 60, Growth 1000 -> 1100 = +10 % -> 85.
    /// </summary>
    private static PortfolioData Full(bool withSentimentAndGrowth = true)
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 4);
        var ann = b.User(acme);
        var bob = b.User(acme);
        b.Use(acme, ann, "login", T.AddDays(-3).AddHours(-1)).Use(acme, ann, "login", T.AddDays(-10)).Use(acme, ann, "login", T.AddDays(-20));
        for (var day = 4; day <= 9; day++)
        {
            b.Use(acme, bob, "login", T.AddDays(-day));
        }

        b.EventType("report");
        if (withSentimentAndGrowth)
        {
            b.Survey(acme, T.AddDays(-5), SurveyKind.Nps, 6);
            b.Revenue(acme, T.AddDays(-100), 1000).Revenue(acme, T.AddDays(-10), 1100);
        }

        return b.Build();
    }

    [Fact]
    public void Default_weights_are_the_contract_weights()
    {
        var w = ScoringModel.Default.IndicatorWeights;

        Assert.Equal(
            [25.0, 15, 15, 10, 10, 10, 10, 5],
            Indicators.All.Select(i => w[i]).ToArray());
        Assert.Equal(100, w.Total);
    }

    [Fact]
    public void Every_indicator_has_its_hand_computed_value()
    {
        var scores = ScoreRun.Score(Full(), KeyModel);

        Assert.Equal(100, scores.Value("acme", Indicator.Engagement));
        Assert.Equal(50, scores.Value("acme", Indicator.Breadth));
        Assert.Equal(50, scores.Value("acme", Indicator.Depth));
        Assert.Equal(21, scores.Value("acme", Indicator.Frequency)!.Value, 1e-9);
        Assert.Equal(90, scores.Value("acme", Indicator.Recency)!.Value, 1e-9);
        Assert.Equal(100, scores.Value("acme", Indicator.Support));
        Assert.Equal(60, scores.Value("acme", Indicator.Sentiment));
        Assert.Equal(85, scores.Value("acme", Indicator.Growth)!.Value, 1e-9);
    }

    [Fact]
    public void Composite_with_default_weights()
    {
        var scores = ScoreRun.Score(Full(), KeyModel);

        // (25 x 100 + 15 x 50 + 15 x 50 + 10 x 21 + 10 x 90 + 10 x 100 + 10 x 60 + 5 x 85) / 100
        // = (2500 + 750 + 750 + 210 + 900 + 1000 + 600 + 425) / 100 = 7135 / 100 = 71.35 -> B
        Assert.Equal(71.35, scores.HealthOf("acme"), 1e-9);
        Assert.Equal(Grade.B, scores.Grades[scores.Local("acme")]);
        Assert.Equal(100, scores.WeightTotals[scores.Local("acme")]);
    }

    [Fact]
    public void Contributions_are_weighted_values_over_the_weight_total_and_add_up_to_H()
    {
        var scores = ScoreRun.Score(Full(), KeyModel);
        var a = scores.Local("acme");

        // w x / 100: 25, 7.5, 7.5, 2.1, 9, 10, 6, 4.25
        double[] expected = [25, 7.5, 7.5, 2.1, 9, 10, 6, 4.25];
        for (var i = 0; i < Indicators.Count; i++)
        {
            Assert.Equal(expected[i], scores.Contribution(a, (Indicator)i), 1e-9);
        }

        Assert.Equal(71.35, scores.ContributionSum("acme"), 1e-9);
    }

    [Fact]
    public void Missing_indicators_drop_out_and_the_rest_are_reweighted()
    {
        var scores = ScoreRun.Score(Full(withSentimentAndGrowth: false), KeyModel);
        var a = scores.Local("acme");

        Assert.Null(scores.Value("acme", Indicator.Sentiment));
        Assert.Null(scores.Value("acme", Indicator.Growth));
        // weights with a value: 100 - 10 - 5 = 85; sum w x = 7135 - 600 - 425 = 6110; H = 6110 / 85 = 71.882
        Assert.Equal(85, scores.WeightTotals[a]);
        Assert.Equal(6110 / 85.0, scores.HealthOf("acme"), 1e-9);
        // Engagement now contributes 25 x 100 / 85 = 29.41; the missing ones nothing
        Assert.Equal(2500 / 85.0, scores.Contribution(a, Indicator.Engagement), 1e-9);
        Assert.Equal(0, scores.Contribution(a, Indicator.Sentiment));
        Assert.Equal(0, scores.Contribution(a, Indicator.Growth));
        Assert.Equal(6110 / 85.0, scores.ContributionSum("acme"), 1e-9);
    }

    [Fact]
    public void Weight_0_turns_an_indicator_off()
    {
        var model = KeyModel with { IndicatorWeights = KeyModel.IndicatorWeights.With(Indicator.Recency, 0) };

        var scores = ScoreRun.Score(Full(), model);
        var a = scores.Local("acme");

        // (7135 - 10 x 90) / (100 - 10) = 6235 / 90 = 69.278 -> C (was 71.35, B)
        Assert.Equal(6235 / 90.0, scores.HealthOf("acme"), 1e-9);
        Assert.Equal(Grade.C, scores.Grades[a]);
        Assert.Equal(0, scores.Contribution(a, Indicator.Recency));
        // the indicator is still computed and shown
        Assert.Equal(90, scores.Value("acme", Indicator.Recency)!.Value, 1e-9);
    }

    [Fact]
    public void Custom_weights_reweight_the_composite()
    {
        var model = KeyModel with { IndicatorWeights = KeyModel.IndicatorWeights.With(Indicator.Engagement, 50) };

        var scores = ScoreRun.Score(Full(), model);

        // (7135 + 25 x 100) / 125 = 9635 / 125 = 77.08
        Assert.Equal(77.08, scores.HealthOf("acme"), 1e-9);
    }

    [Fact]
    public void Composite_is_clamped_to_at_least_1()
    {
        var b = new PortfolioBuilder();
        var low = b.Account("low", seats: 1);
        b.EventType("login");
        b.Ticket(low, T.AddDays(-2))
            .Survey(low, T.AddDays(-3), SurveyKind.Nps, 0)
            .Revenue(low, T.AddDays(-120), 1000).Revenue(low, T.AddDays(-1), 100);

        var scores = ScoreRun.Score(b.Build(), ScoringModel.Default.WithKeyFeatures("login"));

        // Engagement 1 (all raw 0), Breadth 0, Depth 0, Frequency 0, Recency 0 (never active),
        // Support 101 - 100 = 1 (the only raw value is P), Sentiment 0, Growth clamp(70 + 150 x -0.9) = 0
        // H = (25 x 1 + 10 x 1) / 100 = 0.35 -> clamped to 1, grade D
        Assert.Equal(0.35, scores.ContributionSum("low"), 1e-9);
        Assert.Equal(1, scores.HealthOf("low"));
        Assert.Equal(Grade.D, scores.Grades[scores.Local("low")]);
    }

    [Fact]
    public void Account_whose_weighted_indicators_are_all_missing_scores_the_floor()
    {
        // Documented reading (Scorer remarks): 0 / 0 has no value; the account scores 1, grade D.
        var weights = new IndicatorWeights { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 0, Support = 0, Sentiment = 100, Growth = 0 };
        var model = ScoringModel.Default with { IndicatorWeights = weights };

        var scores = ScoreRun.Score(Full(withSentimentAndGrowth: false), model);

        Assert.Empty(model.Validate());
        Assert.Equal(1, scores.HealthOf("acme"));
        Assert.Equal(Grade.D, scores.Grades[scores.Local("acme")]);
    }

    [Fact]
    public void Model_with_another_window_than_the_aggregates_is_refused()
    {
        var aggregates = WindowAggregates.Build(Full(), T, 30);

        Assert.Throws<ArgumentException>(() => Scorer.Score(aggregates, ScoringModel.Default with { WindowDays = 14 }));
    }

    [Fact]
    public void Grade_is_taken_from_the_unrounded_composite()
    {
        // H = 71.35 rounds to 71 on a page; with B from 71.2 the unrounded H is a B, the rounded one would be a C
        var model = KeyModel with { Thresholds = new GradeThresholds(A: 90, B: 71.2, C: 40) };

        var scores = ScoreRun.Score(Full(), model);

        Assert.Equal(71, Indicators.RoundAway(scores.HealthOf("acme")));
        Assert.Equal(Grade.B, scores.Grades[scores.Local("acme")]);
        Assert.Equal(Band.Green, scores.BandOf(scores.Local("acme")));
    }
}
