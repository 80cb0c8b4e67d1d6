namespace HealthDashboard.Identity;

/// <summary>
/// The three roles of the team (issue 10) and the rules built from them. Pages carry
/// <c>[Authorize(Roles = ...)]</c> with these names; endpoints use the policies in <see cref="Policies"/>.
/// </summary>
public static class Roles
{
    /// <summary>Everything: the scoring model, imports, users, API keys and the audit trail.</summary>
    public const string Admin = "Admin";

    /// <summary>All accounts and users, exports; the model read-only; opens on "My accounts".</summary>
    public const string CSManager = "CSManager";

    /// <summary>Portfolio, Users and the account pages; the model read-only.</summary>
    public const string ProductManager = "ProductManager";

    /// <summary>Every role, in the order the pages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, CSManager, ProductManager];

    /// <summary>Who may download the Accounts and Users exports.</summary>
    public const string Exporters = Admin + "," + CSManager;

    /// <summary>The role's name as people read it.</summary>
    public static string Label(string? role) => role switch
    {
        Admin => "Admin",
        CSManager => "CS Manager",
        ProductManager => "Product Manager",
        _ => "No role",
    };

    /// <summary>The role spelled as stored, case-insensitively, or null when there is no such role.</summary>
    public static string? Parse(string? text) =>
        All.FirstOrDefault(r => string.Equals(r, text?.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Authorization policies of the endpoints (the pages use roles directly).</summary>
public static class Policies
{
    /// <summary>Reading the API: a signed-in user of any role, or an API key of either scope.</summary>
    public const string ApiRead = "api-read";

    /// <summary>Writing through the API: an API key with the ingest scope.</summary>
    public const string ApiIngest = "api-ingest";

    /// <summary>The Accounts and Users exports: a signed-in Admin or CS manager.</summary>
    public const string Export = "export";

    /// <summary>Admin-only endpoints (the audit export).</summary>
    public const string Admin = "admin";
}
