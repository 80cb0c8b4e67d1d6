namespace HealthDashboard.Scoring.Tests;

/// <summary>SCORING.md "Suggested weights": whole weights summing to 100, fitted on the training times only.</summary>
public class WeightFitTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Six evaluation times of 60 accounts: churn follows low Recency and Support (with noise), while Engagement
    /// is noise the default model leans on. Labels of the hold-out times come from <paramref name="holdoutLabel"/>.
    /// </summary>
    private static BacktestSample Synthetic(Func<int, int, bool>? holdoutLabel = null)
    {
        var random = new Random(7);
        var sample = new BacktestSample(90);
        for (var t = 0; t < 6; t++)
        {
            for (var a = 0; a < 60; a++)
            {
                var values = new double[Indicators.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = 1 + (99 * random.NextDouble());
                }

                if (a % 7 == 0)
                {
                    values[(int)Indicator.Growth] = double.NaN;
                }

                var risk = (200 - values[(int)Indicator.Recency] - values[(int)Indicator.Support]) / 200;
                var churned = random.NextDouble() < risk * risk * 0.8;
                if (t >= 4 && holdoutLabel is not null)
                {
                    churned = holdoutLabel(t, a);
                }

                var weights = new IndicatorWeights();
                var health = Indicators.All.Where(i => !double.IsNaN(values[(int)i])).Sum(i => weights[i] * values[(int)i])
                    / Indicators.All.Where(i => !double.IsNaN(values[(int)i])).Sum(i => weights[i]);
                sample.AddPair(Start.AddMonths(t), $"acct{a}", health, churned, new GradeThresholds(), values);
            }
        }

        return sample;
    }

    [Fact]
    public void Suggested_weights_are_non_negative_whole_numbers_summing_to_100()
    {
        var suggestion = WeightFit.Suggest(Synthetic(), new IndicatorWeights());

        Assert.All(Indicators.All, i => Assert.True(suggestion.Weights[i] >= 0 && suggestion.Weights[i] == Math.Floor(suggestion.Weights[i])));
        Assert.Equal(100, suggestion.Weights.Total);
    }

    [Fact]
    public void The_first_two_thirds_of_the_times_train_and_the_rest_are_held_out()
    {
        var suggestion = WeightFit.Suggest(Synthetic(), new IndicatorWeights());

        Assert.Equal(Enumerable.Range(0, 4).Select(m => Start.AddMonths(m)), suggestion.TrainingTimes);
        Assert.Equal([Start.AddMonths(4), Start.AddMonths(5)], suggestion.HoldoutTimes);
    }

    [Fact]
    public void The_fit_finds_the_indicators_churn_follows_and_beats_the_current_weights_in_training()
    {
        var suggestion = WeightFit.Suggest(Synthetic(), new IndicatorWeights());

        Assert.True(suggestion.TrainAuc > suggestion.CurrentTrainAuc + 0.05, $"train {suggestion.TrainAuc} vs current {suggestion.CurrentTrainAuc}");
        Assert.True(suggestion.Weights.Recency + suggestion.Weights.Support >= 60, suggestion.Weights.ToString());
        Assert.True(suggestion.HoldoutAuc > suggestion.CurrentHoldoutAuc, $"hold-out {suggestion.HoldoutAuc} vs current {suggestion.CurrentHoldoutAuc}");
    }

    [Fact]
    public void The_reported_training_auc_is_the_auc_of_the_suggested_weights_on_the_training_pairs()
    {
        var sample = Synthetic();
        var suggestion = WeightFit.Suggest(sample, new IndicatorWeights());
        var training = PairSet.Of(sample, p => p.TimeIndex < 4);

        Assert.Equal(training.Auc(suggestion.Weights), suggestion.TrainAuc);
    }

    [Fact]
    public void Changing_only_hold_out_labels_gives_the_same_weights()
    {
        var original = WeightFit.Suggest(Synthetic(), new IndicatorWeights());
        var allChurn = WeightFit.Suggest(Synthetic((_, a) => a % 2 == 0), new IndicatorWeights());
        var inverted = WeightFit.Suggest(Synthetic((t, a) => (a + t) % 3 == 0), new IndicatorWeights());

        Assert.Equal(original.Weights, allChurn.Weights);
        Assert.Equal(original.Weights, inverted.Weights);
        Assert.Equal(original.TrainAuc, inverted.TrainAuc);
        Assert.NotEqual(original.HoldoutAuc, inverted.HoldoutAuc);
    }

    [Fact]
    public void A_single_evaluation_time_cannot_be_split()
    {
        var sample = new BacktestSample(90);
        sample.AddPair(Start, "a", 50, true, new GradeThresholds());

        Assert.Throws<ArgumentException>(() => WeightFit.Suggest(sample, new IndicatorWeights()));
    }

    [Fact]
    public void Current_weights_are_scaled_to_whole_numbers_summing_to_100()
    {
        Assert.Equal([25, 15, 15, 10, 10, 10, 10, 5], WeightFit.ToWholeHundred(new IndicatorWeights()));
        var thirds = new IndicatorWeights { Engagement = 1, Breadth = 1, Depth = 1, Frequency = 0, Recency = 0, Support = 0, Sentiment = 0, Growth = 0 };
        Assert.Equal([34, 33, 33, 0, 0, 0, 0, 0], WeightFit.ToWholeHundred(thirds));
    }

    [Fact]
    public void Pairs_of_another_model_keep_their_health_in_the_fit()
    {
        var sample = new BacktestSample(90);
        sample.AddPair(Start, "fitted-churned", 50, true, new GradeThresholds(), [10, 10, 10, 10, 10, 10, 10, 10]);
        sample.AddPair(Start, "fitted-kept", 50, false, new GradeThresholds(), [90, 90, 90, 90, 90, 90, 90, 90]);
        var set = PairSet.Of(sample, _ => true);

        Assert.Equal(1.0, set.Auc(new IndicatorWeights()));
    }

    [Fact]
    public void A_custom_indicator_that_predicts_churn_gets_weight_and_the_weights_still_sum_to_100()
    {
        // Built-in values are noise; churn is exactly "crm below 30", so only the custom indicator ranks churn.
        var random = new Random(11);
        var sample = new BacktestSample(90, ["crm"]);
        for (var t = 0; t < 6; t++)
        {
            for (var a = 0; a < 40; a++)
            {
                var values = new double[Indicators.Count + 1];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = 1 + (99 * random.NextDouble());
                }

                sample.AddPair(Start.AddMonths(t), $"acct{a}", 50, values[^1] < 30, new GradeThresholds(), values);
            }
        }

        var suggestion = WeightFit.Suggest(sample, new IndicatorWeights(), [0]);

        var crm = Assert.Single(suggestion.CustomWeights);
        Assert.Equal("crm", crm.Key);
        Assert.Equal(100, Indicators.All.Sum(i => (int)suggestion.Weights[i]) + crm.Value);
        Assert.True(crm.Value > 50, $"crm got {crm.Value}");
        Assert.Equal(1.0, suggestion.HoldoutAuc);
        Assert.True(suggestion.CurrentHoldoutAuc < 0.8);
        var model = suggestion.Apply(ScoringModel.Default with { CustomIndicators = [new CustomIndicator { Key = "crm", Name = "CRM", Metric = "crm", Weight = 0 }] });
        Assert.Equal(crm.Value, model.CustomIndicators[0].Weight);
        Assert.Equal(suggestion.Weights, model.IndicatorWeights);
    }

    [Fact]
    public void A_backtest_keeps_the_default_models_custom_values_beside_the_built_in_ones()
    {
        var t = Start.AddMonths(2);
        var b = new PortfolioBuilder();
        var high = b.Account("high", created: Start.AddYears(-1));
        var low = b.Account("low", created: Start.AddYears(-1));
        b.Metric(high, "nps", t.AddDays(-1), 80).Metric(low, "nps", t.AddDays(-1), 20);
        var model = ScoringModel.Default with { CustomIndicators = [new CustomIndicator { Key = "nps_score", Name = "NPS", Metric = "nps", Weight = 20 }] };

        var sample = Backtest.Run(b.Build(), model, [t], 90);

        Assert.Equal(["nps_score"], sample.CustomKeys);
        var byAccount = Enumerable.Range(0, sample.Count).ToDictionary(p => sample[p].AccountId, p => sample.ValuesOf(p).ToArray());
        Assert.Equal(Indicators.Count + 1, byAccount["high"].Length);
        // Direct scoring: the value itself.
        Assert.Equal(80, byAccount["high"][^1]);
        Assert.Equal(20, byAccount["low"][^1]);
    }
}
