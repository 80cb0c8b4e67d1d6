using CsCheck;

namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// <see cref="HealthChange"/> with custom indicators: their changes of contribution stand beside the built-in ones,
/// sorted by impact, and every side's contributions still add up to its health (SCORING.md "Explanation").
/// </summary>
public sealed class CustomHealthChangeTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    private static readonly IndicatorWeights OnlyRecency = new() { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 10, Support = 0, Sentiment = 0, Growth = 0 };

    private static CustomIndicator Onboarding() => new() { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_pct", Weight = 10 };

    private static CustomIndicator Sponsor() => new()
    {
        Key = "sponsor", Name = "Exec sponsor", Metric = "sponsor_score", Weight = 20, MaxAgeDays = 30, Scoring = CustomScoring.Range, Worst = 0, Best = 10,
    };

    [Fact]
    public void Custom_indicators_take_their_share_of_the_change_computed_by_hand()
    {
        // Recency (w 10): last use 33 days before T: 90 at T - 30 (3 days), 0 at T (33 days of a 30-day window).
        // Onboarding (direct, w 10): 40 (row of T - 35) then 70 (row of T - 10).
        // Sponsor (range 0..10, w 20, at most 30 days old): 5 -> 50 at T - 30 (15 days old), missing at T (45 days old).
        var b = new PortfolioBuilder();
        var a = b.Account("A");
        b.AccountUse(a, "login", T.AddDays(-33));
        b.Metric(a, "onboarding_pct", T.AddDays(-35), 40).Metric(a, "onboarding_pct", T.AddDays(-10), 70);
        b.Metric(a, "sponsor_score", T.AddDays(-45), 5);
        var data = b.Build();
        var models = ScoringModelSet.Of(ScoringModel.Default with { IndicatorWeights = OnlyRecency, CustomIndicators = [Onboarding(), Sponsor()] });
        var before = Scorer.Score(data, T.AddDays(-30), models);
        var after = Scorer.Score(data, T, models);

        var change = HealthChange.Between(before, 0, after, 0);

        // Before: (10 x 90 + 10 x 40 + 20 x 50) / 40 = 57.5; after: (10 x 0 + 10 x 70) / 20 = 35.
        Assert.Equal(57.5, change.HealthBefore, 9);
        Assert.Equal(35, change.HealthAfter, 9);
        Assert.Equal(0, change.ClampEffect, 9);
        var (onboarding, sponsor, recency) = (change.Indicators[0], change.Indicators[1], change.Indicators[2]);
        Assert.Equal(("onboarding", "Onboarding progress", 40.0, 70.0, 10.0, 35.0), (onboarding.Key, onboarding.Name, onboarding.Before!.Value, onboarding.After!.Value, onboarding.ContributionBefore, onboarding.ContributionAfter));
        Assert.Equal(25, onboarding.Impact, 9);
        Assert.Equal(new MetricReading(40, T.AddDays(-35)), onboarding.MetricBefore);
        Assert.Equal(new MetricReading(70, T.AddDays(-10)), onboarding.MetricAfter);
        Assert.Null(onboarding.Indicator);
        Assert.Same(models.Default.CustomIndicators[0], onboarding.Custom);
        Assert.Equal(("sponsor", 50.0, (double?)null, 25.0, 0.0), (sponsor.Key, sponsor.Before!.Value, sponsor.After, sponsor.ContributionBefore, sponsor.ContributionAfter));
        Assert.Equal(new MetricReading(5, T.AddDays(-45)), sponsor.MetricBefore);
        Assert.Null(sponsor.MetricAfter);
        Assert.Equal((Indicator.Recency, 90.0, 0.0, -22.5), (recency.Indicator, recency.Before!.Value, recency.After!.Value, recency.Impact));
        Assert.All(change.Indicators.Skip(3), s => Assert.Equal(0, s.Impact));
        Assert.Equal(10, change.Indicators.Count);
        Assert.Equal(change.Change, change.Indicators.Sum(s => s.Impact) + change.ClampEffect, 9);
    }

    [Fact]
    public void A_custom_indicator_only_one_side_s_model_has_contributes_nothing_on_the_other()
    {
        // Young accounts are scored with an onboarding model that reads onboarding progress; at T "A" has outgrown it.
        var b = new PortfolioBuilder();
        var a = b.Account("A", created: T.AddDays(-40));
        b.AccountUse(a, "login", T.AddDays(-1)).AccountUse(a, "login", T.AddDays(-31));
        b.Metric(a, "onboarding_pct", T.AddDays(-32), 30).Metric(a, "onboarding_pct", T.AddDays(-2), 90);
        var data = b.Build();
        var models = new ScoringModelSet(ScoringModel.Default,
            onboarding: ScoringModel.Default with { OnboardingDays = 30, CustomIndicators = [Onboarding() with { Weight = 50 }] });
        var before = Scorer.Score(data, T.AddDays(-30), models);
        var after = Scorer.Score(data, T, models);

        var change = HealthChange.Between(before, 0, after, 0);

        var onboarding = Assert.Single(change.Indicators, s => s.Key == "onboarding");
        Assert.Equal(30, onboarding.Before);
        Assert.Null(onboarding.After);
        Assert.Null(onboarding.MetricAfter);
        Assert.Equal(50 * 30 / before.WeightTotals[0], onboarding.ContributionBefore, 9);
        Assert.Equal(0, onboarding.ContributionAfter);
        Assert.Equal(change.HealthBefore, change.Indicators.Sum(s => s.ContributionBefore), 9);
        Assert.Equal(change.HealthAfter, change.Indicators.Sum(s => s.ContributionAfter), 9);
    }

    /// <summary>
    /// A random portfolio with up to three custom indicators of any kind, a segment model with other ones and an
    /// onboarding model without any, compared at two times. Metric values are 0 to 150: the normalization curve is
    /// defined for values of at least 0 (a negative value under a lower-is-better curve scores above 100).
    /// </summary>
    private sealed record Case(
        (int CreatedDay, int Segment)[] Accounts,
        (int Account, int Day, int Count)[] Usage,
        (int Account, int Metric, int Day, double Value)[] Metrics,
        double[] BuiltInWeights,
        (int Metric, int Kind, bool HigherIsBetter, double Weight, int MaxAge)[] Customs,
        int OnboardingDays,
        int DaysApart);

    private static readonly Gen<Case> Cases =
        from accounts in Gen.Select(Gen.Int[-400, -1], Gen.Int[0, 2]).Array[1, 6]
        from usage in Gen.Select(Gen.Int[0, 5], Gen.Int[-120, 0], Gen.Int[1, 20]).Array[0, 40]
        from metrics in Gen.Select(Gen.Int[0, 5], Gen.Int[0, 2], Gen.Int[-200, 0], Gen.Double[0, 150]).Array[0, 40]
        from weights in Gen.Int[0, 30].Select(w => (double)w).Array[8]
        from customs in Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 100].Select(w => (double)w), Gen.Int[1, 120]).Array[0, 3]
        from onboardingDays in Gen.Int[0, 90]
        from daysApart in Gen.Int[1, 90]
        select new Case(accounts, usage, metrics, weights, customs, onboardingDays, daysApart);

    [Fact]
    public void Each_side_s_contributions_add_up_to_its_health_and_the_impacts_to_the_change_with_any_custom_indicators()
    {
        Cases.Sample(c =>
        {
            var b = new PortfolioBuilder();
            var ids = c.Accounts.Select((x, i) => b.Account($"A{i}", seats: 3, created: T.AddDays(x.CreatedDay), segment: $"S{x.Segment}")).ToArray();
            foreach (var (account, day, count) in c.Usage)
            {
                b.AccountUse(ids[account % ids.Length], "login", T.AddDays(day).AddHours(-1), count);
            }

            string[] metricKeys = ["m0", "m1", "m2"];
            foreach (var (account, metric, day, value) in c.Metrics)
            {
                b.Metric(ids[account % ids.Length], metricKeys[metric], T.AddDays(day).AddMinutes(-7), value);
            }

            var weights = new IndicatorWeights
            {
                Engagement = c.BuiltInWeights[0], Breadth = c.BuiltInWeights[1], Depth = c.BuiltInWeights[2], Frequency = c.BuiltInWeights[3],
                Recency = c.BuiltInWeights[4], Support = c.BuiltInWeights[5], Sentiment = c.BuiltInWeights[6], Growth = c.BuiltInWeights[7],
            };
            var customs = c.Customs.Select((x, i) => new CustomIndicator
            {
                Key = $"c{i}", Name = $"Custom {i}", Metric = metricKeys[x.Metric], Weight = x.Weight, MaxAgeDays = x.MaxAge, HigherIsBetter = x.HigherIsBetter,
                Scoring = (CustomScoring)x.Kind, Worst = x.HigherIsBetter ? 0 : 100, Best = x.HigherIsBetter ? 100 : 0,
            }).ToList();
            var model = ScoringModel.Default with { IndicatorWeights = weights, CustomIndicators = customs };
            // A segment model with the custom indicators reversed and the first dropped; an onboarding model with none.
            var models = new ScoringModelSet(model,
                new Dictionary<string, ScoringModel> { ["S1"] = model with { CustomIndicators = [.. customs.Skip(1).Reverse()] } },
                c.OnboardingDays > 0 ? model with { OnboardingDays = c.OnboardingDays, CustomIndicators = [] } : null);
            var data = b.Build();
            var (from, to) = (T.AddDays(-c.DaysApart), T);
            var before = Scorer.Score(data, from, models);
            var after = Scorer.Score(data, to, models);

            foreach (var id in data.Accounts.Select(x => x.Id))
            {
                var (a1, a2) = (before.Aggregates.LocalAccountIndex(id), after.Aggregates.LocalAccountIndex(id));
                if (a1 < 0 || a2 < 0)
                {
                    continue;
                }

                var change = HealthChange.Between(before, a1, after, a2);

                Assert.True(!change.Indicators.Any(s => double.IsNaN(s.Impact)), string.Join("; ", change.Indicators.Select(s => $"{s.Key} {s.Before} {s.After} {s.ContributionBefore} {s.ContributionAfter} {s.Custom}")));
                // An absolute tolerance, not decimal places: rounding both sides to 9 places fails two sums 5e-13 apart
                // that straddle a rounding boundary (CI's seed 0G3kixFxeuo1: 58.1184520625000 against ...0624999).
                Assert.Equal(change.HealthBefore, Math.Clamp(change.Indicators.Sum(s => s.ContributionBefore), 1, 100), 1e-9);
                Assert.Equal(change.HealthAfter, Math.Clamp(change.Indicators.Sum(s => s.ContributionAfter), 1, 100), 1e-9);
                Assert.Equal(change.Change, change.Indicators.Sum(s => s.Impact) + change.ClampEffect, 1e-9);
                Assert.Equal(change.Indicators.Select(s => Math.Abs(s.Impact)).OrderDescending(), change.Indicators.Select(s => Math.Abs(s.Impact)));
                var expectedKeys = before.ModelOf(a1).CustomIndicators.Concat(after.ModelOf(a2).CustomIndicators).Select(x => x.Key).ToHashSet();
                Assert.Equal(expectedKeys, change.Indicators.Where(s => s.Custom is not null).Select(s => s.Key).ToHashSet());
                Assert.Equal(Indicators.Count + expectedKeys.Count, change.Indicators.Count);
                foreach (var shift in change.Indicators.Where(s => s.Custom is not null))
                {
                    Assert.Equal(shift.Before is null, shift.MetricBefore is null);
                    Assert.Equal(shift.After is null, shift.MetricAfter is null);
                }
            }
        }, iter: 300);
    }
}
