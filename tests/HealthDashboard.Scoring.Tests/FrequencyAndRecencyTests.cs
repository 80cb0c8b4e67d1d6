namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// Frequency: mean over active users of active days / (W x 5/7), capped at 100. Recency: d = whole
/// days from the last usage row at or before T, 100 x max(0, 1 - d / W), never active 0.
/// </summary>
public class FrequencyAndRecencyTests
{
    private static readonly DateTime T = PortfolioBuilder.T; // 2025-06-30 12:00 UTC; window from 2025-05-31 12:00

    private static DateTime June(int day, int hour, int minute = 0) => new(2025, 6, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void Frequency_is_the_mean_active_days_of_active_users_over_working_days()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 5);
        var ann = b.User(acme);
        var bob = b.User(acme);
        b.User(acme); // never active: not part of the mean
        // ann: 20 June three times (00:30, 09:00, 23:30 are one UTC day), 25 June, 29 June = 3 days
        b.Use(acme, ann, "login", June(20, 0, 30)).Use(acme, ann, "report", June(20, 9)).Use(acme, ann, "login", June(20, 23, 30))
            .Use(acme, ann, "login", June(25, 10)).Use(acme, ann, "login", June(29, 23, 59));
        // bob: 1-6 June = 6 days
        for (var day = 1; day <= 6; day++)
        {
            b.Use(acme, bob, "login", June(day, 8));
        }

        // account-level rows on ten other days do not change the mean over active users
        for (var day = 10; day <= 19; day++)
        {
            b.AccountUse(acme, "sync", June(day, 8));
        }

        var scores = ScoreRun.Score(b.Build());

        // mean (3 + 6) / 2 = 4.5; 4.5 / (30 x 5/7) = 4.5 x 7 / 150 = 0.21 -> 21
        Assert.Equal(0.21, scores.Raw("acme", Indicator.Frequency)!.Value, 1e-12);
        Assert.Equal(21, scores.Value("acme", Indicator.Frequency)!.Value, 1e-9);
    }

    [Fact]
    public void Rows_either_side_of_midnight_are_two_days()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        var ann = b.User(acme);
        b.Use(acme, ann, "login", June(20, 23, 30)).Use(acme, ann, "login", June(21, 0, 30));

        var scores = ScoreRun.Score(b.Build());

        // 2 days: 2 x 7 / 150 = 0.09333 -> 9.33
        Assert.Equal(2 * 7 / 150.0, scores.Raw("acme", Indicator.Frequency)!.Value, 1e-12);
    }

    [Fact]
    public void Account_level_usage_only_uses_the_account_active_days()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 3);
        b.User(acme);
        // five distinct days, one of them twice
        foreach (var day in new[] { 2, 4, 4, 8, 16, 28 })
        {
            b.AccountUse(acme, "sync", June(day, 6));
        }

        var scores = ScoreRun.Score(b.Build());

        // 5 / (30 x 5/7) = 35 / 150 = 0.23333 -> 23.33
        Assert.Equal(35 / 150.0, scores.Raw("acme", Indicator.Frequency)!.Value, 1e-12);
        Assert.Equal(3500 / 150.0, scores.Value("acme", Indicator.Frequency)!.Value, 1e-9);
    }

    [Fact]
    public void No_usage_in_window_is_frequency_0()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 3);
        b.Use(acme, b.User(acme), "login", T.AddDays(-31));

        var scores = ScoreRun.Score(b.Build());

        Assert.Equal(0, scores.Value("acme", Indicator.Frequency));
    }

    [Fact]
    public void Frequency_is_capped_at_100()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        var ann = b.User(acme);
        for (var i = 0; i < 7; i++)
        {
            b.Use(acme, ann, "login", T.AddDays(-i).AddHours(-1)); // 24-30 June, seven days
        }

        var scores = ScoreRun.Score(b.Build(), ScoringModel.Default with { WindowDays = 7 });

        // W = 7: 7 / (7 x 5/7) = 7 / 5 = 1.4 -> 100 x min(1, 1.4) = 100
        Assert.Equal(1.4, scores.Raw("acme", Indicator.Frequency)!.Value, 1e-12);
        Assert.Equal(100, scores.Value("acme", Indicator.Frequency));
    }

    [Theory]
    [InlineData(0, 1, 0, 100.0)]            // 1 h ago: d = 0 -> 100
    [InlineData(1, 0, 1, 100 - (100 / 30.0))]      // exactly 1 day: d = 1 -> 100 (1 - 1/30) = 96.67
    [InlineData(2, 1, 2, 100 - (200 / 30.0))]      // 2 d 1 h: floor -> 2 -> 100 (1 - 2/30) = 93.33
    [InlineData(29, 23, 29, 100 / 30.0)]  // 29 d 23 h: floor -> 29 -> 100 (1 - 29/30) = 3.33
    [InlineData(30, 0, 30, 0.0)]          // d = W: 0
    [InlineData(45, 0, 45, 0.0)]          // older than W: max(0, 1 - 45/30) = 0
    public void Recency_counts_whole_days_since_the_last_row(int days, int hours, int expectedDays, double expectedScore)
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.AccountUse(acme, "login", T.AddDays(-days).AddHours(-hours));
        b.AccountUse(acme, "login", T.AddDays(-60));

        var scores = ScoreRun.Score(b.Build());

        Assert.Equal(expectedDays, scores.Raw("acme", Indicator.Recency));
        Assert.Equal(expectedScore, scores.Value("acme", Indicator.Recency)!.Value, 1e-9);
    }

    [Fact]
    public void Recency_scales_with_the_window()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.AccountUse(acme, "login", T.AddDays(-2));

        var scores = ScoreRun.Score(b.Build(), ScoringModel.Default with { WindowDays = 10 });

        // 100 x (1 - 2/10) = 80
        Assert.Equal(80, scores.Value("acme", Indicator.Recency)!.Value, 1e-9);
    }

    [Fact]
    public void Never_active_account_has_recency_0()
    {
        var b = new PortfolioBuilder();
        b.Account("acme");

        var scores = ScoreRun.Score(b.Build());

        Assert.Null(scores.Raw("acme", Indicator.Recency));
        Assert.Equal(0, scores.Value("acme", Indicator.Recency));
    }
}
