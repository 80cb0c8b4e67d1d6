using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Tasks;

/// <summary>
/// Owner changes over the real store: who may give which accounts away, all or nothing, one audit entry per changed
/// account, and the score board's next refresh shows the new owners (the loader's stamps notice an in-place change).
/// </summary>
public abstract class AccountOwnerStoreTests(DatabaseProvider engine) : IAsyncLifetime
{
    // TestPortfolio: ACC-1 and ACC-3 are Maya's, ACC-2 and ACC-4 Liam's, ACC-5 Ana's, ACC-6 has no owner.
    private static readonly SignedInMember Maya = Member("Maya Chen", "maya@example.com", Roles.CSManager);
    private static readonly SignedInMember Pat = Member("Pat Product", "pat@example.com", Roles.ProductManager);
    private static readonly SignedInMember Admin = Member("Alex Admin", "alex@example.com", Roles.Admin);

    private TestStore store = default!;

    private AccountOwnerStore Owners => store.Get<AccountOwnerStore>();

    public async Task InitializeAsync() => store = await TestStore.CreateWithAsync(engine, TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);

    public async Task DisposeAsync() => await store.DisposeAsync();

    private static SignedInMember Member(string name, string email, string role) =>
        new(name, new Actor(email, "test"), role == Roles.Admin, new AccountOwner(name, email, role == Roles.CSManager));

    [Fact]
    public async Task An_admin_reassigns_any_accounts_in_one_go_with_one_audit_entry_per_changed_account()
    {
        Assert.Null(await Owners.AssignAsync(Admin, ["ACC-1", "ACC-2", "ACC-5", "ACC-6"], "  Ana Silva "));

        Assert.Equal(
            [("ACC-1", "Ana Silva"), ("ACC-2", "Ana Silva"), ("ACC-3", "Maya Chen"), ("ACC-4", "Liam Ortiz"), ("ACC-5", "Ana Silva"), ("ACC-6", "Ana Silva")],
            await OwnersAsync());
        // ACC-5 was Ana's already: no entry for it.
        Assert.Equal(
            [("ACC-1", "Maya Chen → Ana Silva", "alex@example.com"), ("ACC-2", "Liam Ortiz → Ana Silva", "alex@example.com"), ("ACC-6", "Unassigned → Ana Silva", "alex@example.com")],
            await AuditAsync());

        // Unassigning is a change like any other.
        Assert.Null(await Owners.AssignAsync(Admin, ["ACC-6"], null));
        Assert.Contains(("ACC-6", (string?)null), await OwnersAsync());
        Assert.Equal(("ACC-6", "Ana Silva → Unassigned", "alex@example.com"), (await AuditAsync())[^1]);
    }

    [Fact]
    public async Task A_product_manager_is_refused_and_nothing_changes()
    {
        var before = await OwnersAsync();

        Assert.Equal("Only admins and CS managers can change an account's owner.", await Owners.AssignAsync(Pat, ["ACC-6"], "Pat Product"));

        Assert.Equal(before, await OwnersAsync());
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task A_cs_manager_hands_over_her_own_and_unassigned_accounts_but_a_selection_with_another_owners_account_changes_nothing()
    {
        var before = await OwnersAsync();

        Assert.Equal("You can only change the owner of the accounts you own or unassigned ones: 1 of the 3 selected are not; nothing was changed.",
            await Owners.AssignAsync(Maya, ["ACC-1", "ACC-6", "ACC-2"], "Liam Ortiz"));
        Assert.Equal("You can only change the owner of the accounts you own or unassigned ones; Bluepeak Analytics is owned by Liam Ortiz.",
            await Owners.AssignAsync(Maya, ["ACC-2"], "Maya Chen"));
        Assert.Equal("Some of these accounts no longer exist; nothing was changed.", await Owners.AssignAsync(Admin, ["ACC-1", "ACC-404"], "Liam Ortiz"));
        Assert.Equal("Owner: at most 200 characters, on one line.", await Owners.AssignAsync(Admin, ["ACC-1"], "Liam\nOrtiz"));
        Assert.Equal(before, await OwnersAsync());
        Assert.Empty(await AuditAsync());

        Assert.Null(await Owners.AssignAsync(Maya, ["ACC-1", "ACC-6"], "Liam Ortiz"));
        Assert.Equal(["ACC-1", "ACC-6"], (await OwnersAsync()).Where(o => o.Owner == "Liam Ortiz" && o.Id is "ACC-1" or "ACC-6").Select(o => o.Id));
        Assert.Equal(["ACC-1", "ACC-6"], (await AuditAsync()).Select(e => e.Target));
    }

    [Fact]
    public async Task The_score_board_shows_the_new_owner_after_its_next_refresh_and_the_store_version_tells_other_instances()
    {
        var board = store.Get<ScoreBoard>();
        var loader = store.Get<PortfolioLoader>();
        await board.RefreshAsync(rescoreHistory: true);
        var scoredVersion = board.ScoredStoreVersion;
        Assert.Equal(scoredVersion, await loader.LoadStoreVersionAsync());

        Assert.Null(await Owners.AssignAsync(Admin, ["ACC-1", "ACC-5"], "Liam Ortiz"));

        // The watch of another instance (or of this one) finds the change...
        Assert.NotEqual(scoredVersion, await loader.LoadStoreVersionAsync());
        // ...and the incremental refresh reads the accounts again instead of keeping the ones it had.
        var view = await board.RefreshAsync(rescoreHistory: true);
        Assert.True(board.LastRefresh!.Incremental);
        Assert.Equal("Liam Ortiz", view.FindAccount("ACC-1")!.Owner);
        Assert.Equal("Liam Ortiz", view.FindAccount("ACC-5")!.Owner);
        Assert.Equal("Maya Chen", view.FindAccount("ACC-3")!.Owner);
        Assert.Equal(board.ScoredStoreVersion, await loader.LoadStoreVersionAsync());
    }

    private async Task<List<(string Id, string? Owner)>> OwnersAsync()
    {
        await using var db = await store.DbAsync();
        return [.. (await db.Accounts.AsNoTracking().OrderBy(a => a.ExternalId).Select(a => new { a.ExternalId, a.Owner }).ToListAsync()).Select(a => (a.ExternalId, a.Owner))];
    }

    private async Task<List<(string Target, string? Details, string Actor)>> AuditAsync()
    {
        await using var db = await store.DbAsync();
        return [.. (await db.Audit.AsNoTracking().Where(e => e.Action == AuditActions.AccountOwner).OrderBy(e => e.Id).ToListAsync()).Select(e => (e.Target, e.Details, e.Actor))];
    }
}

public sealed class AccountOwnerStoreSqliteTests() : AccountOwnerStoreTests(DatabaseProvider.Sqlite);

public sealed class AccountOwnerStorePostgresTests() : AccountOwnerStoreTests(DatabaseProvider.Postgres);
