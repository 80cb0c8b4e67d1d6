namespace HealthDashboard.Identity;

/// <summary>
/// The members of the demo data set, one per role, with fixed passwords that the console prints at start and the
/// README lists (a demo is for trying the product). The CS manager is an owner of the demo accounts
/// (<c>DemoCatalog.Owners</c>), so "My accounts" holds a realistic book. Only a demo database gets them.
/// </summary>
public static class DemoTeam
{
    public sealed record DemoMember(string Email, string Name, string Role, string Password);

    public static IReadOnlyList<DemoMember> Members { get; } =
    [
        new("admin@example.com", "Alex Admin", Roles.Admin, "demo-admin-2026"),
        new("priya.raman@example.com", "Priya Raman", Roles.CSManager, "demo-csm-2026"),
        new("leo.park@example.com", "Leo Park", Roles.ProductManager, "demo-product-2026"),
    ];

    /// <summary>Adds the demo members that are missing (by email); returns the lines that tell how to sign in.</summary>
    public static async Task<IReadOnlyList<string>> EnsureAsync(TeamService team, CancellationToken cancellationToken = default)
    {
        var existing = (await team.ListAsync(cancellationToken)).Select(m => m.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var member in Members.Where(m => !existing.Contains(m.Email)))
        {
            var added = await team.AddAsync(member.Email, member.Name, member.Role, member.Password, Actor.System, cancellationToken);
            if (!added.Succeeded)
            {
                throw new InvalidOperationException($"Demo member {member.Email}: {added.Message}");
            }
        }

        return SignInLines();
    }

    /// <summary>True when the database holds the demo members (printed again at each start).</summary>
    public static async Task<bool> IsPresentAsync(TeamService team, CancellationToken cancellationToken = default) =>
        (await team.ListAsync(cancellationToken)).Any(m => string.Equals(m.Email, Members[0].Email, StringComparison.OrdinalIgnoreCase));

    /// <summary>"Sign in as ..." lines, one per member.</summary>
    public static IReadOnlyList<string> SignInLines() =>
        ["Demo sign-in (change these before real use):", .. Members.Select(m => $"  {Roles.Label(m.Role),-16} {m.Email,-26} password: {m.Password}")];
}
