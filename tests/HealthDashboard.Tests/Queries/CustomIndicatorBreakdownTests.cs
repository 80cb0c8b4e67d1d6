using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Queries;

/// <summary>The account page's "why this score" rows for custom indicators: value, age, weight, contribution, why missing.</summary>
public class CustomIndicatorBreakdownTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    [Fact]
    public void Custom_rows_show_the_metric_and_its_age_and_the_contributions_still_add_up_to_the_score()
    {
        var b = new PortfolioBuilder();
        var acme = b.Account("acme", seats: 5);
        var quiet = b.Account("quiet", seats: 5);
        b.AccountUse(acme, "login", T.AddDays(-1), 3).AccountUse(quiet, "login", T.AddDays(-4), 1)
            .Metric(acme, "onboarding_pct", T.AddDays(-12), 62.5);
        var model = ScoringModel.Default with
        {
            CustomIndicators = [new CustomIndicator { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_pct", Weight = 20 }],
        };
        var view = new PortfolioView(ScoringService.Score(b.Build(), T, model, 1), null, new Dictionary<string, IReadOnlyList<double>>(), []);

        var shown = AccountBreakdown.For(view, view.FindAccount("acme")!.Index);
        var missing = AccountBreakdown.For(view, view.FindAccount("quiet")!.Index);

        var row = Assert.Single(shown.CustomRows);
        Assert.Equal((62.5, "62.5 12 days old", 20.0), (row.Value, row.RawText, row.Weight));
        Assert.Equal(shown.Account.Health, shown.ContributionTotal, 1e-9);
        Assert.Equal("no 'onboarding_pct' value in the last 90 days", Assert.Single(missing.CustomRows).MissingReason);
        Assert.Equal(missing.Account.Health, missing.ContributionTotal, 1e-9);
    }
}
