using System.Security.Cryptography;
using HealthDashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Identity;

/// <summary>A member as the Users page and <c>users list</c> show them.</summary>
public sealed record TeamMemberInfo(string Id, string Email, string DisplayName, string? Role, bool Disabled, DateTime CreatedAt, DateTime? LastSignInAt, bool LockedOut);

/// <summary>The outcome of a change: done (with a password to show once, when one was made) or refused with a reason.</summary>
public sealed record TeamChange(bool Succeeded, string Message, string? Password = null);

/// <summary>
/// The team that signs in: add, list, change a role, disable, reset a password (issue 10), each recorded in
/// the audit trail. Each operation takes its own scope (Identity's <see cref="UserManager{TUser}"/> holds a
/// DbContext), so a page's circuit never keeps a context open. The last active admin cannot be disabled or demoted.
/// </summary>
public sealed class TeamService(IServiceScopeFactory scopes, IDbContextFactory<HealthDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>The members who can sign in (not disabled), by email: whom tasks, owners and playbooks can name.</summary>
    public async Task<IReadOnlyList<TeamMemberInfo>> ListActiveAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(cancellationToken)).Where(m => !m.Disabled)];

    /// <summary>Every member, by email, with their role.</summary>
    public async Task<IReadOnlyList<TeamMemberInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .ToDictionaryAsync(x => x.UserId, x => x.Name, cancellationToken);
        var members = await db.TeamMembers.AsNoTracking().OrderBy(m => m.Email).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return members.Select(m => new TeamMemberInfo(m.Id, m.Email ?? "", m.DisplayName, roles.GetValueOrDefault(m.Id), m.Disabled, m.CreatedAt,
            m.LastSignInAt, !m.Disabled && m.LockoutEnd > now)).ToList();
    }

    /// <summary>True when nobody can sign in yet (a new database: <c>users add</c> creates the first admin).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return !await db.TeamMembers.AnyAsync(cancellationToken);
    }

    /// <summary>Adds a member with a role; with no password given, one is generated and returned (shown once).</summary>
    public async Task<TeamChange> AddAsync(string email, string? displayName, string role, string? password, Actor actor, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (Roles.Parse(role) is not { } parsedRole)
        {
            return new(false, $"The role '{role}' is not one of {string.Join(", ", Roles.All)}.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
        var generated = password is null;
        password ??= GeneratePassword();
        var member = new TeamMember
        {
            UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? NameFromEmail(email) : displayName.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(member, password);
        if (!created.Succeeded)
        {
            return new(false, Describe(created));
        }

        // Every role exists once anyone does, so changing a role later never meets a missing one.
        foreach (var known in Roles.All)
        {
            await EnsureRoleAsync(scope.ServiceProvider, known);
        }

        var inRole = await users.AddToRoleAsync(member, parsedRole);
        if (!inRole.Succeeded)
        {
            await users.DeleteAsync(member);
            return new(false, Describe(inRole));
        }

        await audit.RecordAsync(actor, AuditActions.UserAdd, email, $"role {parsedRole}, name {member.DisplayName}", cancellationToken);
        return new(true, $"{email} added as {Roles.Label(parsedRole)}.", generated ? password : null);
    }

    /// <summary>Gives a member another role, unless that would leave no active admin.</summary>
    public Task<TeamChange> ChangeRoleAsync(string email, string role, Actor actor, CancellationToken cancellationToken = default) =>
        WithMemberAsync(email, async (users, member, currentRole) =>
        {
            if (Roles.Parse(role) is not { } parsedRole)
            {
                return new(false, $"The role '{role}' is not one of {string.Join(", ", Roles.All)}.");
            }

            if (parsedRole == currentRole)
            {
                return new(true, $"{email} is already {Roles.Label(parsedRole)}.");
            }

            if (currentRole == Roles.Admin && !member.Disabled && await IsLastActiveAdminAsync(member.Id, cancellationToken))
            {
                return new(false, $"{email} is the last active admin: make someone else an admin first.");
            }

            if (currentRole is not null)
            {
                await users.RemoveFromRoleAsync(member, currentRole);
            }

            await users.AddToRoleAsync(member, parsedRole);
            await users.UpdateSecurityStampAsync(member); // open sessions pick up the new role at once
            await audit.RecordAsync(actor, AuditActions.UserRole, email, $"{currentRole ?? "none"} -> {parsedRole}", cancellationToken);
            return new(true, $"{email} is now {Roles.Label(parsedRole)}.");
        }, cancellationToken);

    /// <summary>Disables (cannot sign in, open sessions end) or enables a member; the last active admin stays.</summary>
    public Task<TeamChange> SetDisabledAsync(string email, bool disabled, Actor actor, CancellationToken cancellationToken = default) =>
        WithMemberAsync(email, async (users, member, currentRole) =>
        {
            if (member.Disabled == disabled)
            {
                return new(true, $"{email} is already {(disabled ? "disabled" : "active")}.");
            }

            if (disabled && currentRole == Roles.Admin && await IsLastActiveAdminAsync(member.Id, cancellationToken))
            {
                return new(false, $"{email} is the last active admin and cannot be disabled.");
            }

            member.Disabled = disabled;
            await users.UpdateAsync(member);
            await users.UpdateSecurityStampAsync(member);
            await audit.RecordAsync(actor, disabled ? AuditActions.UserDisable : AuditActions.UserEnable, email, null, cancellationToken);
            return new(true, $"{email} is {(disabled ? "disabled" : "active again")}.");
        }, cancellationToken);

    /// <summary>Sets a new generated password (returned, to be shown once) and ends the member's sessions.</summary>
    public Task<TeamChange> ResetPasswordAsync(string email, Actor actor, CancellationToken cancellationToken = default) =>
        WithMemberAsync(email, async (users, member, _) =>
        {
            var password = GeneratePassword();
            // Remove and add (not a reset token): no token provider or data protection keys needed, also on the command line.
            await users.RemovePasswordAsync(member);
            var reset = await users.AddPasswordAsync(member, password);
            if (!reset.Succeeded)
            {
                return new(false, Describe(reset));
            }

            await users.SetLockoutEndDateAsync(member, null);
            await users.ResetAccessFailedCountAsync(member);
            await audit.RecordAsync(actor, AuditActions.UserPasswordReset, email, null, cancellationToken);
            return new(true, $"New password for {email}.", password);
        }, cancellationToken);

    /// <summary>A random password that meets the rules (shown once, never stored in clear).</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 16);
        // Groups of four are easy to read out; the digit and dash satisfy any reasonable rule.
        return $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}-{new string(chars, 12, 4)}7";
    }

    /// <summary>Identity's errors as one sentence.</summary>
    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private async Task<TeamChange> WithMemberAsync(string email, Func<UserManager<TeamMember>, TeamMember, string?, Task<TeamChange>> change, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
        var member = await users.FindByEmailAsync(email.Trim());
        if (member is null)
        {
            return new(false, $"No member has the email '{email}'.");
        }

        var role = (await users.GetRolesAsync(member)).FirstOrDefault();
        return await change(users, member, role);
    }

    private async Task<bool> IsLastActiveAdminAsync(string memberId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var otherActiveAdmins = await (from ur in db.UserRoles
                                       join r in db.Roles on ur.RoleId equals r.Id
                                       join m in db.TeamMembers on ur.UserId equals m.Id
                                       where r.Name == Roles.Admin && !m.Disabled && m.Id != memberId
                                       select m.Id).CountAsync(cancellationToken);
        return otherActiveAdmins == 0;
    }

    private static async Task EnsureRoleAsync(IServiceProvider services, string role)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(role))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
    }

    private static string NameFromEmail(string email)
    {
        var local = email.Split('@')[0];
        return string.Join(' ', local.Split('.', '_', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
