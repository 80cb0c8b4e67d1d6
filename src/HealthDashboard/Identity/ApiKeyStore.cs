using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Identity;

/// <summary>A key as listed: never the secret.</summary>
public sealed record ApiKeyInfo(string Name, string Scope, string Prefix, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>The outcome of creating a key: the secret (shown once) or why not.</summary>
public sealed record ApiKeyCreated(ApiKeyInfo? Key, string? Secret, string? Problem);

/// <summary>
/// API keys in the database (issue 10): created with 32 random bytes, stored as their SHA-256 (a key is
/// random, so a fast hash is as strong as a slow one, and checking a key costs one indexed lookup), looked
/// up on every request so a revocation takes effect at once, last use recorded at most once a minute per key
/// so a busy ingest client does not turn every batch into an extra write.
/// </summary>
public sealed class ApiKeyStore(IDbContextFactory<HealthDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Every key starts with this, so a leaked key is recognisable in logs and scanners.</summary>
    public const string KeyPrefix = "hd_";

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<int, DateTime> lastUsedWritten = new();

    /// <summary>Creates a key; the secret is in the result and nowhere else.</summary>
    public async Task<ApiKeyCreated> CreateAsync(string name, string scope, Actor actor, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            return new(null, null, "Give the key a name of 1 to 100 characters.");
        }

        if (ApiKeyScopes.Parse(scope) is not { } parsedScope)
        {
            return new(null, null, $"The scope '{scope}' is not read or ingest.");
        }

        var secret = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.ApiKeys.AnyAsync(k => k.Name == name, cancellationToken))
        {
            return new(null, null, $"A key named '{name}' exists already (revoked keys keep their name).");
        }

        var record = new ApiKeyRecord
        {
            Name = name, Scope = parsedScope, Hash = HashOf(secret), Prefix = secret[..(KeyPrefix.Length + 6)],
            CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = actor.Name,
        };
        db.ApiKeys.Add(record);
        audit.Add(db, actor, AuditActions.ApiKeyAdd, name, $"scope {parsedScope}");
        await db.SaveChangesAsync(cancellationToken);
        return new(Info(record), secret, null);
    }

    /// <summary>Every key, newest first.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(cancellationToken);
        return rows.Select(Info).ToList();
    }

    /// <summary>Revokes a key by name; false (with the reason) when there is no such active key.</summary>
    public async Task<(bool Revoked, string Message)> RevokeAsync(string name, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.ApiKeys.FirstOrDefaultAsync(k => k.Name == name, cancellationToken);
        if (record is null)
        {
            return (false, $"No API key is named '{name}'.");
        }

        if (record.RevokedAt is not null)
        {
            return (false, $"The API key '{name}' was revoked on {record.RevokedAt:yyyy-MM-dd HH:mm} UTC.");
        }

        record.RevokedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditActions.ApiKeyRevoke, name, null);
        await db.SaveChangesAsync(cancellationToken);
        return (true, $"API key '{name}' revoked.");
    }

    /// <summary>The active key a request sent, or null (unknown or revoked); records its use.</summary>
    public async Task<ApiKeyInfo?> FindActiveAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!secret.StartsWith(KeyPrefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }

        var hash = HashOf(secret);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (record is null || record.RevokedAt is not null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (!lastUsedWritten.TryGetValue(record.Id, out var written) || now - written >= LastUsedResolution)
        {
            lastUsedWritten[record.Id] = now;
            await db.ApiKeys.Where(k => k.Id == record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
            record.LastUsedAt = now;
        }

        return Info(record);
    }

    /// <summary>Lower-case hex SHA-256 of a key (what the table stores).</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ApiKeyInfo Info(ApiKeyRecord r) => new(r.Name, r.Scope, r.Prefix, r.CreatedAt, r.CreatedBy, r.LastUsedAt, r.RevokedAt);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
