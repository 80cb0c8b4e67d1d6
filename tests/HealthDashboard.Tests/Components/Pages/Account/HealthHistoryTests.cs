using Bunit;
using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Data;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Pages.Account;

/// <summary>The account page's health history chart: a line per indicator on demand, custom indicators included.</summary>
public sealed class HealthHistoryTests : PageTestBase
{
    public HealthHistoryTests() => RenderInCircuit();

    private static readonly CustomIndicator Onboarding = new() { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_pct", Weight = 20 };

    private static readonly CustomIndicator Sponsor = new() { Key = "sponsor", Name = "Exec sponsor", Metric = "sponsor", Weight = 10 };

    [Fact]
    public void A_custom_indicator_is_offered_beside_the_built_in_ones_and_draws_its_stored_scores_with_gaps_where_missing()
    {
        // Three stored days: a row from before custom scores were kept (NULL), one where the metric was missing, one with a score.
        string?[] customScores = [null, """{"onboarding":null,"sponsor":[12.5,3,1]}""", """{"onboarding":[55,55,1],"sponsor":[20,4,1]}"""];
        using (var db = CreateDb())
        {
            var account = new Data.Account { ExternalId = "ACC-4", Name = "Harborview Health", CreatedAt = TestPortfolio.AsOf.AddDays(-250) };
            db.Accounts.Add(account);
            db.SaveChanges();
            for (var d = 3; d >= 1; d--)
            {
                db.Snapshots.Add(new ScoreSnapshot
                {
                    Day = TestPortfolio.AsOf.Date.AddDays(-d), AccountId = account.Id, ModelVersion = 1, Health = 20 + d, Grade = 3, Recency = 10 * d,
                    CustomScores = customScores[3 - d],
                });
                db.SnapshotDays.Add(new SnapshotDay { Day = TestPortfolio.AsOf.Date.AddDays(-d), ModelVersion = 1, Accounts = 1 });
            }

            db.SaveChanges();
        }

        RenderPopoverProvider();
        var history = Render<HealthHistory>(p => p
            .Add(x => x.AccountId, "ACC-4")
            .Add(x => x.Band, Band.Red)
            .Add(x => x.Thresholds, new GradeThresholds())
            .Add(x => x.CustomIndicators, [Onboarding, Sponsor])
            .Add(x => x.AsOf, TestPortfolio.AsOf)
            .Add(x => x.ModelVersion, 1));
        history.WaitForAssertion(() => history.Find("[data-testid=history]"));

        Assert.Equal(
            ["Engagement", "Breadth", "Depth", "Frequency", "Recency", "Support", "Sentiment", "Growth", "Onboarding progress", "Exec sponsor"],
            history.FindAll(".hd-history-indicators .mud-chip").Select(c => c.TextContent.Trim()));
        history.Find(".hd-history-indicators [data-indicator=onboarding]").Click();
        history.Find(".hd-history-indicators [data-indicator=recency]").Click();

        var chart = history.FindComponent<ApexChart>().Instance.Options;
        Assert.Equal(["Health", "Recency", "Onboarding progress"], chart.Series.Select(s => s.Name));
        Assert.Equal([30.0, 20.0, 10.0], chart.Series[1].Data.Select(v => v!.Value));
        Assert.Equal([null, null, 55.0], chart.Series[2].Data);
        Assert.Equal(3, chart.Colors!.Distinct().Count());

        history.Find(".hd-history-indicators [data-indicator=onboarding]").Click();
        Assert.Equal(["Health", "Recency"], history.FindComponent<ApexChart>().Instance.Options.Series.Select(s => s.Name));
    }
}
