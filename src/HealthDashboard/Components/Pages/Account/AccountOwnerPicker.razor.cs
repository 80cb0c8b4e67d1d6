using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// The account's owner on its page, and for members who may change it (<see cref="SignedInMember.MayAssignOwner"/>) a
/// menu of the team: the choice is confirmed, then saved by <see cref="AccountOwnerStore"/> (which checks the rule
/// again). The page shows the new owner once the score board has refreshed.
/// </summary>
public sealed partial class AccountOwnerPicker
{
    private IReadOnlyList<TeamMemberInfo> team = [];
    private SignedInMember member = SignedInMember.Nobody;
    private bool mayAssign;
    private bool busy;
    private string? problem;

    [Inject]
    private AccountOwnerStore Owners { get; set; } = default!;

    [Inject]
    private TeamService Team { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The account shown.</summary>
    [Parameter, EditorRequired]
    public AccountSummary Account { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        if (member.MayAssignOwners)
        {
            team = await Team.ListActiveAsync();
        }
    }

    /// <inheritdoc />
    protected override void OnParametersSet() => mayAssign = member.MayAssignOwner(Account.Owner);

    private async Task AssignAsync(TeamMemberInfo? to)
    {
        problem = null;
        var name = AccountOwnerStore.OwnerTextOf(to);
        var question = name is null ? $"Leave {Account.Name} without an owner?" : $"Make {name} the owner of {Account.Name}?";
        if (await Dialogs.ShowMessageBoxAsync("Change the owner", question, yesText: "Change owner", cancelText: "Cancel") != true)
        {
            return;
        }

        busy = true;
        try
        {
            problem = await Owners.AssignAsync(member, [Account.Id], name);
        }
        finally
        {
            busy = false;
        }

        if (problem is null)
        {
            Snackbar.Add($"{Account.Name} is now {(name is null ? "unassigned" : $"owned by {name}")}.", Severity.Success);
        }
    }
}
