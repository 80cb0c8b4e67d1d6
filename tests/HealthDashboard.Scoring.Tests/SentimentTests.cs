namespace HealthDashboard.Scoring.Tests;

/// <summary>Sentiment: mean over (T - 90 d, T] of NPS x 10, CSAT and ticket satisfaction (x - 1) x 25; tickets at their closed time.</summary>
public class SentimentTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    [Fact]
    public void Sentiment_is_the_mean_of_the_last_90_days_on_a_0_to_100_scale()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.Survey(acme, T.AddDays(-10), SurveyKind.Nps, 8)                       // 8 x 10 = 80
            .Survey(acme, T.AddDays(-89), SurveyKind.Csat, 4)                     // (4 - 1) x 25 = 75
            .Survey(acme, T.AddDays(-90), SurveyKind.Nps, 0)                      // exactly T - 90 d: out
            .Survey(acme, T.AddHours(1), SurveyKind.Nps, 10)                      // after T: never read
            .Ticket(acme, T.AddDays(-100), closed: T.AddDays(-1), satisfaction: 2) // closed in the 90 days: (2 - 1) x 25 = 25
            .Ticket(acme, T.AddDays(-5), closed: T.AddDays(1), satisfaction: 5)    // closed after T: out
            .Ticket(acme, T.AddDays(-130), closed: T.AddDays(-120), satisfaction: 5) // closed too long ago: out
            .Ticket(acme, T.AddDays(-3), closed: T.AddDays(-2));                   // not rated: out

        var scores = ScoreRun.Score(b.Build());

        // (80 + 75 + 25) / 3 = 60
        Assert.Equal(60, scores.Raw("acme", Indicator.Sentiment)!.Value, 1e-9);
        Assert.Equal(60, scores.Value("acme", Indicator.Sentiment)!.Value, 1e-9);
    }

    [Theory]
    [InlineData(SurveyKind.Nps, 0, 0.0)]
    [InlineData(SurveyKind.Nps, 10, 100.0)]
    [InlineData(SurveyKind.Nps, 7, 70.0)]
    [InlineData(SurveyKind.Csat, 1, 0.0)]
    [InlineData(SurveyKind.Csat, 5, 100.0)]
    [InlineData(SurveyKind.Csat, 3, 50.0)]
    public void Survey_scales(SurveyKind kind, double score, double expected)
    {
        var b = new PortfolioBuilder();
        b.Survey(b.Account("acme"), T.AddDays(-1), kind, score);

        var scores = ScoreRun.Score(b.Build());

        Assert.Equal(expected, scores.Value("acme", Indicator.Sentiment)!.Value, 1e-9);
    }

    [Fact]
    public void Ticket_satisfaction_scales_like_CSAT()
    {
        var b = new PortfolioBuilder();
        b.Ticket(b.Account("acme"), T.AddDays(-10), closed: T, satisfaction: 4);

        var scores = ScoreRun.Score(b.Build());

        // closed exactly at T counts: (4 - 1) x 25 = 75
        Assert.Equal(75, scores.Value("acme", Indicator.Sentiment));
    }

    [Fact]
    public void Sentiment_is_missing_without_a_response_or_rated_ticket()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme");
        b.Survey(acme, T.AddDays(-91), SurveyKind.Nps, 9)
            .Ticket(acme, T.AddDays(-2), closed: T.AddDays(-1));

        var scores = ScoreRun.Score(b.Build());

        Assert.Null(scores.Value("acme", Indicator.Sentiment));
    }

    [Fact]
    public void Rated_ticket_still_open_does_not_count_yet()
    {
        // Documented reading (WindowAggregates remarks): a rated ticket counts at its closed time, so not while open.
        var b = new PortfolioBuilder();
        b.Ticket(b.Account("acme"), T.AddDays(-2), satisfaction: 1);

        var scores = ScoreRun.Score(b.Build());

        Assert.Null(scores.Value("acme", Indicator.Sentiment));
    }
}
