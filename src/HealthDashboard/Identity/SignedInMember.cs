using System.Security.Claims;
using HealthDashboard.Queries;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Identity;

/// <summary>
/// The member a circuit belongs to, as pages need them: their name for "saved by", the actor for the audit
/// trail, and whether they may change the scoring model (admins only; checked on the server when saving,
/// not only by disabling the button).
/// </summary>
/// <param name="Name">Display name.</param>
/// <param name="Actor">Who, for the audit trail.</param>
/// <param name="IsAdmin">May change the model, import and manage the team.</param>
/// <param name="Owner">The member as an account owner ("My accounts").</param>
public sealed record SignedInMember(string Name, Actor Actor, bool IsAdmin, AccountOwner Owner)
{
    /// <summary>Nobody signed in: may change nothing, owns nothing.</summary>
    public static SignedInMember Nobody { get; } = new("", new Actor("anonymous", "web"), false, new AccountOwner("", "", false));

    /// <summary>The operator at the command line: the machine's owner, trusted like an admin.</summary>
    public static SignedInMember CommandLine { get; } = new("cli", Actor.CommandLine, true, new AccountOwner("cli", "", false));

    /// <summary>
    /// True when this member may override the health of an account owned by <paramref name="owner"/>: an admin any
    /// account; a CS manager only an account whose owner is their display name or email (trimmed, case ignored);
    /// a product manager (or nobody) never.
    /// </summary>
    public bool MayOverride(string? owner)
    {
        return IsAdmin || (Owner.IsCsManager && Owner.Owns(owner));
    }

    /// <summary>
    /// True when this member may give an account owned by <paramref name="owner"/> to someone else: an admin any
    /// account; a CS manager the accounts they own (handing one over) and unassigned ones (taking one on); a product
    /// manager (or nobody) never.
    /// </summary>
    public bool MayAssignOwner(string? owner) =>
        MayAssignOwners && (IsAdmin || string.IsNullOrWhiteSpace(owner) || Owner.Owns(owner));

    /// <summary>True when this member may change some account's owner (admins and CS managers; see <see cref="MayAssignOwner"/>).</summary>
    public bool MayAssignOwners => IsAdmin || Owner.IsCsManager;

    /// <summary>The member of a cascaded authentication state (none cascaded: <see cref="Nobody"/>).</summary>
    public static async Task<SignedInMember> OfAsync(Task<AuthenticationState>? state)
    {
        if (state is null || (await state).User is not { Identity.IsAuthenticated: true } user)
        {
            return Nobody;
        }

        return Of(user);
    }

    /// <summary>The member of a signed-in principal (a circuit's or a request's).</summary>
    public static SignedInMember Of(ClaimsPrincipal user)
    {
        var name = user.FindFirstValue(SignInClaims.DisplayName) is { Length: > 0 } display ? display : user.Identity?.Name ?? "";
        var email = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "";
        return new SignedInMember(name, AuditLog.ActorOf(user, null), user.IsInRole(Roles.Admin), new AccountOwner(name, email, user.IsInRole(Roles.CSManager)));
    }
}
