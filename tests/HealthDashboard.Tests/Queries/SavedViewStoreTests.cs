using HealthDashboard.Identity;
using HealthDashboard.Queries;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Queries;

/// <summary>Saved views over the real SQLite store: who sees, renames, deletes and defaults what (checked on the server).</summary>
public sealed class SavedViewStoreTests : IAsyncLifetime
{
    private static readonly SignedInMember Ana = Member("Ana Silva", "ana@example.com", Roles.CSManager);
    private static readonly SignedInMember Ben = Member("Ben Ode", "ben@example.com", Roles.ProductManager);
    private static readonly SignedInMember Admin = Member("Maya Admin", "maya@example.com", Roles.Admin);

    private TestStore store = default!;

    private SavedViewStore Views => store.Get<SavedViewStore>();

    public async Task InitializeAsync() => store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await store.DisposeAsync();

    private static SignedInMember Member(string name, string email, string role) =>
        new(name, new Actor(email, "test"), role == Roles.Admin, new AccountOwner(name, email, role == Roles.CSManager));

    private async Task<SavedViewInfo> SaveAsync(SignedInMember member, string name, string query, bool shared, string page = "accounts")
    {
        var (view, problem) = await Views.SaveAsync(member, page, name, query, shared, asDefault: false);
        Assert.Null(problem);
        return view!;
    }

    [Fact]
    public async Task A_member_sees_their_own_views_and_the_shared_ones_not_others_private_ones()
    {
        await SaveAsync(Ana, "My reds", "band=red", shared: false);
        await SaveAsync(Ana, "Enterprise", "segment=Enterprise", shared: true);
        await SaveAsync(Ben, "Ben's private", "band=green", shared: false);
        await SaveAsync(Ben, "Users view", "min=50", shared: true, page: "users");

        Assert.Equal(["Enterprise", "My reds"], (await Views.ListAsync(Ana, "accounts")).Select(v => v.Name));
        Assert.Equal(["Ben's private", "Enterprise"], (await Views.ListAsync(Ben, "accounts")).Select(v => v.Name));
        var shared = await Views.SharedAsync(Ben);
        Assert.Equal(["accounts?segment=Enterprise", "users?min=50"], shared.Select(v => v.Href));
        Assert.Equal("Ana Silva", shared[0].OwnerName);
    }

    [Fact]
    public async Task Only_the_owner_renames_or_deletes_a_private_view_and_admins_manage_shared_ones()
    {
        var mine = await SaveAsync(Ana, "My reds", "band=red", shared: false);
        var team = await SaveAsync(Ana, "Team reds", "band=red&sort=mrr", shared: true);

        // Ben cannot touch either; Ana's private view does not even exist for him.
        Assert.Equal("That view no longer exists.", await Views.RenameAsync(Ben, mine.Id, "Mine now"));
        Assert.Equal("That view no longer exists.", await Views.DeleteAsync(Ben, mine.Id));
        Assert.Equal("Only Ana Silva or an admin can change the shared view 'Team reds'.", await Views.DeleteAsync(Ben, team.Id));
        Assert.False((await Views.ListAsync(Ben, "accounts")).Single().CanManage);

        // An admin manages the shared view, not the private one.
        Assert.Equal("That view no longer exists.", await Views.DeleteAsync(Admin, mine.Id));
        Assert.Null(await Views.RenameAsync(Admin, team.Id, "At-risk revenue"));
        Assert.Null(await Views.DeleteAsync(Admin, team.Id));

        // The owner renames their private view.
        Assert.Null(await Views.RenameAsync(Ana, mine.Id, "  Reds  "));
        Assert.Equal(["Reds"], (await Views.ListAsync(Ana, "accounts")).Select(v => v.Name));

        // Deleting a shared view is in the audit trail; nothing else about views is.
        await using var db = await store.DbAsync();
        var audit = await db.Audit.OrderBy(a => a.Id).Select(a => new { a.Action, a.Actor, a.Target }).ToListAsync();
        Assert.Equal(
            [new { Action = AuditActions.ViewShare, Actor = "ana@example.com", Target = "accounts: Team reds" },
             new { Action = AuditActions.ViewDelete, Actor = "maya@example.com", Target = "accounts: At-risk revenue" }],
            audit);
    }

    [Fact]
    public async Task Names_must_be_given_and_unique_per_member_and_page()
    {
        await SaveAsync(Ana, "Reds", "band=red", shared: false);

        Assert.Equal("Give the view a name.", (await Views.SaveAsync(Ana, "accounts", "  ", "band=red", false, false)).Problem);
        Assert.Equal("You already have a view named 'reds'.", (await Views.SaveAsync(Ana, "accounts", "reds", "x=1", false, false)).Problem);
        Assert.Equal($"Keep the name under {SavedViewStore.MaxNameLength} characters.",
            (await Views.SaveAsync(Ana, "accounts", new string('x', SavedViewStore.MaxNameLength + 1), "", false, false)).Problem);
        Assert.Equal("Views of 'admin' cannot be saved.", (await Views.SaveAsync(Ana, "admin", "x", "", false, false)).Problem);
        // Another member, or another page, may use the name.
        Assert.Null((await Views.SaveAsync(Ben, "accounts", "Reds", "band=red", false, false)).Problem);
        Assert.Null((await Views.SaveAsync(Ana, "users", "Reds", "min=10", false, false)).Problem);
    }

    [Fact]
    public async Task The_default_view_is_per_member_and_goes_when_its_view_is_deleted()
    {
        var (team, _) = await Views.SaveAsync(Ana, "accounts", "Team reds", "?band=red", shared: true, asDefault: true);
        Assert.True(team!.IsDefault);
        Assert.Equal("band=red", await Views.DefaultQueryAsync(Ana, "accounts"));
        Assert.Null(await Views.DefaultQueryAsync(Ben, "accounts"));
        Assert.Null(await Views.DefaultQueryAsync(Ana, "users"));

        // Ben picks Ana's shared view as his default; he cannot pick a view he does not see.
        var hidden = await SaveAsync(Ana, "Hidden", "band=green", shared: false);
        Assert.Equal("That view no longer exists.", await Views.SetDefaultAsync(Ben, "accounts", hidden.Id));
        Assert.Null(await Views.SetDefaultAsync(Ben, "accounts", team.Id));
        Assert.Equal("band=red", await Views.DefaultQueryAsync(Ben, "accounts"));

        Assert.Null(await Views.SetDefaultAsync(Ana, "accounts", null));
        Assert.Null(await Views.DefaultQueryAsync(Ana, "accounts"));
        Assert.Null(await Views.DeleteAsync(Ana, team.Id));
        Assert.Null(await Views.DefaultQueryAsync(Ben, "accounts"));
    }

    [Fact]
    public async Task Every_change_is_announced_for_the_navigation_drawer()
    {
        var changes = 0;
        Views.Changed += () => changes++;

        var view = await SaveAsync(Ana, "Reds", "band=red", shared: true);
        await Views.RenameAsync(Ana, view.Id, "Red accounts");
        await Views.RenameAsync(Ben, view.Id, "Refused");
        await Views.DeleteAsync(Ana, view.Id);

        Assert.Equal(3, changes);
    }
}
