using HealthDashboard.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Identity;

/// <summary>API keys, the team and the audit trail over a real migrated SQLite file.</summary>
public sealed class IdentityStoresTests : IAsyncLifetime
{
    private static readonly Actor Tester = new("tester@example.com", "127.0.0.1");
    private TestStore db = null!;

    public async Task InitializeAsync() => db = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await db.DisposeAsync();

    private ApiKeyStore Keys => db.Services.GetRequiredService<ApiKeyStore>();
    private TeamService Team => db.Services.GetRequiredService<TeamService>();

    [Fact]
    public async Task A_key_is_stored_only_as_its_hash_found_while_active_and_refused_at_once_when_revoked()
    {
        var created = await Keys.CreateAsync("crm", "ingest", Tester);
        var secret = created.Secret!;
        Assert.StartsWith(ApiKeyStore.KeyPrefix, secret, StringComparison.Ordinal);

        await using (var context = await db.DbFactory.CreateDbContextAsync())
        {
            var row = await context.ApiKeys.SingleAsync();
            Assert.Equal(ApiKeyStore.HashOf(secret), row.Hash);
            Assert.DoesNotContain(secret, row.Hash + row.Prefix + row.Name, StringComparison.Ordinal);
        }

        var found = await Keys.FindActiveAsync(secret);
        Assert.Equal(("crm", "ingest"), (found!.Name, found.Scope));
        Assert.NotNull((await Keys.ListAsync()).Single().LastUsedAt);
        Assert.Null(await Keys.FindActiveAsync(secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a')));

        var (revoked, _) = await Keys.RevokeAsync("crm", Tester);
        Assert.True(revoked);
        Assert.Null(await Keys.FindActiveAsync(secret));
        Assert.False((await Keys.RevokeAsync("crm", Tester)).Revoked);
    }

    [Fact]
    public async Task Key_names_are_unique_and_scopes_are_read_or_ingest()
    {
        Assert.NotNull((await Keys.CreateAsync("reader", "read", Tester)).Secret);
        Assert.Contains("exists already", (await Keys.CreateAsync("reader", "read", Tester)).Problem, StringComparison.Ordinal);
        Assert.Contains("not read or ingest", (await Keys.CreateAsync("writer", "admin", Tester)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted_or_disabled()
    {
        Assert.True((await Team.AddAsync("ana@example.com", "Ana", Roles.Admin, null, Tester)).Succeeded);
        Assert.False((await Team.ChangeRoleAsync("ana@example.com", Roles.CSManager, Tester)).Succeeded);
        Assert.False((await Team.SetDisabledAsync("ana@example.com", true, Tester)).Succeeded);

        Assert.True((await Team.AddAsync("ben@example.com", "Ben", Roles.Admin, null, Tester)).Succeeded);
        Assert.True((await Team.ChangeRoleAsync("ana@example.com", Roles.ProductManager, Tester)).Succeeded);
        Assert.False((await Team.SetDisabledAsync("ben@example.com", true, Tester)).Succeeded);
        var roles = (await Team.ListAsync()).ToDictionary(m => m.Email, m => m.Role);
        Assert.Equal(Roles.ProductManager, roles["ana@example.com"]);
        Assert.Equal(Roles.Admin, roles["ben@example.com"]);
    }

    [Fact]
    public async Task A_generated_password_follows_the_rules_and_a_reset_makes_a_new_one()
    {
        var added = await Team.AddAsync("cs@example.com", null, "csmanager", null, Tester);
        Assert.True(added.Succeeded, added.Message);
        Assert.True(added.Password!.Length >= 12);
        Assert.Equal("Cs", (await Team.ListAsync()).Single().DisplayName);

        var reset = await Team.ResetPasswordAsync("cs@example.com", Tester);
        Assert.True(reset.Succeeded, reset.Message);
        Assert.NotEqual(added.Password, reset.Password);
        Assert.False((await Team.AddAsync("weak@example.com", null, Roles.Admin, "short", Tester)).Succeeded);
    }

    [Fact]
    public async Task Changes_are_recorded_in_an_audit_trail_the_database_will_not_alter()
    {
        await Team.AddAsync("ana@example.com", "Ana", Roles.Admin, null, Tester);
        await Keys.CreateAsync("crm", "read", Tester);
        await Keys.RevokeAsync("crm", Tester);

        var audit = db.Services.GetRequiredService<AuditLog>();
        var entries = await audit.QueryAsync(new AuditFilter());
        Assert.Equal([AuditActions.ApiKeyRevoke, AuditActions.ApiKeyAdd, AuditActions.UserAdd], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("tester@example.com", "127.0.0.1"), (e.Actor, e.Origin)));
        Assert.Single(await audit.QueryAsync(new AuditFilter(Action: AuditActions.UserAdd)));
        Assert.Equal(2, (await audit.QueryAsync(new AuditFilter(Text: "crm"))).Count);

        await using var context = await db.DbFactory.CreateDbContextAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync("UPDATE AuditTrail SET Actor = 'someone else'"));
        await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync("DELETE FROM AuditTrail"));
        Assert.Equal(3, await context.Audit.CountAsync());
    }
}
