using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.ModelVersions;

/// <summary>
/// The what-if preview on <see cref="TestPortfolio"/>. Saved scores (model of TestPortfolio.Model(), W 30):
/// ACC-1 96.25 A green (MRR 5000), ACC-2 61.47 C yellow (1200, weights of its indicators 85, Recency 100),
/// ACC-3 11.72 D red (800, weights 95, Recency 16.67), ACC-4 12.88 D red (9000, weights 100, Recency 33.33),
/// ACC-5 36.27 D red (300, weights 85, Recency 100); ACC-6 churned and not scored.
/// </summary>
public sealed class ModelPreviewTests
{
    private readonly PortfolioView view = TestPortfolio.View();
    private readonly ModelPreview preview = new();

    private ScoredPortfolio Saved => view.Scored;

    [Fact]
    public void The_saved_model_previews_no_change()
    {
        var result = preview.Compute(Saved, Saved.Model);

        Assert.Equal(new BandCounts(1, 1, 3, 5000, 1200, 10_100), result.Before);
        Assert.Equal(result.Before, result.After);
        Assert.Equal(0, result.Changed);
        Assert.Equal(0, result.MovedUp + result.MovedDown);
        Assert.Empty(result.BiggestChanges);
        Assert.Equal(result.HistogramBefore, result.HistogramAfter);
        Assert.Equal(1, result.BaseVersion);
    }

    [Fact]
    public void The_last_preview_of_a_portfolio_is_shared_until_the_draft_or_the_scores_change()
    {
        var draft = Saved.Model with { IndicatorWeights = Saved.Model.IndicatorWeights.With(Indicator.Recency, 40) };
        var first = preview.Compute(Saved, Saved.Model);

        // Every opening of the editor previews the saved model: a copy equal to it reuses the result.
        Assert.Same(first, preview.Compute(Saved, Saved.Model with { }));
        var moved = preview.Compute(Saved, draft);
        Assert.NotSame(first, moved);
        Assert.Equal(2, moved.MovedUp);
        Assert.NotSame(moved, preview.Compute(Saved, draft, take: 1));

        // New scores (another portfolio) are previewed afresh, with the same figures for the same data.
        var rescored = TestPortfolio.View().Scored;
        var again = preview.Compute(rescored, Saved.Model);
        Assert.NotSame(first, again);
        Assert.Equal(first.Before, again.After);
        Assert.Equal(0, preview.Compute(Saved, Saved.Model).Changed);
    }

    [Fact]
    public void Histogram_buckets_the_unrounded_health_by_tens()
    {
        var result = preview.Compute(Saved, Saved.Model);

        // 11.72 and 12.88 in [10, 20), 36.27 in [30, 40), 61.47 in [60, 70), 96.25 in [90, 100].
        Assert.Equal([0, 2, 0, 1, 0, 0, 1, 0, 0, 1], result.HistogramBefore);
        Assert.Equal(9, ModelPreview.Bucket(100));
        Assert.Equal(0, ModelPreview.Bucket(1));
        Assert.Equal(7, ModelPreview.Bucket(70));
    }

    [Fact]
    public void Raising_the_recency_weight_moves_two_accounts_up_a_band()
    {
        // Recency 10 -> 40 adds 30 x Recency to each weighted sum and 30 to each weight total:
        // ACC-2 (61.47 x 85 + 30 x 100) / 115 = 71.52 B green; ACC-5 (36.27 x 85 + 3000) / 115 = 52.89 C yellow;
        // ACC-3 (11.72 x 95 + 30 x 16.67) / 125 = 12.91 red; ACC-4 (12.88 x 100 + 30 x 33.33) / 130 = 17.60 red.
        var draft = Saved.Model with { IndicatorWeights = Saved.Model.IndicatorWeights.With(Indicator.Recency, 40) };

        var result = preview.Compute(Saved, draft);

        Assert.Equal((2, 1, 2), (result.After.Green, result.After.Yellow, result.After.Red));
        Assert.Equal(6200, result.After.GreenMrr);
        Assert.Equal(2, result.MovedUp);
        Assert.Equal(0, result.MovedDown);
        Assert.Equal((0, 0.0), (result.AccountsIntoRed, result.MrrIntoRed));
        Assert.Equal((1, 300.0), (result.AccountsOutOfRed, result.MrrOutOfRed));
        var acc2 = Assert.Single(result.BandMoves, c => c.Id == "ACC-2");
        Assert.Equal(71.52, acc2.NewHealth, 2);
        Assert.Equal((Band.Yellow, Band.Green, 1), (acc2.OldBand, acc2.NewBand, acc2.BandSteps));
        Assert.Equal(52.89, result.BandMoves.Single(c => c.Id == "ACC-5").NewHealth, 2);
        Assert.Equal(12.91, result.BiggestChanges.Single(c => c.Id == "ACC-3").NewHealth, 2);
        Assert.Equal(17.60, result.BiggestChanges.Single(c => c.Id == "ACC-4").NewHealth, 2);
    }

    [Fact]
    public void Raising_grade_C_moves_an_account_into_red_with_its_MRR()
    {
        // C from 40 to 62: ACC-2 at 61.47 drops from C (yellow) to D (red); no score changes.
        var draft = Saved.Model with { Thresholds = new GradeThresholds(85, 70, 62) };

        var result = preview.Compute(Saved, draft);

        Assert.Equal(new BandCounts(1, 0, 4, 5000, 0, 11_300), result.After);
        Assert.Equal((0, 1), (result.MovedUp, result.MovedDown));
        Assert.Equal((1, 1200.0), (result.AccountsIntoRed, result.MrrIntoRed));
        var moved = Assert.Single(result.BandMoves);
        Assert.Equal(("ACC-2", -1, 0.0), (moved.Id, moved.BandSteps, moved.Delta));
        Assert.Equal(1, result.Changed);
    }

    [Fact]
    public void After_figures_equal_a_full_rescore_with_the_draft_and_before_figures_the_saved_scores()
    {
        var draft = Saved.Model.WithEventType("login", new EventTypeSettings(6)) with
        {
            Curvature = 1.5,
            IndicatorWeights = Saved.Model.IndicatorWeights.With(Indicator.Engagement, 60).With(Indicator.Support, 0),
        };
        var full = Scorer.Score(Saved.Aggregates, draft);

        var result = preview.Compute(Saved, draft, take: 100);

        Assert.Equal(Counts(full), result.After);
        Assert.Equal(Counts(Saved.Scores), result.Before);
        Assert.Equal(full.Health.Average(), result.AverageAfter, 10);
        Assert.Equal(Saved.Scores.Health.Average(), result.AverageBefore, 10);
        Assert.Equal(5, result.Changed);
        foreach (var change in result.BiggestChanges)
        {
            Assert.Equal(full.Health[change.Index], change.NewHealth);
            Assert.Equal(full.Grades[change.Index], change.NewGrade);
            Assert.Equal(Saved.Scores.Health[change.Index], change.OldHealth);
            Assert.Equal(view.Accounts[change.Index].Id, change.Id);
        }

        Assert.Equal(full.Health, preview.Score(Saved, draft).Health);
        Assert.Equal(full.UserEngagement, preview.Score(Saved, draft).UserEngagement);
    }

    [Fact]
    public void Biggest_changes_come_largest_first_and_are_cut_at_take()
    {
        var draft = Saved.Model with { IndicatorWeights = Saved.Model.IndicatorWeights.With(Indicator.Recency, 40) };

        var all = preview.Compute(Saved, draft, take: 100).BiggestChanges;
        var top2 = preview.Compute(Saved, draft, take: 2).BiggestChanges;

        Assert.Equal(5, all.Count);
        Assert.Equal(all.OrderByDescending(c => Math.Abs(c.Delta)).Select(c => c.Id), all.Select(c => c.Id));
        Assert.Equal(all.Take(2), top2);
        // ACC-5 gains 16.62, ACC-2 10.05: the two biggest.
        Assert.Equal(["ACC-5", "ACC-2"], top2.Select(c => c.Id));
    }

    [Fact]
    public void A_new_window_rebuilds_the_aggregates_from_memory_once()
    {
        var draft = Saved.Model with { WindowDays = 14 };
        var expected = Scorer.Score(WindowAggregates.Build(Saved.Data, Saved.AsOf, 14), draft);

        var result = preview.Compute(Saved, draft, take: 100);

        Assert.Equal(Counts(expected), result.After);
        Assert.Equal(14, result.WindowDays);
        Assert.False(result.WindowBeyondLoadedUsage);
        Assert.Same(preview.AggregatesFor(Saved, 14), preview.AggregatesFor(Saved, 14));
        Assert.Same(Saved.Aggregates, preview.AggregatesFor(Saved, 30));
        foreach (var change in result.BiggestChanges)
        {
            Assert.Equal(expected.Health[change.Index], change.NewHealth);
        }
    }

    [Fact]
    public void A_window_longer_than_the_loaded_usage_is_flagged()
    {
        // The board loads max(30, 90 + 1) + 30 = 121 days for a saved W of 30.
        Assert.Equal(121, ModelPreview.LoadedUsageDays(Saved.Model));

        Assert.False(preview.Compute(Saved, Saved.Model with { WindowDays = 121 }).WindowBeyondLoadedUsage);
        Assert.True(preview.Compute(Saved, Saved.Model with { WindowDays = 122 }).WindowBeyondLoadedUsage);
    }

    [Fact]
    public void An_invalid_draft_is_not_previewed()
    {
        var error = Assert.Throws<ArgumentException>(() => preview.Compute(Saved, Saved.Model with { WindowDays = 0 }));

        Assert.Contains("Window must be between 1 and 365 days", error.Message);
    }

    private static BandCounts Counts(PortfolioScores scores)
    {
        int[] n = new int[3];
        double[] mrr = new double[3];
        for (var a = 0; a < scores.AccountCount; a++)
        {
            n[(int)scores.BandOf(a)]++;
            mrr[(int)scores.BandOf(a)] += scores.Aggregates.Mrr[a];
        }

        return new BandCounts(n[0], n[1], n[2], mrr[0], mrr[1], mrr[2]);
    }
}
