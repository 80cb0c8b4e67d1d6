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

    /// <summary>The operator at the command line: the machine's owner, trusted like an admin.</summary>
    public static SignedInMember CommandLine { get; } = new("cli", Actor.CommandLine, true);

    /// <summary>True for a CS manager (may override the health of the accounts they own).</summary>
    public bool IsCSManager { get; init; }

    /// <summary>
    /// True when this member may override the health of an account owned by <paramref name="owner"/>: an admin any
    /// account; a CS manager only an account whose owner is their display name or email (trimmed, case ignored);
    /// a product manager (or nobody) never.
    /// </summary>
    public bool MayOverride(string? owner)
    {
        if (IsAdmin)
        {
            return true;
        }

        var who = owner?.Trim();
        return IsCSManager && !string.IsNullOrEmpty(who)
            && (string.Equals(who, Name.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(who, Actor.Name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The member of a cascaded authentication state (none cascaded: <see cref="Nobody"/>).</summary>
    public static async Task<SignedInMember> OfAsync(Task<AuthenticationState>? state)
    {
        if (state is null || (await state).User is not { Identity.IsAuthenticated: true } user)
        {
            return Nobody;
        }

        var name = user.FindFirstValue(SignInClaims.DisplayName) is { Length: > 0 } display ? display : user.Identity?.Name ?? "";
        return new SignedInMember(name, AuditLog.ActorOf(user, null), user.IsInRole(Roles.Admin)) { IsCSManager = user.IsInRole(Roles.CSManager) };
    }
}
