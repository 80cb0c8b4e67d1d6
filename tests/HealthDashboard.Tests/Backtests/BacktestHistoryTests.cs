using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Backtests;

/// <summary>The shared backtest history keeps its last evaluation, so each opening of the model editor does not redo it.</summary>
public sealed class BacktestHistoryTests
{
    private static BacktestHistory NewHistory() =>
        new(ChurnHistory.Build(), new BacktestRange(ChurnHistory.DefaultTimes, 90, null, null), ScoringModel.Default.WindowDays);

    [Fact]
    public void Equal_models_reuse_the_last_evaluation_and_other_models_are_evaluated_anew()
    {
        var history = NewHistory();
        var saved = ScoringModel.Default with { IndicatorWeights = new IndicatorWeights { Engagement = 40 } };

        var first = history.Evaluate(ScoringModelSet.Of(saved));
        // The same models built again (another circuit opening the editor): the kept sample, labelled with the asked model.
        var again = new ScoringModel() with { IndicatorWeights = new IndicatorWeights { Engagement = 40 } };
        var second = history.Evaluate(ScoringModelSet.Of(again));
        var other = history.Evaluate(ScoringModelSet.Of(ScoringModel.Default));

        Assert.Same(first.Sample, second.Sample);
        Assert.Same(first.Figures, second.Figures);
        Assert.Same(again, second.Model);
        Assert.NotSame(first.Sample, other.Sample);
        // What was kept and what was computed anew match a fresh history's own evaluation.
        Assert.Equal(Summary(NewHistory().Evaluate(ScoringModelSet.Of(saved))), Summary(second));
        Assert.Equal(Summary(NewHistory().Evaluate(ScoringModelSet.Of(ScoringModel.Default))), Summary(other));
        Assert.Equal(15, second.Figures.Pairs);
    }

    private static (int Pairs, int Churned, double? Auc, string Healths) Summary(BacktestResult result) =>
        (result.Figures.Pairs, result.Figures.Churned, result.Figures.Auc, string.Join(",", result.Sample.Pairs.Select(p => p.Health)));
}
