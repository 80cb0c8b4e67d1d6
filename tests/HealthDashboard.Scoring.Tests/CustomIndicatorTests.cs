namespace HealthDashboard.Scoring.Tests;

/// <summary>SCORING.md "Custom indicators", computed by hand: the value read at T, each scoring kind and direction, and the composite.</summary>
public class CustomIndicatorTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    /// <summary>Every built-in weight 0, so H is the custom indicators' weighted mean alone.</summary>
    private static readonly IndicatorWeights NoBuiltIns = new() { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 0, Support = 0, Sentiment = 0, Growth = 0 };

    private static ScoringModel With(params CustomIndicator[] customs) => ScoringModel.Default with { IndicatorWeights = NoBuiltIns, CustomIndicators = customs };

    private static CustomIndicator Sponsor(CustomScoring scoring = CustomScoring.Direct, bool higherIsBetter = true, int maxAge = 90, double? worst = null, double? best = null) =>
        new() { Key = "sponsor", Name = "Exec sponsor", Metric = "sponsor_sentiment", Weight = 10, Scoring = scoring, HigherIsBetter = higherIsBetter, MaxAgeDays = maxAge, Worst = worst, Best = best };

    private static double Norm(double r, double p) => r >= p ? 100 : 1 + (99 * (1 - Math.Exp(-3 * r / p)) / (1 - Math.Exp(-3)));

    private static PortfolioScores Score(PortfolioBuilder b, ScoringModel model) => Scorer.Score(b.Build(), T, ScoringModelSet.Of(model));

    private static double? Custom(PortfolioScores scores, string account, string key = "sponsor") =>
        scores.CustomValue(scores.Local(account), scores.CustomKeys.ToList().IndexOf(key));

    [Theory]
    [InlineData(true, 72, 72)]
    [InlineData(false, 72, 28)]
    [InlineData(true, 130, 100)]
    [InlineData(false, -5, 100)]
    public void Direct_clamps_to_0_100_and_lower_is_better_takes_100_minus(bool higherIsBetter, double value, double expected)
    {
        var b = new PortfolioBuilder();
        b.Metric(b.Account("acme"), "sponsor_sentiment", T.AddDays(-3), value);

        var scores = Score(b, With(Sponsor(higherIsBetter: higherIsBetter)));

        Assert.Equal(expected, Custom(scores, "acme"));
        Assert.Equal(expected, scores.HealthOf("acme"), 1e-9);
    }

    [Theory]
    [InlineData(0, 10, 2.5, 25)]
    [InlineData(0, 10, 12, 100)]
    [InlineData(10, 0, 2.5, 75)] // worst above best: a lower-is-better metric (days to first value)
    [InlineData(10, 0, 11, 0)]
    public void Range_scores_between_worst_and_best(double worst, double best, double value, double expected)
    {
        var b = new PortfolioBuilder();
        b.Metric(b.Account("acme"), "sponsor_sentiment", T.AddDays(-1), value);

        var scores = Score(b, With(Sponsor(CustomScoring.Range, worst: worst, best: best)));

        Assert.Equal(expected, Custom(scores, "acme")!.Value, 1e-9);
    }

    [Fact]
    public void Curve_normalizes_over_the_accounts_that_have_a_value_only()
    {
        var b = new PortfolioBuilder();
        b.Metric(b.Account("a"), "sponsor_sentiment", T.AddDays(-1), 10);
        b.Metric(b.Account("b"), "sponsor_sentiment", T.AddDays(-1), 20);
        b.Account("none"); // no value: not in the curve's population (else P90 of [0?, 10, 20] would differ)

        var higher = Score(b, With(Sponsor(CustomScoring.Curve)));
        var lower = Score(b, With(Sponsor(CustomScoring.Curve, higherIsBetter: false)));

        // Population [10, 20]: P = 10 + 0.9 x 10 = 19.
        Assert.Equal(19, higher.Groups[0].CustomCurves[0]!.Value.Benchmark, 1e-9);
        Assert.Equal(Norm(10, 19), Custom(higher, "a")!.Value, 1e-9);
        Assert.Equal(100, Custom(higher, "b")!.Value, 1e-9);
        Assert.Null(Custom(higher, "none"));
        Assert.Equal(101 - Norm(10, 19), Custom(lower, "a")!.Value, 1e-9);
        Assert.Equal(1, Custom(lower, "b")!.Value, 1e-9);
    }

    [Fact]
    public void Curve_scores_a_negative_value_1_like_0_and_the_others_on_the_curve_over_all_that_have_a_value()
    {
        var b = new PortfolioBuilder();
        b.Metric(b.Account("neg"), "sponsor_sentiment", T.AddDays(-1), -10);
        b.Metric(b.Account("mid"), "sponsor_sentiment", T.AddDays(-1), 20);
        b.Metric(b.Account("top"), "sponsor_sentiment", T.AddDays(-1), 40);

        var higher = Score(b, With(Sponsor(CustomScoring.Curve)));
        var lower = Score(b, With(Sponsor(CustomScoring.Curve, higherIsBetter: false)));

        // Population [-10, 20, 40]: h = 2 x 0.9 = 1.8, P = 20 + 0.8 x (40 - 20) = 36. The formula at -10 would give
        // 1 + 99 (1 - e^(30/36)) / (1 - e^-3) = -134.5; a value at or below 0 scores 1, as 0 does.
        Assert.Equal(36, higher.Groups[0].CustomCurves[0]!.Value.Benchmark, 1e-9);
        Assert.Equal(1, Custom(higher, "neg"));
        Assert.Equal(1 + (99 * (1 - Math.Exp(-3 * 20 / 36.0)) / (1 - Math.Exp(-3))), Custom(higher, "mid")!.Value, 1e-9); // 85.51
        Assert.Equal(85.51, Math.Round(Custom(higher, "mid")!.Value, 2));
        Assert.Equal(100, Custom(higher, "top"));
        Assert.Equal(100, Custom(lower, "neg"));
        Assert.Equal(15.49, Math.Round(Custom(lower, "mid")!.Value, 2));
        Assert.Equal(1, Custom(lower, "top"));
    }

    [Fact]
    public void Curve_of_only_negative_values_scores_every_one_1()
    {
        var b = new PortfolioBuilder();
        b.Metric(b.Account("a"), "sponsor_sentiment", T.AddDays(-1), -5);
        b.Metric(b.Account("b"), "sponsor_sentiment", T.AddDays(-1), -1);

        var higher = Score(b, With(Sponsor(CustomScoring.Curve)));
        var lower = Score(b, With(Sponsor(CustomScoring.Curve, higherIsBetter: false)));

        // max(R) = -1 <= 0: every value scores 1 (SCORING.md "Normalization curve", step 2).
        Assert.Equal([1.0, 1.0], new[] { Custom(higher, "a")!.Value, Custom(higher, "b")!.Value });
        Assert.Equal([100.0, 100.0], new[] { Custom(lower, "a")!.Value, Custom(lower, "b")!.Value });
    }

    [Fact]
    public void A_weight_0_curve_over_a_far_negative_value_leaves_health_finite_and_contributes_nothing()
    {
        // P = 0.001 + 0.8 x 0.001 = 0.0018: the formula at -1e12 is 1 + 99 (1 - e^(3e12 / 0.0018)) / ... = -infinity,
        // and 0 x -infinity would make the health NaN.
        var model = ScoringModel.Default with
        {
            IndicatorWeights = NoBuiltIns with { Recency = 30 },
            CustomIndicators = [Sponsor(CustomScoring.Curve) with { Weight = 0 }],
        };
        var b = new PortfolioBuilder();
        var deep = b.Account("deep");
        b.AccountUse(deep, "login", T.AddDays(-3)).Metric(deep, "sponsor_sentiment", T.AddDays(-1), -1e12);
        b.Metric(b.Account("small"), "sponsor_sentiment", T.AddDays(-1), 0.001);
        b.Metric(b.Account("tiny"), "sponsor_sentiment", T.AddDays(-1), 0.002);

        var scores = Score(b, model);
        var a = scores.Local("deep");

        Assert.Equal(1, Custom(scores, "deep"));
        // Recency 100 (1 - 3/30) = 90 alone carries weight: H = (30 x 90 + 0 x 1) / 30 = 90.
        Assert.Equal(90, scores.HealthOf("deep"), 1e-9);
        Assert.Equal(0, scores.CustomContribution(a, 0));
        Assert.All(scores.Health, h => Assert.True(double.IsFinite(h)));
        Assert.All(scores.CustomValues, x => Assert.True(double.IsNaN(x) || (x >= 1 && x <= 100), $"custom score {x}"));
    }

    [Fact]
    public void A_weight_0_custom_indicator_with_a_value_changes_neither_health_nor_the_weight_total()
    {
        var model = ScoringModel.Default with
        {
            IndicatorWeights = NoBuiltIns with { Recency = 30 },
            CustomIndicators = [Sponsor() with { Weight = 0 }],
        };
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.AccountUse(acme, "login", T.AddDays(-6)).Metric(acme, "sponsor_sentiment", T.AddDays(-1), 12);

        var scores = Score(b, model);
        var a = scores.Local("acme");

        // Recency 100 (1 - 6/30) = 80; the sponsor's 12 shows but weighs 0.
        Assert.Equal(12, Custom(scores, "acme"));
        Assert.Equal(80, scores.HealthOf("acme"), 1e-9);
        Assert.Equal(30, scores.WeightTotals[a]);
        Assert.Equal(0, scores.CustomContribution(a, 0));
    }

    [Fact]
    public void Restore_takes_a_stored_custom_score_and_reading_and_keeps_the_data_s_where_the_row_has_none()
    {
        var model = ScoringModel.Default with
        {
            IndicatorWeights = NoBuiltIns with { Recency = 30 },
            CustomIndicators = [Sponsor() with { Weight = 10 }],
        };
        var b = new PortfolioBuilder();
        var (stored, old) = (b.Account("stored"), b.Account("old"));
        b.Metric(stored, "sponsor_sentiment", T.AddDays(-1), 50).Metric(old, "sponsor_sentiment", T.AddDays(-1), 70);
        var values = Enumerable.Repeat(double.NaN, Indicators.Count).ToArray();
        values[(int)Indicator.Recency] = 40;
        var at = T.AddDays(-20);

        var scores = Scorer.Restore(b.Build(), T, ScoringModelSet.Of(model), id => id switch
        {
            "stored" => new StoredAccountScores(42, Grade.C, values, values, new Dictionary<string, StoredCustomScore> { ["sponsor"] = new(46, new MetricReading(46, at)) }),
            "old" => new StoredAccountScores(40, Grade.C, values, values),
            _ => null,
        });

        var (s, o) = (scores.Local("stored"), scores.Local("old"));
        Assert.Equal(46, Custom(scores, "stored"));
        Assert.Equal(new MetricReading(46, at), scores.CustomReading(s, 0));
        // Weight totals follow the stored values: recency 30 + sponsor 10; the contribution is 10 x 46 / 40.
        Assert.Equal(40, scores.WeightTotals[s]);
        Assert.Equal(11.5, scores.CustomContribution(s, 0), 1e-9);
        Assert.Equal(42, scores.Health[s]);
        // A row stored without custom scores keeps the value the data gives.
        Assert.Equal(70, Custom(scores, "old"));
        Assert.Equal(40, scores.WeightTotals[o]);
    }

    [Fact]
    public void A_value_exactly_max_age_days_old_is_out_and_one_a_second_younger_is_in()
    {
        var b = new PortfolioBuilder();
        b.Metric(b.Account("old"), "sponsor_sentiment", T.AddDays(-30), 80);
        b.Metric(b.Account("young"), "sponsor_sentiment", T.AddDays(-30).AddSeconds(1), 80);

        var scores = Score(b, With(Sponsor(maxAge: 30)));

        Assert.Null(Custom(scores, "old"));
        Assert.Equal(80, Custom(scores, "young"));
    }

    [Fact]
    public void Of_two_values_at_the_same_time_the_last_imported_wins_and_a_value_after_T_is_never_read()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.Metric(acme, "sponsor_sentiment", T.AddDays(-2), 40)
            .Metric(acme, "sponsor_sentiment", T.AddDays(-2), 65)
            .Metric(acme, "sponsor_sentiment", T.AddSeconds(1), 99)
            .Metric(acme, "sponsor_sentiment", T.AddDays(-10), 10);

        var scores = Score(b, With(Sponsor()));

        Assert.Equal(65, Custom(scores, "acme"));
        Assert.Equal(T.AddDays(-2).Ticks, scores.CustomTicks[scores.Local("acme")]);
    }

    [Fact]
    public void A_missing_metric_drops_out_of_the_composite_and_the_rest_is_reweighted()
    {
        var model = ScoringModel.Default with
        {
            IndicatorWeights = NoBuiltIns with { Recency = 30 },
            CustomIndicators = [Sponsor() with { Weight = 10 }, new CustomIndicator { Key = "onboarding", Name = "Onboarding", Metric = "onboarding_pct", Weight = 60 }],
        };
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.AccountUse(acme, "login", T.AddDays(-3)).Metric(acme, "sponsor_sentiment", T.AddDays(-5), 50);

        var scores = Score(b, model);

        // Recency 100 (1 - 3/30) = 90 weight 30, sponsor 50 weight 10, onboarding missing: (30 x 90 + 10 x 50) / 40 = 80.
        Assert.Null(Custom(scores, "acme", "onboarding"));
        Assert.Equal(80, scores.HealthOf("acme"), 1e-9);
        Assert.Equal(12.5, scores.CustomContribution(scores.Local("acme"), 0), 1e-9);
        Assert.Equal(80, scores.Contribution(scores.Local("acme"), Indicator.Recency) + scores.CustomContribution(scores.Local("acme"), 0), 1e-9);
    }

    [Fact]
    public void Columns_are_the_union_of_keys_default_first_then_segments_by_name_then_onboarding_and_empty_where_a_model_lacks_one()
    {
        var onboarding = With(new CustomIndicator { Key = "onboarding", Name = "Onboarding", Metric = "onboarding_pct", Weight = 50 }) with { OnboardingDays = 30 };
        var models = new ScoringModelSet(With(Sponsor()), new Dictionary<string, ScoringModel>
        {
            ["Zeta"] = With(new CustomIndicator { Key = "zeta_only", Name = "Z", Metric = "z", Weight = 5 }, Sponsor()),
            ["Alpha"] = With(new CustomIndicator { Key = "alpha_only", Name = "A", Metric = "a", Weight = 5 }),
        }, onboarding);
        var b = new PortfolioBuilder();
        b.Metric(b.Account("alpha1", segment: "Alpha"), "sponsor_sentiment", T.AddDays(-1), 70);

        var scores = Scorer.Score(b.Build(), T, models);

        Assert.Equal(["sponsor", "alpha_only", "zeta_only", "onboarding"], scores.CustomKeys);
        Assert.Null(Custom(scores, "alpha1")); // the Alpha model has no sponsor indicator, though the metric exists
    }

    [Fact]
    public void Custom_indicator_keys_are_validated()
    {
        var model = With(
            Sponsor() with { Key = "engagement" },
            Sponsor() with { Key = "Bad Key" },
            Sponsor() with { Weight = 101 },
            Sponsor(CustomScoring.Range, worst: 5, best: 5),
            Sponsor(CustomScoring.Range));

        var messages = model.Validate().Select(p => p.Message).ToList();

        Assert.Contains("Custom indicator 'engagement': the key 'engagement' is taken by a built-in column; choose another.", messages);
        Assert.Contains("Custom indicator 'Bad Key': the key must be 1-100 lower-case letters, digits or underscores, starting with a letter.", messages);
        Assert.Contains("Custom indicator 'sponsor': the weight must be between 0 and 100 (got 101).", messages);
        Assert.Contains("Custom indicator 'sponsor': the best value must differ from the worst (5).", messages);
        Assert.Contains("Custom indicator 'sponsor': range scoring needs a worst and a best value.", messages);
        Assert.Contains("Custom indicator key 'sponsor' is used 3 times; keys must be unique.", messages);
    }

    [Fact]
    public void A_model_with_custom_indicators_reads_back_from_its_json()
    {
        var model = With(Sponsor(CustomScoring.Range, worst: 10, best: 0) with { MaxAgeDays = 45 });

        var json = model.ToJson();

        Assert.Contains("\"customIndicators\"", json, StringComparison.Ordinal);
        Assert.Contains("\"scoring\": \"range\"", json, StringComparison.Ordinal);
        Assert.Contains("\"higherIsBetter\": true", json, StringComparison.Ordinal);
        Assert.Equal(model, ScoringModel.FromJson(json));
        Assert.DoesNotContain("customIndicators", ScoringModel.Default.ToJson(), StringComparison.Ordinal);
    }
}
