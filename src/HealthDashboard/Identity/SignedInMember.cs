using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Identity;

/// <summary>
/// The member a circuit belongs to, as pages need them: their name for "saved by", the actor for the audit
/// trail, and whether they may change the scoring model (admins only; checked on the server when saving,
/// not only by disabling the button).
/// </summary>
public sealed record SignedInMember(string Name, Actor Actor, bool IsAdmin)
{
    /// <summary>Nobody signed in: may change nothing.</summary>
    public static SignedInMember Nobody { get; } = new("", new Actor("anonymous", "web"), false);

    /// <summary>The member of a cascaded authentication state (none cascaded: <see cref="Nobody"/>).</summary>
    public static async Task<SignedInMember> OfAsync(Task<AuthenticationState>? state)
    {
        if (state is null || (await state).User is not { Identity.IsAuthenticated: true } user)
        {
            return Nobody;
        }

        var name = user.FindFirstValue(SignInClaims.DisplayName) is { Length: > 0 } display ? display : user.Identity?.Name ?? "";
        return new SignedInMember(name, AuditLog.ActorOf(user, null), user.IsInRole(Roles.Admin));
    }
}
