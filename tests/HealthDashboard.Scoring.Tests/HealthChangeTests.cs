namespace HealthDashboard.Scoring.Tests;

/// <summary><see cref="HealthChange"/>: the indicators' changes of contribution add up to the change in health.</summary>
public sealed class HealthChangeTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    [Fact]
    public void The_impacts_add_up_exactly_to_the_change_in_health_largest_first()
    {
        var data = Portfolio();
        var model = ScoringModel.Default.WithKeyFeatures("report");
        var before = ScoreRun.Score(data, model, T.AddDays(-30));
        var after = ScoreRun.Score(data, model, T);

        var change = HealthChange.Between(before, before.Local("A"), after, after.Local("A"));

        Assert.Equal(before.HealthOf("A"), change.HealthBefore);
        Assert.Equal(after.HealthOf("A"), change.HealthAfter);
        Assert.True(change.Change < -10, $"A declined: {change.Change}");
        Assert.Equal(0, change.ClampEffect, 9);
        Assert.Equal(change.Change, change.Indicators.Sum(i => i.Impact) + change.ClampEffect, 9);
        Assert.Equal(change.Indicators.Select(i => Math.Abs(i.Impact)).OrderDescending(), change.Indicators.Select(i => Math.Abs(i.Impact)));
        foreach (var shift in change.Indicators)
        {
            Assert.Equal(before.Contribution(before.Local("A"), shift.Indicator!.Value), shift.ContributionBefore);
            Assert.Equal(after.Contribution(after.Local("A"), shift.Indicator!.Value), shift.ContributionAfter);
        }
    }

    [Fact]
    public void Users_who_went_quiet_and_the_event_types_that_moved_are_named()
    {
        var data = Portfolio();
        var before = ScoreRun.Score(data, asOf: T.AddDays(-30));
        var after = ScoreRun.Score(data, asOf: T);

        var change = HealthChange.Between(before, before.Local("A"), after, after.Local("A"));

        var quiet = Assert.Single(change.Users, u => u.WentQuiet);
        Assert.Equal("A-quiet", quiet.Id);
        Assert.Equal(0, quiet.PointsAfter);
        Assert.True(quiet.PointsBefore > 0);
        var report = Assert.Single(change.EventTypes, e => e.Key == "report");
        Assert.Equal((10.0, 0.0), (report.PointsBefore, report.PointsAfter));
        Assert.Equal("login", change.EventTypes[0].Key);
        Assert.True(change.EventTypes[0].Change < report.Change, "the quiet user's logins moved more than the reports");
    }

    [Fact]
    public void A_score_clamped_at_the_floor_keeps_the_sum_exact_with_the_clamp_effect()
    {
        // Without Engagement and Support (whose floors are 1 and 100), an idle account's indicators are all 0:
        // H = 0 before clamping, shown as 1.
        var b = new PortfolioBuilder();
        var a = b.Account("Z", seats: 5);
        var other = b.Account("O", seats: 1);
        var u = b.User(other);
        b.Use(other, u, "login", T.AddDays(-1), 50);
        b.Use(a, b.User(a), "login", T.AddDays(-40));
        var data = b.Build();
        var model = ScoringModel.Default with
        {
            IndicatorWeights = ScoringModel.Default.IndicatorWeights.With(Indicator.Engagement, 0).With(Indicator.Support, 0),
        };
        var before = ScoreRun.Score(data, model, T.AddDays(-35));
        var after = ScoreRun.Score(data, model, T);

        var change = HealthChange.Between(before, before.Local("Z"), after, after.Local("Z"));

        Assert.Equal(1, change.HealthAfter);
        Assert.NotEqual(0, change.ClampEffect);
        Assert.Equal(change.Change, change.Indicators.Sum(i => i.Impact) + change.ClampEffect, 9);
    }

    /// <summary>A: three users busy until 30 days ago; then one stops, reports stop, logins go on. B: steady.</summary>
    private static PortfolioData Portfolio()
    {
        var b = new PortfolioBuilder();
        var a = b.Account("A", seats: 3);
        var busy = b.User(a, id: "A-busy");
        var steady = b.User(a, id: "A-steady");
        var quiet = b.User(a, id: "A-quiet");
        var other = b.Account("B", seats: 2);
        var bu = b.User(other, id: "B-1");
        for (var d = 59; d >= 0; d--)
        {
            var at = T.AddDays(-d).AddHours(-2);
            b.Use(a, busy, "login", at, 3);
            b.Use(other, bu, "login", at, 2);
            if (d % 2 == 0)
            {
                b.Use(a, steady, "login", at);
            }

            if (d >= 31)
            {
                b.Use(a, quiet, "login", at, 2);
                if (d < 41)
                {
                    b.Use(a, busy, "report", at);
                }
            }
        }

        return b.Build();
    }
}
