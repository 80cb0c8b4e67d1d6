using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Scores;

/// <summary>
/// "What changed" on <see cref="TestPortfolio"/>: the indicators add up to the customer's change, and when a model
/// was saved between the two dates the model's and the customer's shares add up to the whole change.
/// </summary>
public sealed class AccountChangesTests
{
    private static readonly DateTime AsOf = TestPortfolio.AsOf;

    [Fact]
    public async Task The_default_comparison_is_the_view_and_its_trend_and_the_lines_add_up()
    {
        await using var store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), AsOf);
        var view = await store.StartScoreBoardWorkerAsync();

        var (report, problem) = await store.Get<AccountChanges>().CompareAsync(view, "ACC-3", AsOf.AddDays(-30), AsOf);

        Assert.Null(problem);
        Assert.Null(report!.Model);
        var account = view.FindAccount("ACC-3")!;
        Assert.Equal(account.Health, report.Customer.HealthAfter);
        Assert.Equal(account.Trend!.Value, report.TotalChange, 9);
        Assert.Equal(report.TotalChange, report.Customer.Indicators.Sum(i => i.Impact) + report.Customer.ClampEffect, 9);

        // In words, to one decimal: the shown impacts add up to the shown change.
        var lines = ChangeWords.Lines(report.Customer);
        Assert.Equal(Math.Round(report.TotalChange, 1, MidpointRounding.AwayFromZero), Math.Round(lines.Sum(l => l.Impact), 1), 9);
        Assert.Contains(lines, l => l.Text.StartsWith("Frequency fell from", StringComparison.Ordinal) && l.Text.Contains("and cost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_saved_in_between_is_split_from_the_customers_change_and_both_add_up()
    {
        await using var store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), AsOf);
        var edited = TestPortfolio.Model() with { IndicatorWeights = TestPortfolio.Model().IndicatorWeights.With(Indicator.Recency, 80) };
        await using (var db = await store.DbAsync())
        {
            db.ModelVersions.Add(new ScoringModelVersion { Id = 2, SavedAt = AsOf.AddDays(-5), SavedBy = "maya", ModelJson = edited.ToJson() });
            await db.SaveChangesAsync();
        }

        var view = await store.StartScoreBoardWorkerAsync();
        var from = AsOf.Date.AddDays(-20);

        var (report, _) = await store.Get<AccountChanges>().CompareAsync(view, "ACC-3", from, AsOf);

        var split = report!.Model!;
        Assert.Equal((1, 2), (split.ModelBefore, split.ModelAfter));
        var shownThen = await store.Get<ScoringService>().ScoreAtAsync(from, TestPortfolio.Model());
        var sameModelThen = await store.Get<ScoringService>().ScoreAtAsync(from, edited);
        Assert.Equal(shownThen.Scores.Health[shownThen.Aggregates.LocalAccountIndex("ACC-3")], split.HealthBeforeAsShown, 9);
        Assert.Equal(sameModelThen.Scores.Health[sameModelThen.Aggregates.LocalAccountIndex("ACC-3")], report.Customer.HealthBefore, 9);
        Assert.NotEqual(0, split.ModelEffect);
        Assert.Equal(report.TotalChange, split.ModelEffect + split.CustomerEffect, 9);
        Assert.Equal(split.CustomerEffect, report.Customer.Indicators.Sum(i => i.Impact) + report.Customer.ClampEffect, 9);
    }

    [Fact]
    public async Task An_account_not_yet_a_customer_at_the_first_date_is_said_so()
    {
        await using var store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), AsOf);
        var view = await store.StartScoreBoardWorkerAsync();

        var (report, problem) = await store.Get<AccountChanges>().CompareAsync(view, "ACC-5", AsOf.AddDays(-30), AsOf);

        Assert.Null(report);
        Assert.Equal($"The account was not scored on {AsOf.AddDays(-30):yyyy-MM-dd} (not yet a customer, or churned).", problem);
    }

    /// <summary>The test portfolio with onboarding progress of ACC-3: 40 a little over 30 days ago, 70 three days ago.</summary>
    internal static PortfolioData DataWithOnboarding()
    {
        var d = TestPortfolio.Data();
        var acc3 = d.AccountIndexById["ACC-3"];
        MetricRow[] metrics =
        [
            new(acc3, "onboarding_pct", AsOf.AddDays(-35).Ticks, 40, 1),
            new(acc3, "onboarding_pct", AsOf.AddDays(-3).Ticks, 70, 2),
        ];
        return new PortfolioData(d.Accounts, d.Users, d.EventTypeKeys, d.Usage.ToArray(), d.Tickets, d.Surveys, d.Revenue, d.EventTypeNames, d.Overrides, metrics);
    }

    internal static ScoringModel ModelWithOnboarding() => TestPortfolio.Model() with
    {
        CustomIndicators = [new CustomIndicator { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_pct", Weight = 20 }],
    };

    [Fact]
    public async Task A_custom_indicator_takes_its_share_of_the_change_in_words_with_the_metric_values_behind_it()
    {
        await using var store = await TestStore.CreateWithAsync(DataWithOnboarding(), ModelWithOnboarding(), AsOf);
        var view = await store.StartScoreBoardWorkerAsync();

        var (report, problem) = await store.Get<AccountChanges>().CompareAsync(view, "ACC-3", AsOf.AddDays(-30), AsOf);

        Assert.Null(problem);
        var onboarding = Assert.Single(report!.Customer.Indicators, i => i.Key == "onboarding");
        Assert.Equal((40.0, 70.0), (onboarding.Before, onboarding.After));
        var (a1, a2) = (view.MonthAgo!.Aggregates.LocalAccountIndex("ACC-3"), view.Scored.Aggregates.LocalAccountIndex("ACC-3"));
        Assert.Equal(20 * 40 / view.MonthAgo.Scores.WeightTotals[a1], onboarding.ContributionBefore, 9);
        Assert.Equal(20 * 70 / view.Scored.Scores.WeightTotals[a2], onboarding.ContributionAfter, 9);
        Assert.Equal(view.FindAccount("ACC-3")!.Trend!.Value, report.TotalChange, 9);
        Assert.Equal(report.TotalChange, report.Customer.Indicators.Sum(i => i.Impact) + report.Customer.ClampEffect, 9);

        var lines = ChangeWords.Lines(report.Customer);
        Assert.Equal(Math.Round(report.TotalChange, 1, MidpointRounding.AwayFromZero), Math.Round(lines.Sum(l => l.Impact), 1), 9);
        var line = Assert.Single(lines, l => l.Key == "onboarding");
        Assert.StartsWith($"Onboarding progress rose from 40 to 70 and added {line.Impact:0.0} points", line.Text, StringComparison.Ordinal);
        Assert.Equal(["Metric onboarding_pct: 40 (26 May 2026) → 70 (27 Jun 2026)"], line.Details);
        Assert.Equal(lines.Select(l => Math.Abs(l.Impact)).OrderDescending(), lines.Select(l => Math.Abs(l.Impact)));
    }

    [Fact]
    public async Task Between_two_stored_days_a_custom_indicator_s_shift_matches_the_snapshots_of_both_days()
    {
        await using var store = await TestStore.CreateWithAsync(DataWithOnboarding(), ModelWithOnboarding(), AsOf);
        var view = await store.StartScoreBoardWorkerAsync();
        var snapshots = store.Get<SnapshotStore>();
        await snapshots.BackfillAsync(AsOf.Date);
        var (from, to) = (AsOf.Date.AddDays(-20), AsOf.Date.AddDays(-1));

        var (report, problem) = await store.Get<AccountChanges>().CompareAsync(view, "ACC-3", from, to);

        Assert.Null(problem);
        var (before, after) = ((await snapshots.StoredDayAsync(from))["ACC-3"], (await snapshots.StoredDayAsync(to))["ACC-3"]);
        var onboarding = Assert.Single(report!.Customer.Indicators, i => i.Key == "onboarding");
        // 40 imported 35 days before the as-of time, 70 three days before: both stored days read what the change shows.
        Assert.Equal((40.0, 70.0), (onboarding.Before, onboarding.After));
        Assert.Equal((before.CustomValue("onboarding"), after.CustomValue("onboarding")), (onboarding.Before, onboarding.After));
        Assert.Equal(before.Custom["onboarding"].Reading, onboarding.MetricBefore);
        Assert.Equal(new MetricReading(70, AsOf.AddDays(-3)), after.Custom["onboarding"].Reading);
        Assert.Equal(after.Custom["onboarding"].Reading, onboarding.MetricAfter);
        Assert.Equal((before.Health, after.Health), (report.Customer.HealthBefore, report.Customer.HealthAfter));
        Assert.Equal(report.TotalChange, report.Customer.Indicators.Sum(i => i.Impact) + report.Customer.ClampEffect, 9);
    }

    [Fact]
    public async Task A_model_that_added_a_custom_indicator_names_it_in_the_split_and_the_shares_add_up()
    {
        await using var store = await TestStore.CreateWithAsync(DataWithOnboarding(), TestPortfolio.Model(), AsOf);
        await using (var db = await store.DbAsync())
        {
            db.ModelVersions.Add(new ScoringModelVersion { Id = 2, SavedAt = AsOf.AddDays(-5), SavedBy = "maya", ModelJson = ModelWithOnboarding().ToJson() });
            await db.SaveChangesAsync();
        }

        var view = await store.StartScoreBoardWorkerAsync();
        var (report, _) = await store.Get<AccountChanges>().CompareAsync(view, "ACC-3", AsOf.Date.AddDays(-20), AsOf);

        var split = report!.Model!;
        Assert.Equal(["Onboarding progress"], split.CustomAdded);
        Assert.Empty(split.CustomRemoved);
        Assert.Equal(report.TotalChange, split.ModelEffect + split.CustomerEffect, 9);
        // Both dates scored with the new model: the indicator's own move (40 -> 70) is the customer's.
        var onboarding = Assert.Single(report.Customer.Indicators, i => i.Key == "onboarding");
        Assert.Equal((40.0, 70.0), (onboarding.Before, onboarding.After));
        Assert.Equal(split.CustomerEffect, report.Customer.Indicators.Sum(i => i.Impact) + report.Customer.ClampEffect, 9);
    }

    [Theory]
    [InlineData(new[] { 1.04, 1.04, 1.04 }, 3.1)]
    [InlineData(new[] { -2.35, 0.449, -0.051 }, -1.95)]
    [InlineData(new[] { 0.05, 0.05, -0.1 }, 0.0)]
    public void Rounding_to_a_sum_keeps_the_shown_parts_adding_up(double[] parts, double total)
    {
        var rounded = ChangeWords.RoundToSum(parts, total, 1);

        Assert.Equal(Math.Round(total, 1, MidpointRounding.AwayFromZero), Math.Round(rounded.Sum(), 1), 9);
        Assert.All(rounded.Zip(parts), p => Assert.True(Math.Abs(p.First - p.Second) < 0.1 + 1e-9, $"{p.First} vs {p.Second}"));
    }
}
