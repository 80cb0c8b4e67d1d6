using System.ComponentModel.DataAnnotations;
using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace HealthDashboard.Components.Pages.SignIn;

/// <summary>"Change my password": a static form like sign-in, so the cookie can be renewed with the new security stamp.</summary>
public sealed partial class ChangePasswordPage
{
    private string? message;
    private bool changed;

    [Inject]
    private SignInManager<TeamMember> SignInManager { get; set; } = default!;

    [Inject]
    private AuditLog Audit { get; set; } = default!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm]
    private PasswordInput? Input { get; set; }

    /// <inheritdoc />
    protected override void OnInitialized() => Input ??= new();

    private async Task ChangeAsync()
    {
        var users = SignInManager.UserManager;
        var member = await users.GetUserAsync(HttpContext.User);
        if (member is null)
        {
            message = "Your account was not found; sign in again.";
            return;
        }

        var result = await users.ChangePasswordAsync(member, Input!.Current, Input!.New);
        if (!result.Succeeded)
        {
            message = TeamService.Describe(result);
            return;
        }

        await SignInManager.RefreshSignInAsync(member);
        await Audit.RecordAsync(AuditLog.ActorOf(HttpContext), AuditActions.UserPasswordChange, member.Email ?? member.Id, null);
        changed = true;
        message = "Your password is changed.";
        Input = new PasswordInput();
    }

    private sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password.")]
        public string Current { get; set; } = "";

        [Required(ErrorMessage = "Enter a new password.")]
        public string New { get; set; } = "";

        [Compare(nameof(New), ErrorMessage = "The two new passwords differ.")]
        public string Confirm { get; set; } = "";
    }
}
