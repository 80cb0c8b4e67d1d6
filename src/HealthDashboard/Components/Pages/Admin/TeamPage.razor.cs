using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Admin;

/// <summary>The Users page of issue 10 (named Team: "Users" are the customers' users): add, change role, disable, reset a password.</summary>
public sealed partial class TeamPage
{
    private IReadOnlyList<TeamMemberInfo>? members;
    private (string Title, string Secret)? secret;
    private string? newEmail;
    private string? newName;
    private string newRole = Roles.CSManager;
    private bool busy;

    [Inject]
    private TeamService Team { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync() => members = await Team.ListAsync();

    private Task AddAsync() => RunAsync(async actor =>
    {
        var result = await Team.AddAsync(newEmail ?? "", newName, newRole, null, actor);
        if (result.Succeeded)
        {
            secret = ($"Password for {newEmail?.Trim()}", result.Password!);
            newEmail = newName = null;
        }

        return result;
    });

    private Task ChangeRoleAsync(TeamMemberInfo member, string role) => RunAsync(actor => Team.ChangeRoleAsync(member.Email, role, actor));

    private Task SetDisabledAsync(TeamMemberInfo member, bool disabled) => RunAsync(actor => Team.SetDisabledAsync(member.Email, disabled, actor));

    private Task ResetAsync(TeamMemberInfo member) => RunAsync(async actor =>
    {
        var result = await Team.ResetPasswordAsync(member.Email, actor);
        if (result.Succeeded)
        {
            secret = ($"New password for {member.Email}", result.Password!);
        }

        return result;
    });

    // One change at a time: the buttons are off while it runs, the outcome is a snackbar, the list reloads.
    private async Task RunAsync(Func<Actor, Task<TeamChange>> change)
    {
        busy = true;
        try
        {
            var actor = AuditLog.ActorOf((await AuthenticationState).User, null);
            var result = await change(actor);
            Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
            members = await Team.ListAsync();
        }
        finally
        {
            busy = false;
        }
    }
}
