using Bunit;
using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Data;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Pages.Account;

/// <summary>The Metrics tab: each metric up to the as-of time with its latest value, its values and the custom indicators reading it.</summary>
public sealed class AccountMetricsPanelTests : PageTestBase
{
    private static readonly DateTime AsOf = TestPortfolio.AsOf;

    public AccountMetricsPanelTests()
    {
        using var db = CreateDb();
        var account = new HealthDashboard.Data.Account { ExternalId = "ACC-1", Name = "Northwind Logistics", CreatedAt = AsOf.AddDays(-400) };
        var other = new HealthDashboard.Data.Account { ExternalId = "ACC-2", Name = "Bluepeak Analytics", CreatedAt = AsOf.AddDays(-400) };
        db.Accounts.AddRange(account, other);
        db.SaveChanges();
        db.Metrics.AddRange(
            new MetricValue { AccountId = account.Id, Metric = "onboarding_pct", Time = AsOf.AddDays(-30), Value = 40 },
            new MetricValue { AccountId = account.Id, Metric = "onboarding_pct", Time = AsOf.AddDays(-10), Value = 70 },
            new MetricValue { AccountId = account.Id, Metric = "onboarding_pct", Time = AsOf.AddDays(-10), Value = 75.5 },
            new MetricValue { AccountId = account.Id, Metric = "onboarding_pct", Time = AsOf.AddDays(1), Value = 99 },
            new MetricValue { AccountId = account.Id, Metric = "sponsor_sentiment", Time = AsOf.AddDays(-40), Value = 4 },
            new MetricValue { AccountId = other.Id, Metric = "renewal_likelihood", Time = AsOf.AddDays(-5), Value = 0.8 });
        db.SaveChanges();
        RenderInCircuit();
    }

    private static ScoringModel ModelReadingOnboarding() => TestPortfolio.Model() with
    {
        CustomIndicators = [new CustomIndicator { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_pct", Weight = 10 }],
    };

    [Fact]
    public void Each_metric_shows_its_values_up_to_as_of_its_latest_value_and_the_indicators_reading_it()
    {
        var panel = RenderPage<AccountMetricsPanel>(p => p.Add(x => x.AccountId, "ACC-1").Add(x => x.AsOf, AsOf).Add(x => x.Model, ModelReadingOnboarding()));

        panel.WaitForAssertion(() => Assert.Equal(["onboarding_pct", "sponsor_sentiment"], panel.FindAll("[data-testid=metric]").Select(m => m.GetAttribute("data-metric"))));
        var onboarding = panel.Find("[data-metric=onboarding_pct]");
        // Of two values at the same time the one imported last is read; the value after as-of is not.
        Assert.Equal("75.5", onboarding.QuerySelector("[data-testid=metric-latest]")!.TextContent);
        Assert.Equal(["75.5", "70", "40"], onboarding.QuerySelectorAll("[data-testid=metric-row] .hd-col-num").Select(c => c.TextContent));
        Assert.Contains("Onboarding progress · weight 10", onboarding.QuerySelector("[data-testid=metric-used-by]")!.TextContent, StringComparison.Ordinal);

        var sponsor = panel.Find("[data-metric=sponsor_sentiment]");
        Assert.Contains("No custom indicator of this account's model reads it.", sponsor.TextContent, StringComparison.Ordinal);
        Assert.Contains("One value so far", sponsor.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_without_metrics_says_where_they_come_from()
    {
        var panel = RenderPage<AccountMetricsPanel>(p => p.Add(x => x.AccountId, "ACC-3").Add(x => x.AsOf, AsOf).Add(x => x.Model, TestPortfolio.Model()));

        panel.WaitForAssertion(() => Assert.Contains("No metrics", panel.Find("[data-testid=metrics]").TextContent, StringComparison.Ordinal));
        Assert.Contains("metrics.csv", panel.Find("[data-testid=metrics]").TextContent, StringComparison.Ordinal);
    }
}
