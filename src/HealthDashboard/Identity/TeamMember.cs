using Microsoft.AspNetCore.Identity;

namespace HealthDashboard.Identity;

/// <summary>
/// A person who signs in to the dashboard (not a customer's user: those are <c>AccountUser</c>).
/// Identity keeps the email, password hash, lock-out and security stamp; the role is an Identity role.
/// </summary>
public sealed class TeamMember : IdentityUser
{
    /// <summary>The name shown in the app bar and the audit trail, and matched to an account's owner.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled member cannot sign in; their open circuits end at the next revalidation.</summary>
    public bool Disabled { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }
}
