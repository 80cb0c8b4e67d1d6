using HealthDashboard.Queries;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Queries;

/// <summary>The URL codecs of the account and user filters: round trips, canonical form and junk tolerance.</summary>
public class FilterQueryStringTests
{
    [Fact]
    public void The_default_account_view_has_an_empty_query()
    {
        Assert.Equal("", new AccountFilter().ToQuery());
        Assert.Equal(new AccountFilter().ToQuery(), AccountFilter.FromQuery(null).ToQuery());
        Assert.Equal(new AccountFilter().ToQuery(), AccountFilter.FromQuery("?").ToQuery());
    }

    [Fact]
    public void A_full_account_query_is_read_field_by_field()
    {
        var filter = AccountFilter.FromQuery("?band=red,yellow&segment=SMB&owner=Maya%20Chen&plan=Starter&renewal=30&q=north&sort=mrr&desc=1&page=2&size=50");
        Assert.Equal([Band.Red, Band.Yellow], filter.Bands);
        Assert.Equal("SMB", filter.Segment);
        Assert.Equal("Maya Chen", filter.Owner);
        Assert.Equal("Starter", filter.Plan);
        Assert.Equal(30, filter.RenewalWithinDays);
        Assert.Equal("north", filter.Search);
        Assert.Equal(AccountSort.Mrr, filter.Sort);
        Assert.True(filter.Descending);
        Assert.Equal(2, filter.Page);
        Assert.Equal(50, filter.PageSize);
    }

    [Fact]
    public void Hidden_columns_live_in_the_url_in_column_order_and_junk_is_ignored()
    {
        var filter = AccountFilter.FromQuery("?hide=users,TREND,1,Mrr%2Cnope,users&band=red");

        Assert.Equal([AccountColumn.Trend, AccountColumn.Mrr, AccountColumn.Users], filter.HiddenColumns);
        Assert.Equal("band=red&hide=trend,mrr,users", filter.ToQuery());
        Assert.Equal([AccountColumn.Trend, AccountColumn.Users], filter.WithColumn(AccountColumn.Mrr, visible: true).HiddenColumns);
        Assert.Equal([AccountColumn.Health, AccountColumn.Trend, AccountColumn.Mrr, AccountColumn.Users], filter.WithColumn(AccountColumn.Health, visible: false).HiddenColumns);
        // A filter change keeps the columns (the grid's choice is not a filter).
        Assert.Equal(filter.HiddenColumns, (filter with { Segment = "SMB" }).OrderedLike(filter).HiddenColumns);
    }

    [Fact]
    public void The_tag_filter_lives_in_the_url_and_an_overlong_tag_is_ignored()
    {
        var filter = AccountFilter.FromQuery("?tag=Exec%20sponsor&band=red");

        Assert.Equal("Exec sponsor", filter.Tag);
        Assert.Equal("band=red&tag=Exec%20sponsor", filter.ToQuery());
        Assert.Null(AccountFilter.FromQuery("tag=" + new string('x', 41)).Tag);
    }

    [Fact]
    public void An_account_filter_survives_a_round_trip_and_escapes_its_values()
    {
        var filter = new AccountFilter
        {
            Bands = [Band.Green, Band.Red],
            Owner = "Zoë O'Neil & Co",
            Search = "a=b&c",
            Sort = AccountSort.Activity,
            Descending = true,
            Page = 3,
        };
        var query = filter.ToQuery();
        Assert.Equal("band=red,green&owner=Zo%C3%AB%20O%27Neil%20%26%20Co&q=a%3Db%26c&sort=activity&desc=1&page=3", query);
        var back = AccountFilter.FromQuery(query);
        Assert.Equal(query, back.ToQuery());
        Assert.Equal("Zoë O'Neil & Co", back.Owner);
        Assert.Equal("a=b&c", back.Search);
        Assert.Equal([Band.Red, Band.Green], back.Bands);
    }

    [Fact]
    public void Repeated_band_parameters_and_mixed_case_are_accepted()
    {
        Assert.Equal([Band.Red, Band.Green], AccountFilter.FromQuery("band=Green&band=RED&band=red").Bands);
    }

    [Theory]
    [InlineData("band=purple,,red")]
    [InlineData("renewal=soon")]
    [InlineData("renewal=-5")]
    [InlineData("renewal=99999999999")]
    [InlineData("sort=nonsense")]
    [InlineData("sort=3")]
    [InlineData("sort=name,mrr")]
    [InlineData("desc=maybe")]
    [InlineData("page=0")]
    [InlineData("page=-2")]
    [InlineData("page=two")]
    [InlineData("size=7")]
    [InlineData("size=1000000")]
    [InlineData("segment=%20%20&owner=")]
    [InlineData("unknown=1&&=&%ZZ")]
    public void Junk_values_are_ignored(string query)
    {
        // Only the valid band survives; every junk value falls back to its default.
        Assert.Equal("band=red", AccountFilter.FromQuery("band=red&" + query).ToQuery());
    }

    [Fact]
    public void A_search_longer_than_200_characters_is_ignored()
    {
        Assert.Null(AccountFilter.FromQuery("q=" + new string('x', 201)).Search);
        Assert.Equal(200, AccountFilter.FromQuery("q=" + new string('x', 200)).Search!.Length);
    }

    [Fact]
    public void Values_are_trimmed_and_blank_ones_dropped()
    {
        var filter = AccountFilter.FromQuery("q=%20north%20&segment=%20");
        Assert.Equal("north", filter.Search);
        Assert.Null(filter.Segment);
    }

    [Fact]
    public void The_default_user_order_is_engagement_descending_and_leaves_the_query_empty()
    {
        var filter = UserFilter.FromQuery("");
        Assert.Equal(UserSort.Engagement, filter.Sort);
        Assert.True(filter.Descending);
        Assert.Equal("", filter.ToQuery());
    }

    [Theory]
    [InlineData("sort=engagement")]
    [InlineData("sort=name&desc=1")]
    [InlineData("sort=name")]
    [InlineData("min=62.5&band=green&segment=SMB&event=report_created&q=maya&page=4&size=100")]
    [InlineData("event=report_created,dashboard_shared&uses=5&from=2026-05-01&to=2026-05-31")]
    [InlineData("sort=days&desc=1")]
    public void A_user_filter_survives_a_round_trip(string query)
    {
        Assert.Equal(query, UserFilter.FromQuery(query).ToQuery());
    }

    [Fact]
    public void A_chosen_user_sort_starts_ascending()
    {
        var filter = UserFilter.FromQuery("sort=engagement");
        Assert.Equal(UserSort.Engagement, filter.Sort);
        Assert.False(filter.Descending);
    }

    [Theory]
    [InlineData("min=-1")]
    [InlineData("min=101")]
    [InlineData("min=NaN")]
    [InlineData("min=lots")]
    [InlineData("min=0")]
    [InlineData("sort=engagement,name")]
    public void Junk_user_values_are_ignored(string query)
    {
        Assert.Equal("", UserFilter.FromQuery(query).ToQuery());
    }

    [Fact]
    public void The_feature_filter_reads_several_event_types_a_minimum_and_a_period()
    {
        var filter = UserFilter.FromQuery("event=login,report_created&event=login&uses=3&from=2026-05-01&to=2026-05-31");

        Assert.Equal(["login", "report_created"], filter.EventTypes);
        Assert.Equal(3, filter.MinUses);
        Assert.Equal(new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc), filter.From);
        Assert.Equal(new DateTime(2026, 5, 31, 0, 0, 0, DateTimeKind.Utc), filter.To);
        Assert.True(filter.HasFeatureFilter);
    }

    [Theory]
    [InlineData("uses=0")]
    [InlineData("uses=many")]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-13-01")]
    [InlineData("event=")]
    public void Feature_filter_junk_is_ignored(string query)
    {
        var filter = UserFilter.FromQuery(query);
        Assert.False(filter.HasFeatureFilter);
        Assert.Equal("", filter.ToQuery());
    }

    [Theory]
    [InlineData(AccountSort.Mrr, true)]
    [InlineData(AccountSort.Health, true)]
    [InlineData(AccountSort.Trend, true)]
    [InlineData(AccountSort.Users, true)]
    [InlineData(AccountSort.Activity, true)]
    [InlineData(AccountSort.Name, false)]
    [InlineData(AccountSort.Renewal, false)]
    public void A_first_click_on_an_account_column_sorts_numbers_high_to_low(AccountSort column, bool descending)
    {
        var sorted = new AccountFilter { Page = 3 }.SortedBy(column);

        Assert.Equal(column, sorted.Sort);
        Assert.Equal(descending, sorted.Descending);
        Assert.Equal(1, sorted.Page);
        // A second click on the same column turns the order around.
        Assert.Equal(!descending, sorted.SortedBy(column).Descending);
    }

    [Theory]
    [InlineData(UserSort.Days, true)]
    [InlineData(UserSort.Seen, true)]
    [InlineData(UserSort.Name, false)]
    [InlineData(UserSort.Account, false)]
    public void A_first_click_on_a_user_column_sorts_numbers_high_to_low(UserSort column, bool descending)
    {
        var sorted = new UserFilter().SortedBy(column);

        Assert.Equal(descending, sorted.Descending);
        Assert.Equal(!descending, sorted.SortedBy(column).Descending);
    }

    [Fact]
    public void Clicking_engagement_on_the_default_user_order_turns_it_to_lowest_first()
    {
        // The default order is engagement high to low, so the first click is the "second" one.
        Assert.False(new UserFilter().SortedBy(UserSort.Engagement).Descending);
    }
}
