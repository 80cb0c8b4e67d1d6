using Bunit;
using HealthDashboard.Components.Pages.Accounts;
using HealthDashboard.Components.Layout;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HealthDashboard.Tests.Components.Pages.Accounts;

/// <summary>Saved views on the Accounts page: save the URL's view, find it in the menu and the drawer, open the default.</summary>
public sealed class SavedViewsTests : PageTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private SavedViewStore Views => Services.GetRequiredService<SavedViewStore>();

    // The base signs in "maya" as an admin: her email is her name in bUnit's principal.
    private static SignedInMember Maya => new("maya", new Actor("maya", "web"), true, new AccountOwner("maya", "maya", false));

    [Fact]
    public async Task Saving_the_current_view_stores_its_query_and_shows_it_in_the_menu_and_the_drawer()
    {
        Navigation.NavigateTo("/accounts?band=red&sort=mrr");
        var dialogs = Render<MudDialogProvider>();
        var nav = Render<NavMenu>();
        var popovers = RenderPopoverProvider();
        var page = Render<AccountsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".hd-account-name").Count), Patience);

        // Open the menu, then "Save this view…" (not awaited: it waits for the dialog).
        page.Find("[data-testid=saved-views] button").Click();
        popovers.WaitForElement("[data-testid=save-view]", Patience).Click();
        dialogs.WaitForElement("#view-name", Patience).Input("Red by MRR");
        dialogs.Find("[data-testid=view-shared] input, input[data-testid=view-shared]").Change(true);
        dialogs.Find("[data-testid=view-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#view-name")), Patience);
        var saved = Assert.Single(await Views.ListAsync(Maya, "accounts"));
        Assert.Equal(("Red by MRR", "band=red&sort=mrr", true), (saved.Name, saved.Query, saved.Shared));

        // The drawer lists the shared view without a reload.
        nav.WaitForAssertion(() => Assert.Equal("accounts?band=red&sort=mrr", nav.Find("[data-testid=nav-view]").GetAttribute("href")), Patience);
        Assert.Contains("Red by MRR", nav.Find("[data-testid=nav-view]").TextContent, StringComparison.Ordinal);

        // And the menu links to it.
        page.Find("[data-testid=saved-views] button").Click();
        popovers.WaitForAssertion(() => Assert.Equal("accounts?band=red&sort=mrr", popovers.Find("[data-testid=saved-view]").GetAttribute("href")), Patience);
    }

    [Fact]
    public async Task A_taken_name_is_refused_in_the_dialog()
    {
        await Views.SaveAsync(Maya, "accounts", "Reds", "band=red", shared: false, asDefault: false);
        var dialogs = Render<MudDialogProvider>();
        var popovers = RenderPopoverProvider();
        var page = Render<AccountsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".hd-account-name")), Patience);

        page.Find("[data-testid=saved-views] button").Click();
        popovers.WaitForElement("[data-testid=save-view]", Patience).Click();
        dialogs.WaitForElement("#view-name", Patience).Input("reds");
        dialogs.Find("[data-testid=view-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("You already have a view named 'reds'.", dialogs.Markup, StringComparison.Ordinal), Patience);
        Assert.Single(await Views.ListAsync(Maya, "accounts"));
    }

    [Fact]
    public async Task The_default_view_opens_when_the_page_has_no_query()
    {
        await Views.SaveAsync(Maya, "accounts", "Yellow", "band=yellow", shared: false, asDefault: true);
        Navigation.NavigateTo("/accounts");

        var popovers = RenderPopoverProvider();
        var page = Render<AccountsPage>();

        page.WaitForAssertion(() => Assert.Equal(["Bluepeak Analytics"], page.FindAll(".hd-account-name").Select(a => a.TextContent.Trim())), Patience);
        Assert.EndsWith("/accounts?band=yellow", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_manager_sees_the_shared_view_but_cannot_manage_it()
    {
        await Views.SaveAsync(Maya, "accounts", "Team reds", "band=red", shared: true, asDefault: false);
        SignInAs("ben", Roles.ProductManager);
        var dialogs = Render<MudDialogProvider>();
        var popovers = RenderPopoverProvider();
        var page = Render<AccountsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".hd-account-name")), Patience);

        page.Find("[data-testid=saved-views] button").Click();
        popovers.WaitForElement("[data-testid=manage-views]", Patience).Click();

        dialogs.WaitForElement("[data-testid=manage-view]", Patience);
        Assert.Contains("Shared by maya", dialogs.Find("[data-testid=manage-view]").TextContent, StringComparison.Ordinal);
        Assert.Empty(dialogs.FindAll("[data-testid=view-delete]"));
        Assert.Empty(dialogs.FindAll("[data-testid=view-rename]"));

        // He may still make it his default.
        dialogs.Find("[data-testid=view-star]").Click();
        var ben = new SignedInMember("ben", new Actor("ben", "web"), false, new AccountOwner("ben", "ben", false));
        await dialogs.WaitForAssertionAsync(async () => Assert.Equal("band=red", await Views.DefaultQueryAsync(ben, "accounts")), Patience);
    }
}
