using HealthDashboard.Components.Shared;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Tasks;

/// <summary>
/// The member's open tasks (issue 16): overdue first, then by due date, grouped by account with its health chip;
/// bulk complete and reassign. Follows <see cref="TaskStore.Changed"/>, so a playbook's new task appears without a reload.
/// </summary>
public sealed partial class MyTasksPage
{
    private IReadOnlyList<TaskInfo> tasks = [];
    private IReadOnlyList<TeamMemberInfo> team = [];
    private readonly HashSet<int> selected = [];
    private SignedInMember member = SignedInMember.Nobody;
    private string? reassignTo;
    private string? problem;
    private bool loaded;

    [Inject]
    private TaskStore Tasks { get; set; } = default!;

    [Inject]
    private TeamService Team { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    private DateTime Today => View?.AsOf.Date ?? DateTime.UtcNow.Date;

    private int OverdueCount => tasks.Count(t => t.IsOverdue(Today));

    private bool AllSelected => tasks.Count > 0 && selected.Count == tasks.Count;

    // Tasks come due-date ordered, so an account's group sits where its most urgent task does.
    private IEnumerable<IGrouping<string, TaskInfo>> Groups => tasks.GroupBy(t => t.AccountId);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        Tasks.Changed += OnTasksChanged;
        team = await Team.ListActiveAsync();
        await base.OnInitializedAsync();
    }

    /// <inheritdoc />
    protected override Task ShowViewAsync(PortfolioView view) => ReloadAsync();

    private async Task ReloadAsync()
    {
        tasks = await Tasks.MyOpenTasksAsync(member);
        selected.IntersectWith(tasks.Select(t => t.Id));
        loaded = true;
    }

    private void OnTasksChanged() => _ = InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    });

    private void Toggle(int id, bool on)
    {
        if (on)
        {
            selected.Add(id);
        }
        else
        {
            selected.Remove(id);
        }
    }

    private void SelectAll(bool on)
    {
        selected.Clear();
        if (on)
        {
            selected.UnionWith(tasks.Select(t => t.Id));
        }
    }

    private async Task CompleteSelectedAsync()
    {
        if (View is not null)
        {
            problem = await Tasks.CloseAsync(member, [.. selected], AccountTaskStatus.Done, null, View);
            await ReloadAsync();
        }
    }

    private async Task ReassignSelectedAsync()
    {
        if (View is not null && team.FirstOrDefault(m => m.Email == reassignTo) is { } to)
        {
            problem = await Tasks.ReassignAsync(member, [.. selected], to.Email, to.DisplayName, View);
            await ReloadAsync();
        }
    }

    private string DueText(TaskInfo task)
    {
        var days = (task.DueDate.Date - Today).Days;
        return days switch
        {
            < -1 => $"{-days} days overdue",
            -1 => "1 day overdue",
            0 => "Due today",
            1 => "Due tomorrow",
            _ => $"Due {Format.ShortDate(task.DueDate)}",
        };
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        Tasks.Changed -= OnTasksChanged;
        base.Dispose();
    }
}
