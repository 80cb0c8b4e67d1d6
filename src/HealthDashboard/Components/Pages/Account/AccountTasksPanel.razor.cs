using System.Globalization;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// Tasks on the account page (issue 16): the ones the member may see (<see cref="TaskStore.MaySee"/>), done or
/// won't do (with the reason typed in the form), and a form to create one (title, description, due date, assignee).
/// </summary>
public sealed partial class AccountTasksPanel : IDisposable
{
    private IReadOnlyList<TaskInfo> tasks = [];
    private IReadOnlyList<TeamMemberInfo> team = [];
    private string? title;
    private string? description;
    private string? due;
    private string? assignee;
    private string? reason;
    private string? problem;

    [Inject]
    private TaskStore Tasks { get; set; } = default!;

    [Inject]
    private TeamService Team { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The account shown.</summary>
    [Parameter, EditorRequired]
    public AccountSummary Account { get; set; } = default!;

    /// <summary>The view the page shows (for the as-of day and owners).</summary>
    [Parameter, EditorRequired]
    public PortfolioView View { get; set; } = default!;

    private SignedInMember Member { get; set; } = SignedInMember.Nobody;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        Member = await SignedInMember.OfAsync(AuthenticationState);
        team = await Team.ListActiveAsync();
        assignee = team.FirstOrDefault(m => string.Equals(m.Email, Member.Owner.Email, StringComparison.OrdinalIgnoreCase))?.Email ?? (team.Count > 0 ? team[0].Email : null);
        due = View.AsOf.Date.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Tasks.Changed += OnChanged;
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync() => await ReloadAsync();

    private async Task ReloadAsync() => tasks = await Tasks.ForAccountAsync(Member, Account.Id, Account.Owner);

    private void OnChanged() => _ = InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    });

    private async Task CreateAsync()
    {
        if (!DateTime.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dueDate))
        {
            problem = "Choose a due date.";
            return;
        }

        var who = team.FirstOrDefault(m => m.Email == assignee);
        var (task, refused) = await Tasks.CreateAsync(Member, new NewTask(Account.Id, title, description, dueDate, who?.Email ?? "", who?.DisplayName ?? ""), Account.Owner);
        problem = refused;
        if (task is not null)
        {
            title = null;
            description = null;
        }

        await ReloadAsync();
    }

    private async Task CloseAsync(TaskInfo task, AccountTaskStatus status)
    {
        problem = await Tasks.CloseAsync(Member, [task.Id], status, reason, View);
        if (problem is null)
        {
            reason = null;
        }

        await ReloadAsync();
    }

    /// <inheritdoc />
    public void Dispose() => Tasks.Changed -= OnChanged;
}
