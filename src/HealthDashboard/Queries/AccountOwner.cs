namespace HealthDashboard.Queries;

/// <summary>
/// A team member as an account owner: accounts name their CSM in the free-text <c>owner</c> column of
/// accounts.csv, so a member owns an account when that text is their display name or their email
/// (trimmed, case-insensitive). Used for "My accounts" and every "their accounts" permission.
/// </summary>
/// <param name="DisplayName">The member's display name.</param>
/// <param name="Email">The member's email (sign-in name).</param>
/// <param name="IsCsManager">True for a CS manager, whose lists open on their own accounts.</param>
public sealed record AccountOwner(string DisplayName, string Email, bool IsCsManager)
{
    /// <summary>Whether <paramref name="owner"/> (an account's owner column) names this member.</summary>
    public bool Owns(string? owner)
    {
        var name = owner?.Trim();
        return !string.IsNullOrEmpty(name)
            && ((DisplayName.Length > 0 && string.Equals(name, DisplayName.Trim(), StringComparison.OrdinalIgnoreCase))
                || (Email.Length > 0 && string.Equals(name, Email.Trim(), StringComparison.OrdinalIgnoreCase)));
    }
}
