namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// SCORING.md "Explanation": contributions w_i x_i / sum of w add up to H before clamping, and the
/// Engagement raw value splits by event type (count x weight) and by user.
/// </summary>
public class ExplanationTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    /// <summary>login weight 1, report 3, export 0. ann: 4 logins + 2 reports; bob: 1 report; account-level: 5 exports + 2 logins.</summary>
    private static (PortfolioScores Scores, int Ann, int Bob) Scored()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 5);
        var ann = b.User(acme);
        var bob = b.User(acme);
        b.User(acme); // idle: no part
        b.Use(acme, ann, "login", T.AddDays(-1), 4)
            .Use(acme, ann, "report", T.AddDays(-2), 2)
            .Use(acme, bob, "report", T.AddDays(-3))
            .AccountUse(acme, "export", T.AddDays(-4), 5)
            .AccountUse(acme, "login", T.AddDays(-5), 2)
            .Use(acme, bob, "report", T.AddDays(-40), 100); // before the window: no part
        var other = b.Account("other", seats: 2);
        b.AccountUse(other, "login", T.AddDays(-1), 40);
        var model = ScoringModel.Default
            .WithEventType("report", new EventTypeSettings(3, KeyFeature: true))
            .WithEventType("export", new EventTypeSettings(0));
        var scores = ScoreRun.Score(b.Build(), model);
        return (scores, scores.Aggregates.LocalUserOf[ann], scores.Aggregates.LocalUserOf[bob]);
    }

    [Fact]
    public void Event_type_split_is_count_times_weight_and_sums_to_the_engagement_raw_value()
    {
        var (scores, _, _) = Scored();

        var explanation = AccountExplanation.For(scores, scores.Local("acme"));

        // report 3 x 3 = 9, login (4 + 2) x 1 = 6, export 5 x 0 = 0; total 15
        Assert.Equal(
            [("report", 3L, 9.0), ("login", 6L, 6.0), ("export", 5L, 0.0)],
            explanation.EventTypes.Select(p => (p.Key, p.Count, p.Points)).ToArray());
        Assert.Equal(15, scores.Raw("acme", Indicator.Engagement));
        Assert.Equal(15, explanation.EventTypes.Sum(p => p.Points));
    }

    [Fact]
    public void User_split_plus_the_account_level_remainder_sums_to_the_engagement_raw_value()
    {
        var (scores, ann, bob) = Scored();

        var explanation = AccountExplanation.For(scores, scores.Local("acme"));

        // ann 4 x 1 + 2 x 3 = 10, bob 1 x 3 = 3, account-level (-1) 5 x 0 + 2 x 1 = 2; total 15
        Assert.Equal(
            [(ann, 10.0), (bob, 3.0), (-1, 2.0)],
            explanation.Users.Select(p => (p.UserIndex, p.Points)).ToArray());
        Assert.Equal(15, explanation.Users.Sum(p => p.Points), 1e-9);
    }

    [Fact]
    public void Indicator_contributions_add_up_to_H()
    {
        var (scores, _, _) = Scored();
        var a = scores.Local("acme");

        var explanation = AccountExplanation.For(scores, a);

        Assert.Equal(scores.Health[a], explanation.Indicators.Sum(p => p.Contribution), 1e-9);
        foreach (var part in explanation.Indicators)
        {
            // w x / sum of w over indicators with a value
            var expected = part.Value is { } x ? part.Weight * x / scores.WeightTotals[a] : 0;
            Assert.Equal(expected, part.Contribution, 1e-12);
        }
    }

    [Fact]
    public void Missing_indicators_contribute_nothing_and_say_why()
    {
        var (scores, _, _) = Scored();

        var explanation = AccountExplanation.For(scores, scores.Local("acme"));
        var sentiment = explanation.Indicators.Single(p => p.Indicator == Indicator.Sentiment);
        var growth = explanation.Indicators.Single(p => p.Indicator == Indicator.Growth);

        Assert.Null(sentiment.Value);
        Assert.Equal(0, sentiment.Contribution);
        Assert.False(string.IsNullOrEmpty(sentiment.MissingReason));
        Assert.Null(growth.Value);
        Assert.False(string.IsNullOrEmpty(growth.MissingReason));
        // present: Engagement, Breadth, Depth, Frequency, Recency, Support = 25 + 15 + 15 + 10 + 10 + 10 = 85
        Assert.Equal(85, scores.WeightTotals[scores.Local("acme")]);
    }
}
