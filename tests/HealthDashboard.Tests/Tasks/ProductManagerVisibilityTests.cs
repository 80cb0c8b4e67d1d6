using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;

namespace HealthDashboard.Tests.Tasks;

/// <summary>
/// Issue 16's permission rule for product managers, on the server: they see the views the team shared (a tagged,
/// filtered Accounts view included) but no one else's tasks, only those given to them.
/// </summary>
public sealed class ProductManagerVisibilityTests : IAsyncLifetime
{
    private static readonly PortfolioView View = TestPortfolio.View(); // ACC-1 and ACC-3: Maya's
    private static readonly SignedInMember Maya = Member("Maya Chen", "maya@example.com", Roles.CSManager);
    private static readonly SignedInMember Pat = Member("Pat Product", "pat@example.com", Roles.ProductManager);

    private TestStore store = default!;

    public async Task InitializeAsync() => store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await store.DisposeAsync();

    private static SignedInMember Member(string name, string email, string role) =>
        new(name, new Actor(email, "test"), role == Roles.Admin, new AccountOwner(name, email, role == Roles.CSManager));

    [Fact]
    public async Task A_product_manager_sees_shared_views_but_only_the_tasks_given_to_him()
    {
        var views = store.Get<SavedViewStore>();
        var tasks = store.Get<TaskStore>();
        Assert.Null((await views.SaveAsync(Maya, "accounts", "Renewal risk", "tag=renewal%20risk&band=red", shared: true, asDefault: false)).Problem);
        Assert.Null((await views.SaveAsync(Maya, "accounts", "My reds", "band=red", shared: false, asDefault: false)).Problem);
        var due = View.AsOf.Date.AddDays(3);
        Assert.Null((await tasks.CreateOnAccountsAsync(Maya, ["ACC-1", "ACC-3"], new NewTask("", "Maya's call", null, due, Maya.Owner.Email, Maya.Name), View)).Problem);
        Assert.Null((await tasks.CreateAsync(Maya, new NewTask("ACC-1", "Feedback for product", null, due, Pat.Owner.Email, Pat.Name), "Maya Chen")).Problem);

        // The shared view (with its tag filter), not Maya's private one.
        Assert.Equal(["accounts?tag=renewal%20risk&band=red"], (await views.SharedAsync(Pat)).Select(v => v.Href));
        Assert.Equal(["Renewal risk"], (await views.ListAsync(Pat, "accounts")).Select(v => v.Name));

        // Tasks: only the one given to him, on the account page and in My tasks; Maya's own stay hers.
        Assert.Equal(["Feedback for product"], (await tasks.ForAccountAsync(Pat, "ACC-1", "Maya Chen")).Select(t => t.Title));
        Assert.Empty(await tasks.ForAccountAsync(Pat, "ACC-3", "Maya Chen"));
        Assert.Equal(["Feedback for product"], (await tasks.MyOpenTasksAsync(Pat)).Select(t => t.Title));
        Assert.Equal(2, (await tasks.ForAccountAsync(Maya, "ACC-1", "Maya Chen")).Count);

        // Nor can he change hers, one by one or in bulk.
        var mayas = (await tasks.ForAccountAsync(Maya, "ACC-3", "Maya Chen")).Single();
        Assert.NotNull(await tasks.CloseAsync(Pat, [mayas.Id], AccountTaskStatus.Done, null, View));
        Assert.NotNull(await tasks.ReassignAsync(Pat, [mayas.Id], Pat.Owner.Email, Pat.Name, View));
        Assert.Equal(AccountTaskStatus.Open, (await tasks.ForAccountAsync(Maya, "ACC-3", "Maya Chen")).Single().Status);
    }
}
