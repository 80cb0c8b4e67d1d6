using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace HealthDashboard.Components.Pages.SignIn;

/// <summary>
/// The sign-in page: a static server-rendered form (no circuit), as the .NET Blazor Identity template does,
/// so <see cref="SignInManager{TUser}"/> can set the cookie on the response; anti-forgery is checked by the
/// form post. Five wrong passwords lock the member out for five minutes.
/// </summary>
public sealed partial class SignInPage
{
    private string? message;

    [Inject]
    private SignInManager<TeamMember> SignInManager { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    [SupplyParameterFromForm]
    private SignInInput? Input { get; set; }

    /// <inheritdoc />
    protected override void OnInitialized() => Input ??= new();

    private async Task SignInAsync()
    {
        // A refused password is never sent back into the page.
        var password = Input!.Password;
        Input.Password = "";
        var users = SignInManager.UserManager;
        var member = await users.FindByEmailAsync(Input!.Email.Trim());
        if (member is null)
        {
            // The same words as a wrong password: the page does not tell who has an account.
            message = "The email or password is not right.";
            return;
        }

        if (member.Disabled)
        {
            message = "This account is disabled. Ask an admin to enable it.";
            return;
        }

        var check = await SignInManager.CheckPasswordSignInAsync(member, password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            var until = await users.GetLockoutEndDateAsync(member);
            var minutes = until is { } end ? Math.Max(1, (int)Math.Ceiling((end - Clock.GetUtcNow()).TotalMinutes)) : 5;
            message = $"Too many wrong passwords: this account is locked for {minutes} more minute{(minutes == 1 ? "" : "s")}.";
            return;
        }

        if (!check.Succeeded)
        {
            var left = users.Options.Lockout.MaxFailedAccessAttempts - await users.GetAccessFailedCountAsync(member);
            message = $"The email or password is not right. {left} attempt{(left == 1 ? "" : "s")} left before a 5-minute lock-out.";
            return;
        }

        member.LastSignInAt = Clock.GetUtcNow().UtcDateTime;
        await users.UpdateAsync(member);
        var origin = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "web";
        await SignInManager.SignInWithClaimsAsync(member, Input!.RememberMe, [new Claim(SignInClaims.Origin, origin)]);
        Navigation.NavigateTo(SignInEndpoints.SafeReturnUrl(ReturnUrl), forceLoad: true);
    }

    private sealed class SignInInput
    {
        [Required(ErrorMessage = "Enter your email.")]
        [EmailAddress(ErrorMessage = "Enter an email address.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";

        public bool RememberMe { get; set; }
    }
}
