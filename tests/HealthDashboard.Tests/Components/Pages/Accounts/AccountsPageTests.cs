using AngleSharp.Dom;
using Bunit;
using HealthDashboard.Components.Pages.Accounts;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Pages.Accounts;

/// <summary>
/// The Accounts page over the test portfolio (five scored accounts: ACC-4 red MRR 9000, ACC-3 red 800,
/// ACC-5 red 300, ACC-2 yellow 1200, ACC-1 green A 96.25).
/// </summary>
public class AccountsPageTests : PageTestBase
{
    private static string[] RowNames(IRenderedComponent<AccountsPage> page) =>
        [.. page.FindAll(".hd-account-name").Select(a => a.TextContent.Trim())];

    private static IElement RowOf(IRenderedComponent<AccountsPage> page, string name) =>
        page.FindAll("tr.mud-table-row").Single(r => r.QuerySelector(".hd-account-name")?.TextContent.Trim() == name);

    [Fact]
    public void Rows_come_in_risk_order_with_health_chips()
    {
        var page = RenderPage<AccountsPage>();

        page.WaitForAssertion(() => Assert.Equal(
            ["Harborview Health", "Cedar & Pine Studio", "Quillon Labs", "Bluepeak Analytics", "Northwind Logistics"], RowNames(page)));

        // ACC-1: H = 96.25 -> chip "A 96", green; ACC-4 red D.
        var thriving = RowOf(page, "Northwind Logistics").QuerySelector(".hd-health-chip")!;
        Assert.Contains("hd-band-green", thriving.ClassList);
        Assert.Equal("A", thriving.QuerySelector(".hd-health-grade")!.TextContent);
        Assert.Equal("96", thriving.QuerySelector(".hd-health-value")!.TextContent);
        var atRisk = RowOf(page, "Harborview Health").QuerySelector(".hd-health-chip")!;
        Assert.Contains("hd-band-red", atRisk.ClassList);
        Assert.Equal("D", atRisk.QuerySelector(".hd-health-grade")!.TextContent);
        Assert.Equal(View.FindAccount("ACC-4")!.HealthRounded.ToString(), atRisk.QuerySelector(".hd-health-value")!.TextContent);

        Assert.Equal("/accounts/ACC-1", "/" + RowOf(page, "Northwind Logistics").QuerySelector("a.hd-account-name")!.GetAttribute("href"));
        Assert.Contains("5 accounts · $16.3k MRR", page.Find("[data-testid=count-line]").TextContent);
    }

    [Fact]
    public void Ticking_rows_or_the_page_box_selects_accounts_for_the_bulk_bar()
    {
        var page = RenderPage<AccountsPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=select-row]").Count));
        Assert.Empty(page.FindAll("[data-testid=accounts-bulk-bar]"));

        page.Find("[data-testid=select-row][data-account='ACC-3']").Change(true);
        page.Find("[data-testid=select-row][data-account='ACC-1']").Change(true);

        page.WaitForAssertion(() => Assert.Equal("2 accounts selected", page.Find("[data-testid=bulk-count]").TextContent.Trim()));
        Assert.Equal(["ACC-1", "ACC-3"], page.FindAll("[data-testid=select-row]").Where(c => c.HasAttribute("checked")).Select(c => c.GetAttribute("data-account")).Order());
        Assert.False(page.Find("[data-testid=select-page]").HasAttribute("checked"));

        page.Find("[data-testid=select-page]").Change(true);
        page.WaitForAssertion(() => Assert.Equal("5 accounts selected", page.Find("[data-testid=bulk-count]").TextContent.Trim()));
        Assert.All(page.FindAll("[data-testid=select-row]"), c => Assert.True(c.HasAttribute("checked")));

        page.Find("[data-testid=select-row][data-account='ACC-4']").Change(false);
        page.WaitForAssertion(() => Assert.Equal("4 accounts selected", page.Find("[data-testid=bulk-count]").TextContent.Trim()));
        Assert.False(page.Find("[data-testid=select-page]").HasAttribute("checked"));
    }

    [Fact]
    public void The_filter_in_the_url_is_applied()
    {
        Navigation.NavigateTo("/accounts?band=red&owner=Liam%20Ortiz");

        var page = RenderPage<AccountsPage>();

        page.WaitForAssertion(() => Assert.Equal(["Harborview Health"], RowNames(page)));
        Assert.Contains("1 account · $9,000 MRR", page.Find("[data-testid=count-line]").TextContent);
        Assert.Contains("mud-chip-selected", page.Find("[data-testid=band-red]").ClassList);
        Assert.DoesNotContain("mud-chip-selected", page.Find("[data-testid=band-green]").ClassList);
        Assert.Equal("export/accounts.csv?band=red&owner=Liam%20Ortiz", page.Find("[data-testid=export]").GetAttribute("href"));
    }

    [Fact]
    public void Renewals_within_30_days_stand_out()
    {
        Navigation.NavigateTo("/accounts?renewal=30");

        var page = RenderPage<AccountsPage>();

        // Harborview renews in 10 days, Northwind in 20.
        page.WaitForAssertion(() => Assert.Equal(["Harborview Health", "Northwind Logistics"], RowNames(page)));
        var renewal = RowOf(page, "Harborview Health").QuerySelector(".hd-renewal")!;
        Assert.Contains("hd-renewal-soon", renewal.ClassList);
        Assert.Equal("in 10 days", renewal.QuerySelector(".hd-renewal-days")!.TextContent);
    }

    [Fact]
    public void The_sort_in_the_url_orders_the_grid()
    {
        Navigation.NavigateTo("/accounts?sort=mrr&desc=1");

        var page = RenderPage<AccountsPage>();

        page.WaitForAssertion(() => Assert.Equal(
            ["Harborview Health", "Northwind Logistics", "Bluepeak Analytics", "Cedar & Pine Studio", "Quillon Labs"], RowNames(page)));
        Assert.Contains("by MRR high to low", page.Find("[data-testid=count-line]").TextContent);
    }

    [Fact]
    public void Junk_in_the_url_is_ignored_and_the_address_is_made_canonical()
    {
        Navigation.NavigateTo("/accounts?band=purple&renewal=soon&sort=3&page=-1");

        var page = RenderPage<AccountsPage>();

        page.WaitForAssertion(() => Assert.Equal(5, RowNames(page).Length));
        page.WaitForAssertion(() => Assert.Equal("http://localhost/accounts", Navigation.Uri));
    }

    [Fact]
    public void Choosing_a_band_chip_filters_and_adds_a_history_entry_so_back_undoes_it()
    {
        Navigation.NavigateTo("/accounts");
        var page = RenderPage<AccountsPage>();
        page.WaitForAssertion(() => Assert.Equal(5, RowNames(page).Length));

        page.Find("[data-testid=band-yellow]").Click();

        page.WaitForAssertion(() => Assert.Equal(["Bluepeak Analytics"], RowNames(page)));
        Assert.Equal("http://localhost/accounts?band=yellow", Navigation.Uri);
        var last = ((Bunit.TestDoubles.BunitNavigationManager)Navigation).History.First();
        Assert.False(last.Options.ReplaceHistoryEntry);

        // Back (the browser going to the previous address) shows every account again.
        Navigation.NavigateTo("/accounts");
        page.WaitForAssertion(() => Assert.Equal(5, RowNames(page).Length));
    }

    [Fact]
    public void Sort_buttons_are_named_by_column_and_numbers_sort_high_to_low_first()
    {
        Navigation.NavigateTo("/accounts");
        var page = RenderPage<AccountsPage>();
        page.WaitForAssertion(() => Assert.Equal(5, RowNames(page).Length));
        var mrr = page.Find("button[data-sort=mrr]");
        Assert.Equal("Sort by MRR", mrr.GetAttribute("aria-label"));

        mrr.Click();

        page.WaitForAssertion(() => Assert.Equal(
            ["Harborview Health", "Northwind Logistics", "Bluepeak Analytics", "Cedar & Pine Studio", "Quillon Labs"], RowNames(page)));
        Assert.Equal("http://localhost/accounts?sort=mrr&desc=1", Navigation.Uri);
        Assert.Equal("Sort by MRR, sorted high to low", page.Find("button[data-sort=mrr]").GetAttribute("aria-label"));

        page.Find("button[data-sort=mrr]").Click();

        page.WaitForAssertion(() => Assert.Equal("Quillon Labs", RowNames(page)[0]));
        Assert.Equal("http://localhost/accounts?sort=mrr", Navigation.Uri);

        // A name column starts A to Z.
        page.Find("button[data-sort=name]").Click();
        page.WaitForAssertion(() => Assert.Equal("Bluepeak Analytics", RowNames(page)[0]));
    }

    [Fact]
    public void Each_row_has_one_row_link_to_its_account()
    {
        var page = RenderPage<AccountsPage>();
        page.WaitForAssertion(() => Assert.Equal(5, RowNames(page).Length));

        Assert.Contains("hd-row-links", page.Find(".hd-accounts-grid").ClassList);
        Assert.All(page.FindAll("tbody tr.mud-table-row"), row =>
            Assert.Equal(row.QuerySelector("a.hd-account-name")!.GetAttribute("href"), row.QuerySelector("a[data-row-link]")!.GetAttribute("href")));
    }

    [Fact]
    public void New_scores_reload_the_grid()
    {
        var page = RenderPage<AccountsPage>();
        page.WaitForAssertion(() => Assert.Equal(5, RowNames(page).Length));

        // Thresholds so low that every account is graded A: risk order becomes plain MRR order.
        var lenient = TestPortfolio.Model() with { Thresholds = new GradeThresholds(A: 3, B: 2, C: 1.5) };
        Board.Publish(TestPortfolio.View(lenient));

        page.WaitForAssertion(() => Assert.Equal(
            ["Harborview Health", "Northwind Logistics", "Bluepeak Analytics", "Cedar & Pine Studio", "Quillon Labs"], RowNames(page)));
        Assert.All(page.FindAll(".hd-health-grade"), g => Assert.Equal("A", g.TextContent));
    }

    [Fact]
    public void No_match_shows_an_empty_state_with_a_way_out()
    {
        Navigation.NavigateTo("/accounts?q=zzzz");

        var page = RenderPage<AccountsPage>();

        page.WaitForAssertion(() => Assert.Contains("No account matches these filters", page.Markup));
        page.Find(".hd-empty button").Click();
        page.WaitForAssertion(() => Assert.Equal(5, RowNames(page).Length));
        Assert.Equal("http://localhost/accounts", Navigation.Uri);
    }
}
