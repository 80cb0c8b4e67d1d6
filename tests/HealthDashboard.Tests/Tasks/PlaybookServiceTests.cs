using HealthDashboard.Alerts;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Tasks;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Tasks;

/// <summary>
/// Playbooks over the real SQLite store and <see cref="TestPortfolio"/> (ACC-1 and ACC-3 owned by Maya Chen, who is on
/// the team; ACC-2 and ACC-4 by Liam Ortiz, who is not; ACC-5 by Ana Silva): a playbook makes its tasks once per account
/// and trigger, again only after the trigger cleared and came back, for the right member and due date.
/// </summary>
public sealed class PlaybookServiceTests : IAsyncLifetime
{
    private TestStore store = null!;
    private PortfolioView view = null!;

    private PlaybookService Playbooks => store.Get<PlaybookService>();

    public async Task InitializeAsync()
    {
        store = await TestStore.CreateWithAsync(TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);
        view = await store.StartScoreBoardWorkerAsync();
        var added = await store.Get<TeamService>().AddAsync("Maya@Example.com", "Maya Chen", Roles.CSManager, null, Actor.System);
        Assert.True(added.Succeeded, added.Message);
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    private static PlaybookTaskTemplate Template(string title, int dueInDays, string? assigneeEmail = null, string? assigneeName = null) =>
        new() { Title = title, DueInDays = dueInDays, AssigneeEmail = assigneeEmail, AssigneeName = assigneeName };

    private async Task<Playbook> AddAsync(Playbook playbook)
    {
        Assert.Empty(await Playbooks.SaveAsync(playbook, "alex@example.com"));
        return (await Playbooks.ListAsync())[^1];
    }

    private async Task<List<AccountTask>> TasksAsync()
    {
        await using var db = await store.DbAsync();
        return await db.Tasks.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
    }

    private IReadOnlyList<string> Red(PortfolioView scored) => [.. scored.Accounts.Where(a => a.Band == Band.Red).Select(a => a.Id).Order()];

    [Fact]
    public async Task Enters_red_makes_the_tasks_once_per_account_and_again_only_after_it_cleared_and_came_back()
    {
        await AddAsync(new Playbook
        {
            Name = "Rescue", CreatedBy = "t", Trigger = PlaybookTrigger.EntersBand, Band = (byte)Band.Red,
            Tasks = [Template("Call the sponsor", 2), Template("Plan a rescue", 7)],
        });
        var red = Red(view);
        Assert.NotEmpty(red);
        var changes = 0;
        store.Get<TaskStore>().Changed += () => changes++;

        var first = await Playbooks.EvaluateAsync(view);
        var again = await Playbooks.EvaluateAsync(view);

        Assert.Equal(new PlaybookEvaluation(red.Count, red.Count * 2, 0), first);
        Assert.Equal(PlaybookEvaluation.None, again);
        Assert.Equal(1, changes);
        var tasks = await TasksAsync();
        Assert.Equal(red, tasks.Select(t => t.AccountId).Distinct().Order());
        Assert.All(tasks, t => Assert.Equal(t.Title == "Call the sponsor" ? view.AsOf.Date.AddDays(2) : view.AsOf.Date.AddDays(7), t.DueDate));
        Assert.All(tasks, t => Assert.Equal("Playbook: Rescue", t.CreatedBy));

        // Nobody red under a lenient model: the firings clear and nothing new is made; back to red: the tasks come again.
        var lenient = TestPortfolio.View(TestPortfolio.Model() with { Thresholds = new GradeThresholds(30, 20, 1) });
        Assert.Empty(Red(lenient));
        Assert.Equal(new PlaybookEvaluation(0, 0, red.Count), await Playbooks.EvaluateAsync(lenient));
        Assert.Equal(red.Count * 2, (await TasksAsync()).Count);
        Assert.Equal(new PlaybookEvaluation(red.Count, red.Count * 2, 0), await Playbooks.EvaluateAsync(TestPortfolio.View()));
        Assert.Equal(red.Count * 4, (await TasksAsync()).Count);
    }

    [Fact]
    public async Task Tasks_go_to_the_owner_on_the_team_the_owner_text_or_the_named_member()
    {
        // One playbook per band: every scored account fires exactly one of them.
        foreach (var band in Enum.GetValues<Band>())
        {
            await AddAsync(new Playbook
            {
                Name = band.ToKey(), CreatedBy = "t", Trigger = PlaybookTrigger.EntersBand, Band = (byte)band,
                Tasks = [Template("Owner's", 1), Template("Pat's", 3, "Pat@Example.com", "Pat Product")],
            });
        }

        await Playbooks.EvaluateAsync(view);

        var tasks = await TasksAsync();
        var owners = tasks.Where(t => t.Title == "Owner's").ToDictionary(t => t.AccountId, t => (t.AssigneeEmail, t.AssigneeName));
        Assert.Equal(view.Accounts.Select(a => a.Id).Order(), owners.Keys.Order());
        Assert.Equal(("maya@example.com", "Maya Chen"), owners["ACC-1"]);
        Assert.Equal(("maya@example.com", "Maya Chen"), owners["ACC-3"]);
        // Liam is not on the team: his name stands in, so the account page still shows the task to the account's owner.
        Assert.Equal(("liam ortiz", "Liam Ortiz"), owners["ACC-2"]);
        Assert.All(tasks.Where(t => t.Title == "Pat's"), t => Assert.Equal(("pat@example.com", "Pat Product"), (t.AssigneeEmail, t.AssigneeName)));
    }

    [Fact]
    public async Task An_alert_rule_playbook_fires_with_its_alert_and_clears_with_it()
    {
        var alerts = store.Get<AlertService>();
        Assert.Empty(await alerts.SaveRuleAsync(new AlertRule { Name = "Red", CreatedBy = "t", Kind = AlertKind.InBand, Band = (byte)Band.Red }, "t"));
        var rule = (await alerts.RulesAsync()).Single();
        await AddAsync(new Playbook { Name = "On red alert", CreatedBy = "t", Trigger = PlaybookTrigger.AlertRule, AlertRuleId = rule.Id, Tasks = [Template("Triage", 0)] });

        // No alert yet: nothing fires.
        Assert.Equal(PlaybookEvaluation.None, await Playbooks.EvaluateAsync(view));
        var opened = await alerts.EvaluateAsync(view);
        await Playbooks.EvaluateAsync(view);

        var tasks = await TasksAsync();
        Assert.Equal(opened.Opened.Select(o => (o.Alert.AccountId, (int?)o.Alert.Id)).Order(), tasks.Select(t => (t.AccountId, t.AlertId)).Order());
        Assert.All(tasks, t => Assert.Equal(view.AsOf.Date, t.DueDate));

        var lenient = TestPortfolio.View(TestPortfolio.Model() with { Thresholds = new GradeThresholds(30, 20, 1) });
        await alerts.EvaluateAsync(lenient);
        Assert.Equal(new PlaybookEvaluation(0, 0, tasks.Count), await Playbooks.EvaluateAsync(lenient));
    }

    [Fact]
    public async Task Renewal_and_override_triggers_hold_for_exactly_the_accounts_that_meet_them()
    {
        var renewal = new Playbook { Name = "Renewal", CreatedBy = "t", Trigger = PlaybookTrigger.RenewalAtRisk, Days = 30 };
        // Renewals within 30 days: ACC-1 (20 days) and ACC-4 (10 days); only a yellow or red one counts.
        Assert.Equal(
            view.Accounts.Where(a => a.Id is "ACC-1" or "ACC-4" && a.Band != Band.Green).Select(a => a.Id).Order(),
            view.Accounts.Where(a => PlaybookService.Holds(renewal, a, view)).Select(a => a.Id).Order());

        var expiring = new Playbook { Name = "Override", CreatedBy = "t", Trigger = PlaybookTrigger.OverrideExpires, Days = 7 };
        var account = view.FindAccount("ACC-2")!;
        OverrideInfo Override(int untilDays, DateTime? endedAt = null) =>
            new(account.Index, 80, view.AsOf.AddDays(-10), view.AsOf.AddDays(untilDays), "QBR went well", "maya@example.com", endedAt);
        Assert.False(PlaybookService.Holds(expiring, account, view));
        Assert.True(PlaybookService.Holds(expiring, account with { Override = Override(5) }, view));
        Assert.False(PlaybookService.Holds(expiring, account with { Override = Override(9) }, view));
        Assert.False(PlaybookService.Holds(expiring, account with { Override = Override(5, endedAt: view.AsOf.AddDays(-1)) }, view));
    }

    [Fact]
    public async Task A_changed_trigger_starts_over_and_a_playbook_that_fired_is_turned_off_not_deleted()
    {
        var playbook = await AddAsync(new Playbook { Name = "Red", CreatedBy = "t", Trigger = PlaybookTrigger.EntersBand, Band = (byte)Band.Red, Tasks = [Template("Call", 1)] });
        await Playbooks.EvaluateAsync(view);
        var made = (await TasksAsync()).Count;

        Assert.Equal("This playbook has created tasks: turn it off instead, so they keep pointing to it.", await Playbooks.DeleteAsync(playbook.Id));
        playbook.Enabled = false;
        Assert.Empty(await Playbooks.SaveAsync(playbook, "t"));
        Assert.Equal(new PlaybookEvaluation(0, 0, made), await Playbooks.EvaluateAsync(view));
        Assert.Single(await Playbooks.ListAsync());
        Assert.Equal(made, (await TasksAsync()).Count(t => t.Status == AccountTaskStatus.Open));

        var unused = await AddAsync(new Playbook { Name = "Never", CreatedBy = "t", Trigger = PlaybookTrigger.RenewalAtRisk, Days = 1, Tasks = [Template("x", 1)] });
        Assert.Null(await Playbooks.DeleteAsync(unused.Id));
        Assert.Single(await Playbooks.ListAsync());
    }

    [Theory]
    [InlineData(PlaybookTrigger.AlertRule, "Alert rule: pick one.")]
    [InlineData(PlaybookTrigger.RenewalAtRisk, "Days: a whole number from 1 to 365.")]
    [InlineData(PlaybookTrigger.OverrideExpires, "Days: a whole number from 1 to 365.")]
    public async Task A_playbook_missing_what_its_trigger_needs_is_refused_by_field(PlaybookTrigger trigger, string problem)
    {
        var problems = await Playbooks.SaveAsync(new Playbook { Name = "x", CreatedBy = "t", Trigger = trigger, Tasks = [Template("", 400)] }, "t");

        Assert.Equal([problem, "Task 1: title: 1 to 120 characters.", "Task 1: due in: 0 to 365 days."], problems);
        Assert.Empty(await Playbooks.ListAsync());
    }
}
