using Bunit;
using HealthDashboard.Components.Pages.Users;
using HealthDashboard.Scores;

namespace HealthDashboard.Tests.Components.Pages.Users;

/// <summary>The Users page over the test portfolio's 15 scored users (see UserQueryTests for their numbers).</summary>
public class UsersPageTests : PageTestBase
{
    private static string[] Names(IRenderedComponent<UsersPage> page) =>
        [.. page.FindAll("[data-testid=user-name]").Select(n => n.TextContent.Trim())];

    [Fact]
    public void Users_are_listed_most_engaged_first_with_their_account()
    {
        var page = RenderPage<UsersPage>();

        page.WaitForAssertion(() => Assert.Equal(15, Names(page).Length));
        Assert.Equal(["User 1.1", "User 1.2", "User 1.3", "User 2.2", "User 2.1"], Names(page).Take(5));
        Assert.Equal("15 users, most engaged first", page.Find("[data-testid=count-line]").TextContent.Trim());
        var row = page.FindAll("tr.mud-table-row").First(r => r.TextContent.Contains("User 2.2", StringComparison.Ordinal));
        var chip = row.QuerySelector(".hd-health-chip")!;
        Assert.Contains("hd-band-yellow", chip.ClassList);
        Assert.Equal("C", chip.QuerySelector(".hd-health-grade")!.TextContent);
        Assert.Contains("Bluepeak Analytics", row.TextContent);
        Assert.Equal("mailto:user22@example.com", row.QuerySelector("a.hd-email")!.GetAttribute("href"));
    }

    [Fact]
    public void The_start_up_snapshot_lists_the_users_and_says_their_engagement_is_on_its_way()
    {
        var page = RenderPage<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(15, Names(page).Length));
        Assert.Empty(page.FindAll("[data-testid=users-refreshing]"));

        // As at start-up: the same accounts' scores held as a snapshot's, over data without usage (ServeSnapshotAsync).
        Board.Publish(new PortfolioView(View.Scored, null, new Dictionary<string, IReadOnlyList<double>>(), [], fromSnapshot: true));

        page.WaitForAssertion(() => Assert.Contains("user engagement and activity are being scored", page.Find("[data-testid=users-refreshing]").TextContent, StringComparison.Ordinal));
        Assert.Equal(15, Names(page).Length);

        Board.Publish(View);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=users-refreshing]")));
    }

    [Fact]
    public void Event_type_and_band_from_the_url_filter_the_list()
    {
        Navigation.NavigateTo("/users?band=yellow&event=report_created");

        var page = RenderPage<UsersPage>();

        // Only U-22 at yellow Bluepeak created reports in the window.
        page.WaitForAssertion(() => Assert.Equal(["User 2.2"], Names(page)));
        Assert.Equal("1 of 15 users match", page.Find("[data-testid=count-line]").TextContent.Trim());
        Assert.Equal("export/users.csv?band=yellow&event=report_created&top=50", page.Find("[data-testid=export]").GetAttribute("href"));
        Assert.Contains("mud-chip-selected", page.Find("[data-testid=band-yellow]").ClassList);
    }

    [Fact]
    public void Minimum_engagement_from_the_url_keeps_only_engaged_users()
    {
        Navigation.NavigateTo("/users?min=50");

        var page = RenderPage<UsersPage>();

        // Only Northwind's three daily users score above 50 (100 each); U-22 scores 36.
        page.WaitForAssertion(() => Assert.Equal(["User 1.1", "User 1.2", "User 1.3"], Names(page)));
        Assert.Equal("50", page.Find("[data-testid=min-value]").TextContent.Trim());
    }

    [Fact]
    public void Choosing_an_account_band_filters_and_updates_the_url()
    {
        var page = RenderPage<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(15, Names(page).Length));

        page.Find("[data-testid=band-green]").Click();

        page.WaitForAssertion(() => Assert.Equal(["User 1.1", "User 1.2", "User 1.3"], Names(page)));
        Assert.Equal("http://localhost/users?band=green", Navigation.Uri);
        Assert.Equal("export/users.csv?band=green&top=50", page.Find("[data-testid=export]").GetAttribute("href"));
    }

    [Fact]
    public void The_feature_filter_from_the_url_shows_each_users_use_count()
    {
        Navigation.NavigateTo("/users?event=report_created,dashboard_shared&uses=28");

        var page = RenderPage<UsersPage>();

        // Northwind's users: 150 reports and shares in the window; U-22: 28 reports.
        page.WaitForAssertion(() => Assert.Equal(["User 1.1", "User 1.2", "User 1.3", "User 2.2"], Names(page)));
        Assert.Equal(["150", "150", "150", "28"], page.FindAll("[data-testid=feature-uses]").Select(c => c.TextContent.Trim()));
        Assert.Equal("Export top 50", page.Find("[data-testid=export]").TextContent.Trim());
    }

    [Fact]
    public void Users_without_engagement_points_show_a_dash_not_the_curves_floor()
    {
        var page = RenderPage<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(15, Names(page).Length));

        var u41 = page.FindAll("tr.mud-table-row").Single(r => r.TextContent.Contains("User 4.1", StringComparison.Ordinal));
        Assert.Equal("–", u41.QuerySelector(".hd-engagement-number")!.TextContent.Trim());
        Assert.Equal("0 pts", u41.QuerySelector(".hd-engagement-points")!.TextContent.Trim());
        Assert.Equal("0", u41.QuerySelector(".hd-engagement-fill")!.GetAttribute("width"));
    }

    [Fact]
    public void A_first_click_on_active_days_sorts_the_most_active_first_and_is_a_history_entry()
    {
        var page = RenderPage<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(15, Names(page).Length));
        Assert.Equal("Sort by Active days", page.Find("button[data-sort=days]").GetAttribute("aria-label"));

        page.Find("button[data-sort=days]").Click();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/users?sort=days&desc=1", Navigation.Uri));
        Assert.False(((Bunit.TestDoubles.BunitNavigationManager)Navigation).History.First().Options.ReplaceHistoryEntry);
        var days = page.FindAll("tr.mud-table-row td.hd-col-num span.hd-num").Select(s => int.Parse(s.TextContent.Trim())).ToList();
        Assert.Equal(15, days.Count);
        Assert.Equal(days.OrderByDescending(d => d), days);
        Assert.True(days[0] > days[^1]);
    }

    [Fact]
    public void Sorting_from_the_url_uses_the_column()
    {
        Navigation.NavigateTo("/users?sort=seen");

        var page = RenderPage<UsersPage>();

        // Seen longest ago first: U-41 (45 days), U-31 (25 days), U-42 (20 days).
        page.WaitForAssertion(() => Assert.Equal(["User 4.1", "User 3.1", "User 4.2"], Names(page).Take(3)));
    }
}
