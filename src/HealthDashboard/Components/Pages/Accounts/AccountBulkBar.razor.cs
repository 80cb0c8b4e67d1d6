using System.Globalization;
using HealthDashboard.Components.Shared;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Accounts;

/// <summary>
/// Bulk actions on the Accounts grid's selected rows (issue 16): add or remove a tag, create the same task on each, or
/// give them all to one owner. Asks for confirmation with the count, then hands the whole selection to
/// <see cref="TagStore"/>, <see cref="TaskStore"/> or <see cref="AccountOwnerStore"/>, which check on the server that
/// every account is the member's to change (all or nothing) and write the audit trail.
/// </summary>
public sealed partial class AccountBulkBar
{
    private IReadOnlyList<TeamMemberInfo> team = [];
    private BulkAction action = BulkAction.AddTag;
    private string? tag;
    private string? title;
    private string? due;
    private string? assignee;
    private string? owner;
    private string? problem;
    private bool busy;

    [Inject]
    private TagStore Tags { get; set; } = default!;

    [Inject]
    private TaskStore Tasks { get; set; } = default!;

    [Inject]
    private AccountOwnerStore Owners { get; set; } = default!;

    [Inject]
    private TeamService Team { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The ids of the selected accounts.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyCollection<string> Selected { get; set; } = [];

    /// <summary>The signed-in member (whose rights the stores check).</summary>
    [Parameter, EditorRequired]
    public SignedInMember Member { get; set; } = SignedInMember.Nobody;

    /// <summary>The scored view: the accounts' owners the permission checks read.</summary>
    [Parameter, EditorRequired]
    public PortfolioView View { get; set; } = default!;

    /// <summary>Raised after an action was applied, or when the member clears the selection.</summary>
    [Parameter, EditorRequired]
    public EventCallback OnClear { get; set; }

    private enum BulkAction
    {
        AddTag,
        RemoveTag,
        CreateTask,
        AssignOwner,
    }

    private bool Ready => action switch
    {
        BulkAction.CreateTask => !string.IsNullOrWhiteSpace(title) && !string.IsNullOrEmpty(due) && assignee is not null,
        BulkAction.AssignOwner => owner is not null,
        _ => !string.IsNullOrWhiteSpace(tag),
    };

    private TeamMemberInfo? NewOwner => team.FirstOrDefault(m => m.Email == owner);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        team = await Team.ListActiveAsync();
        assignee = team.FirstOrDefault(m => string.Equals(m.Email, Member.Owner.Email, StringComparison.OrdinalIgnoreCase))?.Email ?? (team.Count > 0 ? team[0].Email : null);
        due = View.AsOf.Date.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private async Task ApplyAsync()
    {
        problem = null;
        var ids = Selected.ToList();
        var accounts = Format.Counted(ids.Count, "account");
        var (question, yes) = action switch
        {
            BulkAction.AddTag => ($"Tag {accounts} with \"{tag?.Trim()}\"?", "Add tag"),
            BulkAction.RemoveTag => ($"Remove the tag \"{tag?.Trim()}\" from {accounts}?", "Remove tag"),
            BulkAction.AssignOwner => ($"Make {NewOwner?.DisplayName} the owner of {accounts}?", "Assign owner"),
            _ => ($"Create \"{title?.Trim()}\" on {accounts}, one task each, for {team.FirstOrDefault(m => m.Email == assignee)?.DisplayName}?", "Create tasks"),
        };
        if (await Dialogs.ShowMessageBoxAsync("Apply to the selection", question, yesText: yes, cancelText: "Cancel") != true)
        {
            return;
        }

        busy = true;
        try
        {
            problem = action switch
            {
                BulkAction.AddTag => await Tags.AddToAccountsAsync(Member, ids, tag, View),
                BulkAction.RemoveTag => await Tags.RemoveFromAccountsAsync(Member, ids, tag, View),
                BulkAction.AssignOwner => await Owners.AssignAsync(Member, ids, AccountOwnerStore.OwnerTextOf(NewOwner)),
                _ => await CreateTasksAsync(ids),
            };
        }
        finally
        {
            busy = false;
        }

        if (problem is null)
        {
            Snackbar.Add($"{yes}: done for {accounts}.", Severity.Success);
            tag = null;
            title = null;
            await OnClear.InvokeAsync();
        }
    }

    private async Task<string?> CreateTasksAsync(IReadOnlyCollection<string> ids)
    {
        if (!DateTime.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dueDate))
        {
            return "Choose a due date.";
        }

        var who = team.FirstOrDefault(m => m.Email == assignee);
        var (_, refused) = await Tasks.CreateOnAccountsAsync(Member, ids, new NewTask("", title, null, dueDate, who?.Email ?? "", who?.DisplayName ?? ""), View);
        return refused;
    }
}
