using HealthDashboard.Alerts;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Admin;

/// <summary>
/// Admins define playbooks (a trigger and the tasks it creates), edit them, and turn them on and off. The "fired"
/// counts follow <see cref="TaskStore.Changed"/>: a playbook evaluates in the background just after it is saved.
/// </summary>
public sealed partial class PlaybooksPage : IDisposable
{
    // The assignee picker's value for "the account's owner" (a template's null email).
    private const string OwnerChoice = "";

    private IReadOnlyList<Playbook>? playbooks;
    private IReadOnlyList<AlertRule> rules = [];
    private IReadOnlyList<TeamMemberInfo> team = [];
    private IReadOnlyDictionary<int, int> firings = new Dictionary<int, int>();
    private Playbook draft = NewPlaybook();
    private IReadOnlyList<string> problems = [];

    [Inject]
    private PlaybookService Playbooks { get; set; } = default!;

    [Inject]
    private AlertService Alerts { get; set; } = default!;

    [Inject]
    private TeamService Team { get; set; } = default!;

    [Inject]
    private TaskStore Tasks { get; set; } = default!;

    /// <summary>The signed-in admin.</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>A trigger in words, for the picker.</summary>
    public static string TriggerLabel(PlaybookTrigger trigger) => trigger switch
    {
        PlaybookTrigger.AlertRule => "An alert rule fires",
        PlaybookTrigger.EntersBand => "Enters a band",
        PlaybookTrigger.RenewalAtRisk => "Renews within N days while yellow or red",
        _ => "An override expires within N days",
    };

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        team = await Team.ListActiveAsync();
        Tasks.Changed += OnTasksChanged;
        await LoadAsync();
    }

    /// <inheritdoc />
    public void Dispose() => Tasks.Changed -= OnTasksChanged;

    private void OnTasksChanged() => _ = InvokeAsync(async () =>
    {
        firings = await Playbooks.FiringCountsAsync();
        StateHasChanged();
    });

    private static Playbook NewPlaybook() => new()
    {
        Name = "", CreatedBy = "", Trigger = PlaybookTrigger.EntersBand, Band = (byte)Scoring.Band.Red, Days = 60,
        Tasks = [new PlaybookTaskTemplate { Title = "", DueInDays = 2 }],
    };

    private static string DueLabel(int days) => days switch
    {
        0 => "due the same day",
        1 => "due in 1 day",
        _ => $"due in {days} days",
    };

    private async Task LoadAsync()
    {
        rules = await Alerts.RulesAsync();
        firings = await Playbooks.FiringCountsAsync();
        playbooks = await Playbooks.ListAsync();
    }

    private void NewDraft()
    {
        draft = NewPlaybook();
        problems = [];
    }

    private void AddTemplate() => draft.Tasks.Add(new PlaybookTaskTemplate { Title = "", DueInDays = draft.Tasks.LastOrDefault()?.DueInDays ?? 2 });

    private void SetAssignee(PlaybookTaskTemplate template, string email)
    {
        var member = team.FirstOrDefault(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase));
        template.AssigneeEmail = member?.Email.ToLowerInvariant();
        template.AssigneeName = member?.DisplayName;
    }

    private void Edit(Playbook playbook)
    {
        // A copy: the table keeps showing what is saved until the edit is.
        draft = new Playbook
        {
            Id = playbook.Id, Name = playbook.Name, CreatedBy = playbook.CreatedBy, CreatedAt = playbook.CreatedAt, Trigger = playbook.Trigger,
            AlertRuleId = playbook.AlertRuleId, Band = playbook.Band ?? (byte)Scoring.Band.Red, Days = playbook.Days ?? 60, Enabled = playbook.Enabled,
            Tasks = [.. playbook.Tasks.Select(t => new PlaybookTaskTemplate
            {
                Title = t.Title, Description = t.Description, DueInDays = t.DueInDays, AssigneeEmail = t.AssigneeEmail, AssigneeName = t.AssigneeName,
            })],
        };
        problems = [];
    }

    private async Task SaveAsync()
    {
        var who = (await SignedInMember.OfAsync(AuthenticationState)).Name;
        problems = await Playbooks.SaveAsync(draft, who);
        if (problems.Count == 0)
        {
            NewDraft();
            await LoadAsync();
        }
    }

    private async Task ToggleAsync(Playbook playbook)
    {
        Edit(playbook);
        draft.Enabled = !playbook.Enabled;
        await SaveAsync();
    }

    private async Task DeleteAsync(Playbook playbook)
    {
        problems = await Playbooks.DeleteAsync(playbook.Id) is { } problem ? [problem] : [];
        await LoadAsync();
    }
}
