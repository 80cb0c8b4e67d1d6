using HealthDashboard.Alerts;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Alerts;

/// <summary>
/// The alert rules on <see cref="TestPortfolio"/> (a thriving, a steady, a declining, a silent and a new account): each
/// fires for exactly the accounts that meet it, once however often it is evaluated, and clears when the condition goes.
/// </summary>
public sealed class AlertServiceTests : IAsyncLifetime
{
    private TestStore store = null!;
    private PortfolioView view = null!;

    private AlertService Alerts => store.Get<AlertService>();

    public async Task InitializeAsync()
    {
        store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        view = await store.StartScoreBoardWorkerAsync();
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Enters_red_fires_once_per_red_account_and_clears_when_it_leaves_red()
    {
        await AddRuleAsync(new AlertRule { Name = "Red", CreatedBy = "t", Kind = AlertKind.InBand, Band = (byte)Band.Red });
        var red = view.Accounts.Where(a => a.Health < view.Model.Thresholds.C).Select(a => a.Id).Order().ToList();
        Assert.NotEmpty(red);

        var first = await Alerts.EvaluateAsync(view);
        var second = await Alerts.EvaluateAsync(view);

        Assert.Equal(red, first.Opened.Select(o => o.Alert.AccountId).Order());
        Assert.Equal(AlertEvaluation.None, second);
        Assert.Equal(red, (await OpenAsync()).Select(a => a.AccountId).Order());

        // A model under which nobody is red: every alert clears, and none is opened again.
        var lenient = TestPortfolio.Model() with { Thresholds = new GradeThresholds(30, 20, 1) };
        var cleared = await Alerts.EvaluateAsync(TestPortfolio.View(lenient));
        Assert.Equal(red.Count, cleared.Cleared);
        Assert.Empty(await OpenAsync());
    }

    [Fact]
    public async Task Renewal_no_usage_and_indicator_rules_fire_for_exactly_the_accounts_that_meet_them()
    {
        var renewal = await AddRuleAsync(new AlertRule { Name = "Renewal", CreatedBy = "t", Kind = AlertKind.RenewalAtRisk, Days = 30 });
        var quiet = await AddRuleAsync(new AlertRule { Name = "Quiet", CreatedBy = "t", Kind = AlertKind.NoUsage, Days = 14 });
        var frequency = await AddRuleAsync(new AlertRule { Name = "Frequency", CreatedBy = "t", Kind = AlertKind.IndicatorBelow, Indicator = (byte)Indicator.Frequency, Threshold = 30 });

        await Alerts.EvaluateAsync(view);

        var open = await OpenAsync();
        // Renewals within 30 days: ACC-1 (20 days) and ACC-4 (10 days); ACC-3 (45 days) is too far. Only a yellow or red one counts.
        Assert.Equal(
            view.Accounts.Where(a => a.Id is "ACC-1" or "ACC-4" && a.Band != Band.Green).Select(a => a.Id).Order(),
            open.Where(a => a.RuleId == renewal).Select(a => a.AccountId).Order());
        Assert.Contains("ACC-4", open.Where(a => a.RuleId == renewal).Select(a => a.AccountId));
        // Last use: ACC-3 25 days ago, ACC-4 20 days ago; the others today.
        Assert.Equal(["ACC-3", "ACC-4"], open.Where(a => a.RuleId == quiet).Select(a => a.AccountId).Order());
        Assert.Equal(
            view.Accounts.Where(a => view.Scored.Scores.Value(a.Index, Indicator.Frequency) < 30).Select(a => a.Id).Order(),
            open.Where(a => a.RuleId == frequency).Select(a => a.AccountId).Order());
        Assert.DoesNotContain("ACC-1", open.Where(a => a.RuleId == frequency).Select(a => a.AccountId));
        Assert.StartsWith("No usage since ", open.First(a => a.RuleId == quiet).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_health_drop_compares_with_the_highest_snapshot_of_the_last_days()
    {
        await store.Get<SnapshotStore>().BackfillAsync(TestPortfolio.AsOf.Date);
        await AddRuleAsync(new AlertRule { Name = "Drop", CreatedBy = "t", Kind = AlertKind.HealthDrop, Threshold = 5, Days = 30 });
        var since = view.AsOf.AddDays(-30);
        var history = await store.Get<SnapshotStore>().HistoryAsync(since, view.AsOf.Date);
        var dropped = view.Accounts
            .Where(a => history.Where(r => r.AccountId == a.Id && r.Day >= since).Select(r => r.Health).DefaultIfEmpty(double.NaN).Max() - a.Health >= 5)
            .Select(a => a.Id).Order().ToList();
        Assert.NotEmpty(dropped);

        await Alerts.EvaluateAsync(view);

        Assert.Equal(dropped, (await OpenAsync()).Select(a => a.AccountId).Order());
        Assert.All(await OpenAsync(), a => Assert.StartsWith("Health fell ", a.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Snoozed_alerts_leave_the_inbox_and_badge_until_the_date_and_acknowledged_ones_stay_open()
    {
        await AddRuleAsync(new AlertRule { Name = "Quiet", CreatedBy = "t", Kind = AlertKind.NoUsage, Days = 14 });
        await Alerts.EvaluateAsync(view);
        var everyone = new AlertAudience(null, null, Everyone: true);
        var inbox = await Alerts.InboxAsync(everyone, includeHandled: false);
        Assert.Equal(2, inbox.Count);

        await Alerts.SnoozeAsync(inbox[0].Id, store.Clock.GetUtcNow().UtcDateTime.Date.AddDays(2));
        await Alerts.AcknowledgeAsync(inbox[1].Id, "Maya Chen");

        Assert.Equal(0, await Alerts.CountAsync(everyone));
        Assert.Equal(2, (await Alerts.InboxAsync(everyone, includeHandled: true)).Count);
        Assert.Equal("Maya Chen", (await Alerts.InboxAsync(everyone, includeHandled: true)).Single(a => a.Id == inbox[1].Id).AcknowledgedBy);
        await Alerts.EvaluateAsync(view);
        Assert.Equal(2, (await OpenAsync()).Count);

        store.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal([inbox[0].Id], (await Alerts.InboxAsync(everyone, includeHandled: false)).Select(a => a.Id));
    }

    [Fact]
    public async Task A_cs_managers_inbox_holds_the_accounts_they_own_by_name_or_email()
    {
        // One rule per band: every account meets exactly one.
        foreach (var band in Enum.GetValues<Band>())
        {
            await AddRuleAsync(new AlertRule { Name = band.ToKey(), CreatedBy = "t", Kind = AlertKind.InBand, Band = (byte)band });
        }

        await Alerts.EvaluateAsync(view);

        var maya = await Alerts.InboxAsync(new AlertAudience("maya chen", "maya@example.com", Everyone: false), includeHandled: true);
        var liamByEmail = await Alerts.InboxAsync(new AlertAudience("Someone", "Liam Ortiz", Everyone: false), includeHandled: true);

        Assert.Equal(["ACC-1", "ACC-3"], maya.Select(a => a.AccountId).Order());
        Assert.Equal(["ACC-2", "ACC-4"], liamByEmail.Select(a => a.AccountId).Order());
    }

    [Theory]
    [InlineData(AlertKind.HealthDrop, null, 30, "Points: more than 0 and at most 100.")]
    [InlineData(AlertKind.NoUsage, null, 0, "Days: a whole number from 1 to 365.")]
    [InlineData(AlertKind.IndicatorBelow, 40.0, null, "Indicator: pick one.")]
    public async Task A_rule_missing_what_its_condition_needs_is_refused_by_field(AlertKind kind, double? threshold, int? days, string problem)
    {
        var problems = await Alerts.SaveRuleAsync(new AlertRule { Name = "x", CreatedBy = "t", Kind = kind, Threshold = threshold, Days = days }, "t");

        Assert.Contains(problem, problems);
        Assert.Empty(await Alerts.RulesAsync());
    }

    private async Task<int> AddRuleAsync(AlertRule rule)
    {
        Assert.Empty(await Alerts.SaveRuleAsync(rule, "admin@example.com"));
        return rule.Id;
    }

    private async Task<List<AlertRow>> OpenAsync() =>
        [.. await Alerts.InboxAsync(new AlertAudience(null, null, Everyone: true), includeHandled: true)];
}
