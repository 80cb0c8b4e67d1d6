using Bunit;
using HealthDashboard.Components.Pages.Accounts;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace HealthDashboard.Tests.Components.Pages.Accounts;

/// <summary>The Accounts grid's bulk bar assigning an owner: who is offered it, the confirmation with the count, and the refusal shown.</summary>
public sealed class AccountBulkBarTests : PageTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly SignedInMember Admin = new("Alex Admin", new Actor("alex@example.com", "web"), true, new AccountOwner("Alex Admin", "alex@example.com", false));
    private static readonly SignedInMember Maya = new("Maya Chen", new Actor("maya@example.com", "web"), false, new AccountOwner("Maya Chen", "maya@example.com", true));
    private static readonly SignedInMember Pat = new("Pat Product", new Actor("pat@example.com", "web"), false, new AccountOwner("Pat Product", "pat@example.com", false));

    public AccountBulkBarTests()
    {
        // The store behind the page has the view's accounts (the owner store reads and writes them) and a team.
        Task.Run(async () =>
        {
            await using (var db = await Store.DbAsync())
            {
                db.Accounts.AddRange(View.Accounts.Select(a => new HealthDashboard.Data.Account { ExternalId = a.Id, Name = a.Name, Owner = a.Owner }));
                await db.SaveChangesAsync();
            }

            var team = Store.Get<TeamService>();
            await team.AddAsync("liam@example.com", "Liam Ortiz", Roles.CSManager, null, Actor.System);
            await team.AddAsync("maya@example.com", "Maya Chen", Roles.CSManager, null, Actor.System);
        }).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task An_admin_assigns_the_selected_accounts_to_a_team_member_after_confirming_the_count()
    {
        var cleared = 0;
        var dialogs = Render<MudDialogProvider>();
        var popovers = RenderPopoverProvider();
        var bar = RenderBar(Admin, ["ACC-1", "ACC-3"], () => cleared++);

        ChooseAction(bar, popovers, "Assign an owner");
        bar.WaitForElement("[data-testid=bulk-owner]", Patience);
        Assert.True(bar.Find("[data-testid=bulk-apply]").HasAttribute("disabled"));
        await bar.InvokeAsync(() => bar.FindComponents<MudSelect<string>>().Single().Instance.SelectOption("liam@example.com"));
        bar.Find("[data-testid=bulk-apply]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Make Liam Ortiz the owner of 2 accounts?", dialogs.Markup, StringComparison.Ordinal), Patience);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Assign owner").Click();

        bar.WaitForAssertion(() => Assert.Equal(1, cleared), Patience);
        Assert.Equal([("ACC-1", "Liam Ortiz"), ("ACC-2", "Liam Ortiz"), ("ACC-3", "Liam Ortiz"), ("ACC-4", "Liam Ortiz"), ("ACC-5", "Ana Silva")], await OwnersAsync());
    }

    [Fact]
    public async Task A_cs_manager_sees_why_a_selection_with_another_owners_account_is_refused()
    {
        var cleared = 0;
        var dialogs = Render<MudDialogProvider>();
        var popovers = RenderPopoverProvider();
        var bar = RenderBar(Maya, ["ACC-1", "ACC-2"], () => cleared++);
        var before = await OwnersAsync();

        ChooseAction(bar, popovers, "Assign an owner");
        await bar.InvokeAsync(() => bar.WaitForElement("[data-testid=bulk-owner]", Patience));
        await bar.InvokeAsync(() => bar.FindComponents<MudSelect<string>>().Single().Instance.SelectOption("liam@example.com"));
        bar.Find("[data-testid=bulk-apply]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Assign owner").Click(), Patience);

        bar.WaitForAssertion(() => Assert.Equal(
            "You can only change the owner of the accounts you own or unassigned ones: 1 of the 2 selected are not; nothing was changed.",
            bar.Find("[data-testid=bulk-problem]").TextContent.Trim()), Patience);
        Assert.Equal(0, cleared);
        Assert.Equal(before, await OwnersAsync());
    }

    [Fact]
    public void A_product_manager_is_not_offered_the_owner_action()
    {
        var popovers = RenderPopoverProvider();
        var bar = RenderBar(Pat, ["ACC-1"], () => { });

        OpenActions(bar);
        popovers.WaitForAssertion(() => Assert.Contains("Create a task", popovers.Markup, StringComparison.Ordinal), Patience);
        Assert.DoesNotContain("Assign an owner", popovers.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<AccountBulkBar> RenderBar(SignedInMember member, IReadOnlyCollection<string> selected, Action onClear) =>
        Render<AccountBulkBar>(p => p
            .Add(b => b.Selected, selected)
            .Add(b => b.Member, member)
            .Add(b => b.View, View)
            .Add(b => b.OnClear, onClear));

    private static void OpenActions(IRenderedComponent<AccountBulkBar> bar) =>
        bar.Find("[data-testid=bulk-action] .mud-input-control-input-container, [data-testid=bulk-action]").MouseDown();

    private static void ChooseAction(IRenderedComponent<AccountBulkBar> bar, IRenderedComponent<MudPopoverProvider> popovers, string action)
    {
        OpenActions(bar);
        popovers.WaitForAssertion(() => popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == action).Click(), Patience);
    }

    private async Task<List<(string Id, string? Owner)>> OwnersAsync()
    {
        await using var db = await Store.DbAsync();
        return [.. (await db.Accounts.AsNoTracking().OrderBy(a => a.ExternalId).Select(a => new { a.ExternalId, a.Owner }).ToListAsync()).Select(a => (a.ExternalId, a.Owner))];
    }
}
