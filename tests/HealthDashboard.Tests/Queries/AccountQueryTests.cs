using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Queries;

/// <summary>
/// AccountQuery over the test portfolio. Its five scored accounts (ACC-6 churned) are:
/// ACC-1 green (A, 96.25), MRR 5000, renews in 20 days, Maya Chen, Enterprise/Business;
/// ACC-2 yellow, MRR 1200, renews in 200 days, Liam Ortiz, Mid-Market/Growth;
/// ACC-3 red, MRR 800, renews in 45 days, Maya Chen, SMB/Starter;
/// ACC-4 red, MRR 9000, renews in 10 days, Liam Ortiz, Enterprise/Enterprise;
/// ACC-5 red (new, no trend), MRR 300, no renewal date, Ana Silva, SMB/Starter.
/// </summary>
public class AccountQueryTests
{
    private static readonly PortfolioView View = TestPortfolio.View();

    private static string[] Ids(AccountFilter filter) => [.. AccountQuery.Matching(View, filter).Select(a => a.Id)];

    [Fact]
    public void Default_order_is_red_then_yellow_then_green_and_mrr_descending_within_a_band()
    {
        Assert.Equal(["ACC-4", "ACC-3", "ACC-5", "ACC-2", "ACC-1"], Ids(new AccountFilter()));
    }

    [Fact]
    public void Descending_risk_puts_green_first()
    {
        Assert.Equal(["ACC-1", "ACC-2", "ACC-5", "ACC-3", "ACC-4"], Ids(new AccountFilter { Descending = true }));
    }

    [Fact]
    public void Band_filter_keeps_any_of_the_chosen_bands()
    {
        Assert.Equal(["ACC-4", "ACC-3", "ACC-5"], Ids(new AccountFilter { Bands = [Band.Red] }));
        Assert.Equal(["ACC-2", "ACC-1"], Ids(new AccountFilter { Bands = [Band.Green, Band.Yellow] }));
    }

    [Fact]
    public void Segment_owner_and_plan_match_exactly_ignoring_case()
    {
        Assert.Equal(["ACC-3", "ACC-5"], Ids(new AccountFilter { Segment = "smb" }));
        Assert.Equal(["ACC-4", "ACC-2"], Ids(new AccountFilter { Owner = "LIAM ORTIZ" }));
        Assert.Equal(["ACC-4"], Ids(new AccountFilter { Plan = "Enterprise" }));
        Assert.Empty(Ids(new AccountFilter { Segment = "Enter" }));
    }

    [Fact]
    public void My_accounts_are_those_whose_owner_is_my_display_name_or_my_email()
    {
        var liam = new AccountOwner("Liam Ortiz", "liam@example.com", IsCsManager: true);
        var byEmail = new AccountOwner("L. Ortiz", "ana.silva@example.com", IsCsManager: false);
        Assert.True(liam.Owns("  liam ortiz "));
        Assert.True(byEmail.Owns("ANA.SILVA@example.com"));
        Assert.False(liam.Owns(null));
        Assert.False(new AccountOwner("", "", true).Owns(""));

        // A CS manager opens on their own accounts; mine=0 shows all; others open on all.
        Assert.Equal(["ACC-4", "ACC-2"], Ids(new AccountFilter().For(liam)));
        Assert.Equal(5, Ids(new AccountFilter { Mine = false }.For(liam)).Length);
        Assert.Equal(5, Ids(new AccountFilter().For(liam with { IsCsManager = false })).Length);
        Assert.Equal(["ACC-2"], Ids(new AccountFilter { Bands = [Band.Yellow] }.For(liam)));
        Assert.Empty(Ids(new AccountFilter { Mine = true }.For(new AccountOwner("Nobody", "", true))));
        Assert.Equal(["ACC-5"], Ids(new AccountFilter { Mine = true }.For(new AccountOwner("Someone", "ana silva", false))));
    }

    [Fact]
    public void The_scope_is_in_the_url_only_when_set()
    {
        var liam = new AccountOwner("Liam Ortiz", "liam@example.com", IsCsManager: true);
        Assert.Equal("mine=1", new AccountFilter().For(liam).ToQuery());
        Assert.Equal("mine=0", AccountFilter.FromQuery("?mine=0").For(liam).ToQuery());
        Assert.Equal("", AccountFilter.FromQuery("").ToQuery());
        Assert.False(AccountFilter.FromQuery("mine=1").Me is not null);
    }

    [Fact]
    public void Renewal_within_counts_calendar_days_from_the_as_of_day_and_skips_accounts_without_a_date()
    {
        Assert.Equal(["ACC-4", "ACC-1"], Ids(new AccountFilter { RenewalWithinDays = 30 }));
        Assert.Equal(["ACC-4", "ACC-1"], Ids(new AccountFilter { RenewalWithinDays = 20 }));
        Assert.Equal(["ACC-4"], Ids(new AccountFilter { RenewalWithinDays = 19 }));
        Assert.Equal(["ACC-4", "ACC-3", "ACC-1"], Ids(new AccountFilter { RenewalWithinDays = 45 }));
    }

    [Fact]
    public void Days_to_renewal_is_the_calendar_day_distance()
    {
        var acc1 = View.FindAccount("ACC-1")!;
        Assert.Equal(20, AccountQuery.DaysToRenewal(acc1, View.AsOf));
        Assert.Equal(0, AccountQuery.DaysToRenewal(acc1, acc1.RenewalDate!.Value.Date.AddHours(23)));
        Assert.Equal(-1, AccountQuery.DaysToRenewal(acc1, acc1.RenewalDate!.Value.AddDays(1)));
        Assert.Null(AccountQuery.DaysToRenewal(View.FindAccount("ACC-5")!, View.AsOf));
    }

    [Fact]
    public void Search_finds_name_or_id_ignoring_case()
    {
        Assert.Equal(["ACC-1"], Ids(new AccountFilter { Search = "NORTH" }));
        Assert.Equal(["ACC-3"], Ids(new AccountFilter { Search = "& pine" }));
        Assert.Equal(["ACC-5"], Ids(new AccountFilter { Search = "acc-5" }));
    }

    [Fact]
    public void A_tag_filter_keeps_the_accounts_carrying_the_tag_ignoring_case()
    {
        var tags = new AccountTagMap([("ACC-1", "Expansion"), ("ACC-3", "expansion"), ("ACC-3", "Exec sponsor"), ("ACC-4", "Exec sponsor")]);
        var filter = AccountFilter.FromQuery("tag=EXPANSION") with { TagMap = tags };

        Assert.Equal(["ACC-3", "ACC-1"], Ids(filter));
        Assert.Equal(["ACC-4"], Ids(filter with { Tag = "Exec sponsor", Bands = [Band.Red], Owner = "Liam Ortiz" }));
        // The map is the store's: a filter without it matches nothing rather than everything.
        Assert.Empty(Ids(filter with { TagMap = null }));
        Assert.True(filter.HasFilters);
        // A new filter from the bar keeps the page's map.
        Assert.Same(tags, (new AccountFilter { Tag = "x" }).OrderedLike(filter).TagMap);
        Assert.Equal(["Exec sponsor", "expansion"], tags.Of("ACC-3"));
        Assert.Equal(["Exec sponsor", "Expansion"], tags.All);
    }

    [Fact]
    public void Filters_combine()
    {
        Assert.Equal(["ACC-3"], Ids(new AccountFilter { Bands = [Band.Red], Owner = "Maya Chen" }));
        Assert.Empty(Ids(new AccountFilter { Bands = [Band.Green], Segment = "SMB" }));
    }

    [Theory]
    [InlineData(AccountSort.Name, false, "ACC-2,ACC-3,ACC-4,ACC-1,ACC-5")]
    [InlineData(AccountSort.Mrr, true, "ACC-4,ACC-1,ACC-2,ACC-3,ACC-5")]
    [InlineData(AccountSort.Mrr, false, "ACC-5,ACC-3,ACC-2,ACC-1,ACC-4")]
    [InlineData(AccountSort.Health, false, "ACC-3,ACC-4,ACC-5,ACC-2,ACC-1")]
    [InlineData(AccountSort.Health, true, "ACC-1,ACC-2,ACC-5,ACC-4,ACC-3")]
    // ACC-5 has no renewal date: last in both directions.
    [InlineData(AccountSort.Renewal, false, "ACC-4,ACC-1,ACC-3,ACC-2,ACC-5")]
    [InlineData(AccountSort.Renewal, true, "ACC-2,ACC-3,ACC-1,ACC-4,ACC-5")]
    // ACC-5 is new (no trend): last both ways. ACC-4 fell most, ACC-2 rose most.
    [InlineData(AccountSort.Trend, false, "ACC-4,ACC-3,ACC-1,ACC-2,ACC-5")]
    [InlineData(AccountSort.Trend, true, "ACC-2,ACC-1,ACC-3,ACC-4,ACC-5")]
    // Ties (same owner) fall back to the id.
    [InlineData(AccountSort.Owner, false, "ACC-5,ACC-2,ACC-4,ACC-1,ACC-3")]
    [InlineData(AccountSort.Seats, true, "ACC-4,ACC-3,ACC-1,ACC-2,ACC-5")]
    [InlineData(AccountSort.Users, true, "ACC-1,ACC-2,ACC-3,ACC-4,ACC-5")]
    // Last activity: ACC-3 25 days ago, ACC-4 20 days ago, the others an hour before as-of (ties by id).
    [InlineData(AccountSort.Activity, false, "ACC-3,ACC-4,ACC-1,ACC-2,ACC-5")]
    public void Sorts_by_any_column_with_empty_values_last_and_ties_by_id(AccountSort sort, bool descending, string expected)
    {
        Assert.Equal(expected.Split(','), Ids(new AccountFilter { Sort = sort, Descending = descending }));
    }

    [Fact]
    public void Pages_slice_the_sorted_rows_and_totals_cover_every_match()
    {
        var page = AccountQuery.Run(View, new AccountFilter { PageSize = 2, Page = 2 });
        Assert.Equal(["ACC-5", "ACC-2"], page.Rows.Select(a => a.Id));
        Assert.Equal(5, page.TotalCount);
        Assert.Equal(9000 + 800 + 300 + 1200 + 5000, page.TotalMrr);
        Assert.Equal(3, page.PageCount);
        Assert.Equal(2, page.Page);
    }

    [Fact]
    public void A_page_past_the_end_shows_the_last_page()
    {
        var page = AccountQuery.Run(View, new AccountFilter { PageSize = 2, Page = 99 });
        Assert.Equal(3, page.Page);
        Assert.Equal(["ACC-1"], page.Rows.Select(a => a.Id));
    }

    [Fact]
    public void No_match_gives_one_empty_page()
    {
        var page = AccountQuery.Run(View, new AccountFilter { Search = "nothing like this" });
        Assert.Empty(page.Rows);
        Assert.Equal(0, page.TotalCount);
        Assert.Equal(0, page.TotalMrr);
        Assert.Equal(1, page.PageCount);
    }

    [Fact]
    public void Options_list_distinct_sorted_values_once_per_view()
    {
        var options = AccountQuery.Options(View);
        Assert.Equal(["Enterprise", "Mid-Market", "SMB"], options.Segments);
        Assert.Equal(["Ana Silva", "Liam Ortiz", "Maya Chen"], options.Owners);
        Assert.Equal(["Business", "Enterprise", "Growth", "Starter"], options.Plans);
        Assert.Same(options, AccountQuery.Options(View));
    }

    [Fact]
    public void Band_counts_keep_every_other_filter_but_ignore_the_band_filter()
    {
        var counts = AccountQuery.BandCounts(View, new AccountFilter { Bands = [Band.Green], Owner = "Maya Chen" });
        // Maya Chen owns ACC-1 (green) and ACC-3 (red).
        Assert.Equal(1, counts[Band.Red]);
        Assert.Equal(0, counts[Band.Yellow]);
        Assert.Equal(1, counts[Band.Green]);
    }
}
