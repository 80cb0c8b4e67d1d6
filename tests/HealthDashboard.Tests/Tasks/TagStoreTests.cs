using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Tasks;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Tasks;

/// <summary>Account tags over the real SQLite store: who may tag what, duplicates, and the audit trail of both changes.</summary>
public sealed class TagStoreTests : IAsyncLifetime
{
    private static readonly SignedInMember Maya = Member("Maya Chen", "maya@example.com", Roles.CSManager);
    private static readonly SignedInMember Pat = Member("Pat Product", "pat@example.com", Roles.ProductManager);
    private static readonly SignedInMember Admin = Member("Alex Admin", "alex@example.com", Roles.Admin);

    private TestStore store = default!;

    private TagStore Tags => store.Get<TagStore>();

    public async Task InitializeAsync() => store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await store.DisposeAsync();

    private static SignedInMember Member(string name, string email, string role) =>
        new(name, new Actor(email, "test"), role == Roles.Admin, new AccountOwner(name, email, role == Roles.CSManager));

    [Fact]
    public async Task A_cs_manager_tags_their_own_accounts_an_admin_any_a_product_manager_none()
    {
        Assert.Null(await Tags.AddAsync(Maya, "ACC-1", "Maya Chen", "  expansion "));
        Assert.Null(await Tags.AddAsync(Admin, "ACC-1", "Maya Chen", "Exec sponsor"));
        Assert.Null(await Tags.AddAsync(Maya, "ACC-1", "maya@example.com", "EXPANSION"));
        Assert.Equal("You can only tag the accounts you own.", await Tags.AddAsync(Maya, "ACC-2", "Liam Ortiz", "mine now"));
        Assert.Equal("You can only tag the accounts you own.", await Tags.AddAsync(Pat, "ACC-1", "Maya Chen", "feedback"));
        Assert.Equal("Tag: 1 to 40 characters.", await Tags.AddAsync(Admin, "ACC-1", "Maya Chen", new string('x', 41)));

        Assert.Equal(["Exec sponsor", "expansion"], await Tags.ForAccountAsync("ACC-1"));
        Assert.Empty(await Tags.ForAccountAsync("ACC-2"));
    }

    [Fact]
    public async Task Adding_and_removing_are_audited_and_a_product_manager_cannot_remove()
    {
        var changes = 0;
        Tags.Changed += () => changes++;
        await Tags.AddAsync(Maya, "ACC-1", "Maya Chen", "at-risk");

        Assert.Equal("You can only untag the accounts you own.", await Tags.RemoveAsync(Pat, "ACC-1", "Maya Chen", "at-risk"));
        Assert.Null(await Tags.RemoveAsync(Admin, "ACC-1", "Maya Chen", "at-risk"));

        Assert.Empty(await Tags.ForAccountAsync("ACC-1"));
        Assert.Equal(2, changes);
        await using var db = await store.DbAsync();
        var audit = await db.Audit.AsNoTracking().Where(e => e.Action == AuditActions.TagAdd || e.Action == AuditActions.TagRemove).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([(AuditActions.TagAdd, "maya@example.com"), (AuditActions.TagRemove, "alex@example.com")], audit.Select(e => (e.Action, e.Actor)));
        Assert.StartsWith("at-risk (added by maya@example.com on ", audit[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_tagging_is_all_or_nothing_per_the_owner_rule_and_audited_per_account()
    {
        var view = TestPortfolio.View(); // ACC-1 and ACC-3: Maya's; ACC-2 and ACC-4: Liam's
        await Tags.AddAsync(Maya, "ACC-1", "Maya Chen", "Renewal RISK");

        // One account of the selection is not Maya's: nothing is tagged.
        Assert.Equal("You can only tag the accounts you own: 1 of the 3 selected are not yours; nothing was changed.",
            await Tags.AddToAccountsAsync(Maya, ["ACC-1", "ACC-3", "ACC-4"], "renewal risk", view));
        Assert.Empty(await Tags.ForAccountAsync("ACC-3"));
        Assert.Equal("You can only tag the accounts you own: 2 of the 2 selected are not yours; nothing was changed.",
            await Tags.AddToAccountsAsync(Pat, ["ACC-1", "ACC-3"], "feedback", view));
        Assert.Equal("Some of these accounts no longer exist; nothing was changed.", await Tags.AddToAccountsAsync(Admin, ["ACC-1", "ACC-404"], "x", view));
        Assert.Equal("Tag: 1 to 40 characters.", await Tags.AddToAccountsAsync(Admin, ["ACC-1"], " ", view));

        // Her own accounts: ACC-1 has the tag already (any case) and is left alone.
        Assert.Null(await Tags.AddToAccountsAsync(Maya, ["ACC-1", "ACC-3"], " renewal risk ", view));
        Assert.Equal(["Renewal RISK"], await Tags.ForAccountAsync("ACC-1"));
        Assert.Equal(["renewal risk"], await Tags.ForAccountAsync("ACC-3"));
        var map = await Tags.MapAsync();
        Assert.True(map.Has("ACC-1", "renewal risk") && map.Has("ACC-3", "Renewal Risk") && !map.Has("ACC-4", "renewal risk"));

        // An admin removes it from any account, whatever the case; accounts without it are skipped.
        Assert.Null(await Tags.RemoveFromAccountsAsync(Admin, ["ACC-1", "ACC-3", "ACC-4"], "RENEWAL RISK", view));
        Assert.Empty((await Tags.MapAsync()).All);

        await using var db = await store.DbAsync();
        var audit = await db.Audit.AsNoTracking().Where(e => e.Action == AuditActions.TagAdd || e.Action == AuditActions.TagRemove).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([(AuditActions.TagAdd, "ACC-1"), (AuditActions.TagAdd, "ACC-3"), (AuditActions.TagRemove, "ACC-1"), (AuditActions.TagRemove, "ACC-3")],
            audit.Select(e => (e.Action, e.Target)));
    }
}
