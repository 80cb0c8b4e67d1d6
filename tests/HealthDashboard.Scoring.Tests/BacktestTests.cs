namespace HealthDashboard.Scoring.Tests;

/// <summary>SCORING.md "Backtest": evaluation times, pairs and labels at the month and horizon edges, AUC and churn figures.</summary>
public class BacktestTests
{
    private static readonly GradeThresholds Default = new();

    private static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Evaluation_times_are_month_starts_with_both_ends_inclusive()
    {
        Assert.Equal([Utc(2025, 1, 1), Utc(2025, 2, 1), Utc(2025, 3, 1)], BacktestCalendar.MonthStarts(Utc(2025, 1, 1), Utc(2025, 3, 1)));
    }

    [Fact]
    public void A_from_inside_a_month_starts_at_the_next_month_and_a_to_inside_one_ends_at_its_start()
    {
        Assert.Equal([Utc(2025, 2, 1), Utc(2025, 3, 1)], BacktestCalendar.MonthStarts(Utc(2025, 1, 1, 1), Utc(2025, 3, 31, 23)));
        Assert.Empty(BacktestCalendar.MonthStarts(Utc(2025, 1, 2), Utc(2025, 1, 31)));
    }

    [Fact]
    public void Default_range_is_the_last_twelve_month_starts_with_a_full_horizon_of_data_after_them()
    {
        // Data from 2024-01-10 to 2025-09-15: T + 90 d <= 2025-09-15 holds up to T = 2025-06-01 (2025-08-30), not 2025-07-01 (2025-09-29).
        var range = BacktestCalendar.DefaultRange(Utc(2024, 1, 10), Utc(2025, 9, 15), 90);

        Assert.Equal(12, range.Count);
        Assert.Equal(Utc(2024, 7, 1), range[0]);
        Assert.Equal(Utc(2025, 6, 1), range[^1]);
    }

    [Fact]
    public void Default_range_is_shorter_on_a_short_history()
    {
        var range = BacktestCalendar.DefaultRange(Utc(2025, 1, 10), Utc(2025, 9, 15), 90);

        Assert.Equal([Utc(2025, 2, 1), Utc(2025, 3, 1), Utc(2025, 4, 1), Utc(2025, 5, 1), Utc(2025, 6, 1)], range);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(12, 8)]
    [InlineData(4, 2)]
    [InlineData(2, 1)]
    [InlineData(1, 0)]
    public void Training_takes_the_first_floor_of_two_thirds_of_the_times(int times, int training) =>
        Assert.Equal(training, BacktestCalendar.TrainingCount(times));

    [Fact]
    public void Auc_counts_wins_of_retained_over_churned_and_ties_as_one_half()
    {
        // churned {10, 20}, retained {20, 30}: 10<20, 10<30, 20=20 (1/2), 20<30 = 3.5 of 4.
        Assert.Equal(0.875, RocAuc.Auc([10, 20, 20, 30], [true, true, false, false]));
    }

    [Fact]
    public void Auc_is_one_when_every_churned_pair_is_lower_and_zero_when_every_one_is_higher()
    {
        Assert.Equal(1.0, RocAuc.Auc([5, 6, 50, 70, 90], [true, true, false, false, false]));
        Assert.Equal(0.0, RocAuc.Auc([95, 96, 50, 70, 90], [true, true, false, false, false]));
    }

    [Fact]
    public void Auc_of_all_ties_is_one_half()
    {
        Assert.Equal(0.5, RocAuc.Auc([40, 40, 40], [true, false, false]));
    }

    [Fact]
    public void Auc_of_a_single_pair_of_each_class()
    {
        Assert.Equal(1.0, RocAuc.Auc([10, 80], [true, false]));
        Assert.Equal(0.0, RocAuc.Auc([80, 10], [true, false]));
        Assert.Equal(0.5, RocAuc.Auc([33, 33], [true, false]));
    }

    [Fact]
    public void Auc_is_undefined_when_all_pairs_are_of_one_class_or_there_are_none()
    {
        Assert.Null(RocAuc.Auc([10, 20, 30], [false, false, false]));
        Assert.Null(RocAuc.Auc([10, 20], [true, true]));
        Assert.Null(RocAuc.Auc([], []));
    }

    [Fact]
    public void The_area_under_the_roc_curve_is_the_auc()
    {
        double[] health = [12, 30, 30, 45, 45, 45, 60, 71, 71, 88, 90, 97];
        bool[] churned = [true, false, true, true, false, false, true, false, false, true, false, false];

        var curve = RocAuc.Curve(health, churned);
        var area = curve.Zip(curve.Skip(1), (a, b) => (b.FalsePositiveRate - a.FalsePositiveRate) * (a.TruePositiveRate + b.TruePositiveRate) / 2).Sum();

        Assert.Equal((0.0, 0.0), (curve[0].FalsePositiveRate, curve[0].TruePositiveRate));
        Assert.Equal((1.0, 1.0), (curve[^1].FalsePositiveRate, curve[^1].TruePositiveRate));
        Assert.Equal(RocAuc.Auc(health, churned)!.Value, area, 12);
    }

    [Fact]
    public void Churn_rates_per_band_and_grade_and_red_precision_recall_and_lift()
    {
        // A: 90 (kept); B: 75 (churned), 72 (kept); C: 50 (kept), 45 (kept); D: 30 (churned), 20 (churned), 10 (kept).
        double[] health = [90, 75, 72, 50, 45, 30, 20, 10];
        bool[] churned = [false, true, false, false, false, true, true, false];

        var figures = BacktestFigures.Compute(health, churned, health.Select(Default.GradeOf).ToArray());

        Assert.Equal(8, figures.Pairs);
        Assert.Equal(3, figures.Churned);
        Assert.Equal(3.0 / 8, figures.ChurnRate);
        Assert.Equal(new ChurnCount(3, 1), figures.ByBand[Band.Green]);
        Assert.Equal(new ChurnCount(2, 0), figures.ByBand[Band.Yellow]);
        Assert.Equal(new ChurnCount(3, 2), figures.ByBand[Band.Red]);
        Assert.Equal(new ChurnCount(1, 0), figures.ByGrade[Grade.A]);
        Assert.Equal(new ChurnCount(2, 1), figures.ByGrade[Grade.B]);
        Assert.Equal(2.0 / 3, figures.RedPrecision);
        Assert.Equal(2.0 / 3, figures.RedRecall);
        Assert.Equal((2.0 / 3) / (3.0 / 8), figures.RedLift!.Value, 12);
        // per 10 points: 10 -> [10,20), 20 -> [20,30), 30 -> [30,40), 90 -> [90,100]
        Assert.Equal(new ChurnCount(1, 1), figures.ByHealthDecile[3]);
        Assert.Equal(new ChurnCount(1, 0), figures.ByHealthDecile[9]);
    }

    [Fact]
    public void A_band_or_grade_without_pairs_is_absent_and_red_figures_are_undefined_without_red_pairs()
    {
        double[] health = [90, 80];
        var figures = BacktestFigures.Compute(health, [true, false], health.Select(Default.GradeOf).ToArray());

        Assert.False(figures.ByBand.ContainsKey(Band.Red));
        Assert.False(figures.ByGrade.ContainsKey(Grade.C));
        Assert.Null(figures.RedPrecision);
        Assert.Equal(0.0, figures.RedRecall);
        Assert.Null(figures.RedLift);
    }

    [Fact]
    public void Grades_use_the_thresholds_of_the_accounts_model()
    {
        var strict = new GradeThresholds(95, 90, 80);
        var sample = new BacktestSample(90);
        sample.AddPair(Utc(2025, 1, 1), "a", 85, churned: true, strict);
        sample.AddPair(Utc(2025, 1, 1), "b", 85, churned: false, Default);

        var figures = sample.Figures();

        Assert.Equal(new ChurnCount(1, 1), figures.ByGrade[Grade.C]);
        Assert.Equal(new ChurnCount(1, 0), figures.ByGrade[Grade.A]);
    }

    [Fact]
    public void The_effective_figures_take_each_overridden_pairs_value_and_grade_it_with_its_models_thresholds()
    {
        // Model alone: churned b (60) against retained a (80) and c (50): 1 + 0 over 2 = AUC 0.5, no red pair.
        // A CSM overrides b to 30 (grade D, red): churned 30 against 80 and 50 = AUC 1, red precision 1 of 1.
        var sample = new BacktestSample(90);
        sample.AddPair(Utc(2025, 1, 1), "a", 80, churned: false, Default);
        sample.AddPair(Utc(2025, 1, 1), "b", 60, churned: true, Default, overrideValue: 30);
        sample.AddPair(Utc(2025, 1, 1), "c", 50, churned: false, Default);

        var model = sample.Figures();
        var effective = sample.EffectiveFigures();

        Assert.True(sample.HasOverrides);
        Assert.Equal(0.5, model.Auc);
        Assert.Null(model.RedPrecision);
        Assert.Equal(1.0, effective.Auc);
        Assert.Equal(1.0, effective.RedPrecision);
        Assert.Equal(new ChurnCount(1, 1), effective.ByGrade[Grade.D]);
        // A pair without an override keeps the grade of the model's H.
        Assert.Equal(Grade.C, sample[2].EffectiveGrade);
    }

    [Fact]
    public void A_backtest_reads_the_override_active_at_each_evaluation_time()
    {
        var t1 = Utc(2025, 2, 1);
        var t2 = Utc(2025, 3, 1);
        var b = new PortfolioBuilder();
        b.Account("kept", created: Utc(2024, 1, 1));
        b.Account("flagged", created: Utc(2024, 1, 1));
        var built = b.Build();
        // Active from 02-01 exactly (From <= T) until 03-01 exactly (T < Until): in at t1, out at t2.
        var data = new PortfolioData(built.Accounts, built.Users, built.EventTypeKeys, built.Usage.ToArray(), built.Tickets, built.Surveys, built.Revenue,
            built.EventTypeNames, [new OverrideInfo(1, 12, t1, t2, "Champion left", "maya")], built.Metrics);

        var sample = Backtest.Run(data, ScoringModel.Default, [t1, t2], 90);
        var flagged = sample.Pairs.Where(p => p.AccountId == "flagged").OrderBy(p => p.TimeIndex).ToList();

        Assert.Equal([12.0, null], flagged.Select(p => p.OverrideValue));
        Assert.Equal(12, flagged[0].EffectiveHealth);
        Assert.Equal(flagged[1].Health, flagged[1].EffectiveHealth);
        Assert.All(sample.Pairs.Where(p => p.AccountId == "kept"), p => Assert.Null(p.OverrideValue));
    }

    [Fact]
    public void A_churn_exactly_at_t_plus_horizon_is_in_and_a_tick_later_is_out()
    {
        var t = Utc(2025, 3, 1);
        var b = new PortfolioBuilder();
        b.Account("at-horizon", churned: t.AddDays(90));
        b.Account("after-horizon", churned: t.AddDays(90).AddTicks(1));
        b.Account("just-after-t", churned: t.AddTicks(1));
        b.Account("customer");

        var sample = Backtest.Run(b.Build(), ScoringModel.Default, [t], 90);
        var labels = sample.Pairs.ToDictionary(p => p.AccountId, p => p.Churned);

        Assert.True(labels["at-horizon"]);
        Assert.False(labels["after-horizon"]);
        Assert.True(labels["just-after-t"]);
        Assert.False(labels["customer"]);
    }

    [Fact]
    public void An_account_churned_exactly_at_t_or_created_after_it_gives_no_pair()
    {
        var t = Utc(2025, 3, 1);
        var b = new PortfolioBuilder();
        b.Account("churned-at-t", churned: t);
        b.Account("created-after-t", created: t.AddTicks(1), churned: t.AddDays(10));
        b.Account("customer");

        var sample = Backtest.Run(b.Build(), ScoringModel.Default, [t], 90);

        Assert.Equal(["customer"], sample.Pairs.Select(p => p.AccountId));
    }

    [Fact]
    public void Every_evaluation_time_gives_its_own_pairs_from_one_load_of_the_data()
    {
        // Two months: "fading" is active before February and idle after, churning in April; "loyal" is active throughout.
        var b = new PortfolioBuilder();
        var fading = b.Account("fading", seats: 2, churned: Utc(2025, 4, 10));
        var loyal = b.Account("loyal", seats: 2);
        var f1 = b.User(fading);
        var l1 = b.User(loyal);
        for (var day = Utc(2024, 12, 1); day < Utc(2025, 4, 1); day = day.AddDays(1))
        {
            b.Use(loyal, l1, "login", day.AddHours(9));
            if (day < Utc(2025, 1, 20))
            {
                b.Use(fading, f1, "login", day.AddHours(9));
            }
        }

        var data = b.Build();
        DateTime[] times = [Utc(2025, 1, 1), Utc(2025, 3, 1)];
        var sample = Backtest.Run(data, ScoringModel.Default, times, 90);

        Assert.Equal(4, sample.Count);
        // At Jan 1 fading churns beyond 90 days (Apr 10 > Apr 1): retained; at Mar 1 it churns within.
        var fadingPairs = sample.Pairs.Where(p => p.AccountId == "fading").OrderBy(p => p.TimeIndex).ToArray();
        Assert.Equal([false, true], fadingPairs.Select(p => p.Churned));
        // Each pair's H is the as-of score at its time, over the full data.
        foreach (var pair in sample.Pairs)
        {
            Assert.Equal(ScoreRun.Score(data, asOf: times[pair.TimeIndex]).HealthOf(pair.AccountId), pair.Health);
        }

        var figures = sample.Figures();
        Assert.Equal(1, figures.Churned);
        Assert.Equal(1.0, figures.Auc);
        Assert.Equal(new ChurnCount(1, 1), figures.ByBand[Band.Red]);
    }

    [Fact]
    public void Each_account_is_scored_and_graded_with_its_own_model_and_only_default_model_pairs_are_fitted()
    {
        var t = Utc(2025, 3, 1);
        AccountInfo[] accounts =
        [
            new("ent", "Enterprise account", t.AddDays(-400), Seats: 1, Segment: "Enterprise"),
            new("smb", "Small account", t.AddDays(-400), Seats: 1, Segment: "SMB"),
        ];
        var usage = Enumerable.Range(1, 20).SelectMany(d => new[] { new UsageRow(0, -1, 0, t.AddDays(-d).Ticks, 1), new UsageRow(1, -1, 0, t.AddDays(-d).Ticks, 1) })
            .OrderBy(r => r.Ticks).ToArray();
        var data = new PortfolioData(accounts, [], ["login"], usage);
        var strict = ScoringModel.Default with { Thresholds = new GradeThresholds(99.5, 99.2, 99) };
        var models = new ScoringModelSet(ScoringModel.Default, new Dictionary<string, ScoringModel> { ["Enterprise"] = strict });

        var sample = Backtest.Run(data, models, [t], 90);
        var ent = sample.Pairs.Single(p => p.AccountId == "ent");
        var smb = sample.Pairs.Single(p => p.AccountId == "smb");

        Assert.Equal(strict.Thresholds, ent.Thresholds);
        Assert.Equal(strict.Thresholds.GradeOf(ent.Health), ent.Grade);
        Assert.Equal(new GradeThresholds().GradeOf(smb.Health), smb.Grade);
        Assert.False(ent.Fitted);
        Assert.True(smb.Fitted);
        Assert.Equal(Scorer.Score(data, t, models).Health, sample.Pairs.OrderBy(p => p.AccountId, StringComparer.Ordinal).Select(p => p.Health));
    }
}
