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
}
