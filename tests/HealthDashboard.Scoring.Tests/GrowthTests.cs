namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// Growth: pct = (now-MRR - then-MRR) / then-MRR, now = latest entry at or before T, then = latest at
/// or before T - 90 d; clamp(70 + 150 pct, 0, 100); missing without a then entry or with then-MRR 0.
/// </summary>
public class GrowthTests
{
    private static readonly DateTime T = PortfolioBuilder.T;    // 2025-06-30 12:00
    private static readonly DateTime Cutoff = T.AddDays(-90);   // 2025-04-01 12:00

    private static DateTime Day(int month, int day) => new(2025, month, day, 0, 0, 0, DateTimeKind.Utc);

    private static PortfolioScores ScoreWith(Action<PortfolioBuilder, int> revenue)
    {
        var b = new PortfolioBuilder();
        revenue(b, b.Account("acme"));
        return ScoreRun.Score(b.Build());
    }

    [Fact]
    public void Uses_the_latest_entries_at_or_before_T_and_T_minus_90_days()
    {
        var scores = ScoreWith((b, a) => b.Revenue(a, Day(1, 1), 800)
            .Revenue(a, Day(4, 1), 1000)    // latest at or before 1 April 12:00: then
            .Revenue(a, Day(5, 15), 1050)
            .Revenue(a, Day(6, 1), 1100)    // latest at or before T: now
            .Revenue(a, Day(7, 15), 5000)); // after T: never read

        // pct = (1100 - 1000) / 1000 = 0.1 -> 70 + 15 = 85
        Assert.Equal(0.1, scores.Raw("acme", Indicator.Growth)!.Value, 1e-12);
        Assert.Equal(85, scores.Value("acme", Indicator.Growth)!.Value, 1e-9);
    }

    [Fact]
    public void Entry_exactly_90_days_before_T_is_then_and_an_entry_exactly_at_T_is_now()
    {
        var scores = ScoreWith((b, a) => b.Revenue(a, Cutoff, 1000)
            .Revenue(a, Cutoff.AddMinutes(1), 3000)
            .Revenue(a, T, 1060));

        // then 1000 (at the cutoff), now 1060 (at T): pct 0.06 -> 70 + 9 = 79
        Assert.Equal(79, scores.Value("acme", Indicator.Growth)!.Value, 1e-9);
    }

    [Theory]
    [InlineData(1000, 600, 10.0)]   // pct -0.4: 70 - 60 = 10
    [InlineData(1000, 500, 0.0)]    // pct -0.5: 70 - 75 = -5 -> 0
    [InlineData(500, 1000, 100.0)]  // pct 1: 70 + 150 = 220 -> 100
    [InlineData(1000, 1000, 70.0)]  // flat: 70
    [InlineData(1000, 1200, 100.0)] // pct 0.2: 70 + 30 = 100
    public void Score_is_70_plus_150_pct_clamped(double then, double now, double expected)
    {
        var scores = ScoreWith((b, a) => b.Revenue(a, Day(3, 1), then).Revenue(a, Day(6, 1), now));

        Assert.Equal(expected, scores.Value("acme", Indicator.Growth)!.Value, 1e-9);
    }

    [Fact]
    public void A_single_old_entry_is_both_then_and_now()
    {
        var scores = ScoreWith((b, a) => b.Revenue(a, Day(2, 1), 1000));

        Assert.Equal(70, scores.Value("acme", Indicator.Growth));
    }

    [Fact]
    public void Missing_without_an_entry_90_days_old()
    {
        var scores = ScoreWith((b, a) => b.Revenue(a, Cutoff.AddTicks(1), 1000).Revenue(a, Day(6, 1), 2000));

        Assert.Null(scores.Value("acme", Indicator.Growth));
    }

    [Fact]
    public void Missing_without_revenue_history()
    {
        var scores = ScoreWith((_, _) => { });

        Assert.Null(scores.Value("acme", Indicator.Growth));
    }

    [Fact]
    public void Missing_when_then_MRR_is_0()
    {
        var scores = ScoreWith((b, a) => b.Revenue(a, Day(3, 1), 0).Revenue(a, Day(6, 1), 500));

        Assert.Null(scores.Value("acme", Indicator.Growth));
    }

    [Fact]
    public void Zero_then_is_missing_even_when_an_older_entry_was_positive()
    {
        // then is the latest entry at or before T - 90 d (0 here), not the latest positive one
        var scores = ScoreWith((b, a) => b.Revenue(a, Day(1, 1), 800).Revenue(a, Day(3, 1), 0).Revenue(a, Day(6, 1), 500));

        Assert.Null(scores.Value("acme", Indicator.Growth));
    }

    [Fact]
    public void Of_two_entries_on_one_date_the_later_import_wins()
    {
        // Documented reading (WindowAggregates remarks): same date, higher sequence is the entry.
        var scores = ScoreWith((b, a) => b.Revenue(a, Day(3, 1), 1000, sequence: 2)
            .Revenue(a, Day(3, 1), 2000, sequence: 1)
            .Revenue(a, Day(6, 1), 1100));

        // then 1000 (sequence 2), now 1100: pct 0.1 -> 85
        Assert.Equal(85, scores.Value("acme", Indicator.Growth)!.Value, 1e-9);
    }
}
