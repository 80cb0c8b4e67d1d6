namespace HealthDashboard.Identity;

/// <summary>
/// An API key as stored: the SHA-256 of the secret (the secret itself is shown once and never kept),
/// its scope, and when it was created, last used and revoked.
/// </summary>
public sealed class ApiKeyRecord
{
    public int Id { get; set; }

    /// <summary>Unique name for people and logs (<c>api-keys revoke NAME</c>).</summary>
    public required string Name { get; set; }

    /// <summary><see cref="ApiKeyScopes.Read"/> or <see cref="ApiKeyScopes.Ingest"/>.</summary>
    public required string Scope { get; set; }

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public required string Hash { get; set; }

    /// <summary>The key's first characters, so a person can tell which key a leaked secret was.</summary>
    public required string Prefix { get; set; }

    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>The scopes of an API key.</summary>
public static class ApiKeyScopes
{
    /// <summary>May read the API.</summary>
    public const string Read = "read";

    /// <summary>May read and post usage (<c>POST /api/events</c>).</summary>
    public const string Ingest = "ingest";

    /// <summary>The claim type carrying a key's scope on its principal.</summary>
    public const string ClaimType = "hd:api-scope";

    public static string? Parse(string? text) => text?.ToLowerInvariant() switch
    {
        Read => Read,
        Ingest => Ingest,
        _ => null,
    };
}
