using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Queries;

/// <summary>
/// UserQuery over the test portfolio's 15 scored users (U-11..U-53; U-6x belong to the churned ACC-6).
/// ACC-1's three users log in, create reports and share dashboards every day (engagement 100 each);
/// U-22 creates reports (raw 28 x 5 = 140), U-21 only logs in (60 x 1 = 60); U-31, U-42 and U-51 log in a little.
/// </summary>
public class UserQueryTests
{
    private static readonly PortfolioView View = TestPortfolio.View();

    private static string[] Ids(UserFilter filter) => [.. UserQuery.Matching(View, filter).Select(u => u.Id)];

    [Fact]
    public void Default_order_is_engagement_descending_with_ties_by_id()
    {
        var ids = Ids(new UserFilter());
        Assert.Equal(15, ids.Length);
        // Raw: U-1x 1020 each, U-22 140, U-21 60, U-51 11, U-42 10, U-31 5, then the seven idle users (score 1) by id.
        Assert.Equal(["U-11", "U-12", "U-13", "U-22", "U-21", "U-51", "U-42", "U-31", "U-23", "U-32", "U-33", "U-41", "U-43", "U-52", "U-53"], ids);
    }

    [Fact]
    public void Minimum_engagement_is_inclusive()
    {
        var u22 = View.Users.Single(u => u.Id == "U-22").Engagement;
        Assert.Equal(["U-11", "U-12", "U-13", "U-22"], Ids(new UserFilter { MinEngagement = u22 }));
        Assert.Equal(["U-11", "U-12", "U-13"], Ids(new UserFilter { MinEngagement = u22 + 0.01 }));
    }

    [Fact]
    public void Band_and_segment_filter_by_the_users_account()
    {
        Assert.Equal(["U-22", "U-21", "U-23"], Ids(new UserFilter { Bands = [Band.Yellow] }));
        // SMB: ACC-3 and ACC-5.
        Assert.Equal(["U-51", "U-31", "U-32", "U-33", "U-52", "U-53"], Ids(new UserFilter { Segment = "smb" }));
    }

    [Fact]
    public void Event_type_keeps_users_who_used_it_in_the_window()
    {
        // report_created: ACC-1's users every day, U-22 from 40 to 2 days ago.
        Assert.Equal(["U-11", "U-12", "U-13", "U-22"], Ids(new UserFilter { EventTypes = ["report_created"] }));
        // dashboard_shared: only ACC-1's users; matched case-insensitively as a fallback.
        Assert.Equal(["U-11", "U-12", "U-13"], Ids(new UserFilter { EventTypes = ["Dashboard_Shared"] }));
        // login: U-41 logged in only 60 to 45 days ago, outside the 30-day window.
        Assert.DoesNotContain("U-41", Ids(new UserFilter { EventTypes = ["login"] }));
        Assert.Contains("U-42", Ids(new UserFilter { EventTypes = ["login"] }));
    }

    [Fact]
    public void Several_event_types_add_up_and_a_minimum_count_keeps_heavy_users()
    {
        // In the 30-day window: Northwind's users 3 reports + 2 shares a day (150), U-22 28 reports.
        var features = new UserFilter { EventTypes = ["report_created", "dashboard_shared"] };
        var uses = UserQuery.FeatureUses(View, features)!;
        Assert.Equal(150, uses[View.Users.Single(u => u.Id == "U-11").Index]);
        Assert.Equal(28, uses[View.Users.Single(u => u.Id == "U-22").Index]);
        Assert.Equal(["U-11", "U-12", "U-13", "U-22"], Ids(features with { MinUses = 28 }));
        Assert.Equal(["U-11", "U-12", "U-13"], Ids(features with { MinUses = 29 }));
    }

    [Fact]
    public void A_period_counts_the_days_chosen_even_outside_the_scoring_window()
    {
        var day = TestPortfolio.AsOf.Date;
        // U-22 created one report a day 40 to 2 days ago: 10 of them from 40 to 31 days ago; Northwind 3 a day.
        var reports = new UserFilter { EventTypes = ["report_created"], From = day.AddDays(-40), To = day.AddDays(-31) };
        var uses = UserQuery.FeatureUses(View, reports)!;
        Assert.Equal(10, uses[View.Users.Single(u => u.Id == "U-22").Index]);
        Assert.Equal(30, uses[View.Users.Single(u => u.Id == "U-11").Index]);
        // U-41 logged in (4 a day) only 60 to 45 days ago: nothing in the window, 64 in that period.
        var logins = new UserFilter { EventTypes = ["login"], From = day.AddDays(-60), To = day.AddDays(-45) };
        Assert.DoesNotContain("U-41", Ids(new UserFilter { EventTypes = ["login"] }));
        Assert.Contains("U-41", Ids(logins));
        Assert.Equal(64, UserQuery.FeatureUses(View, logins)![View.Users.Single(u => u.Id == "U-41").Index]);
    }

    [Fact]
    public void Without_event_types_the_minimum_counts_every_event()
    {
        // U-42: one login a day from 60 to 20 days ago -> 10 in the window; U-51: one a day for the last 11 days.
        Assert.Contains("U-42", Ids(new UserFilter { MinUses = 10 }));
        Assert.DoesNotContain("U-42", Ids(new UserFilter { MinUses = 11 }));
        Assert.Contains("U-51", Ids(new UserFilter { MinUses = 11 }));
    }

    [Fact]
    public void An_unknown_event_type_is_ignored()
    {
        Assert.Equal(15, Ids(new UserFilter { EventTypes = ["teleported"] }).Length);
    }

    [Fact]
    public void Search_looks_at_name_email_id_and_account_name()
    {
        Assert.Equal(["U-42"], Ids(new UserFilter { Search = "user 4.2" }));
        Assert.Equal(["U-53"], Ids(new UserFilter { Search = "USER53@" }));
        Assert.Equal(["U-22", "U-21", "U-23"], Ids(new UserFilter { Search = "bluepeak" }));
    }

    [Theory]
    [InlineData(UserSort.Days, true, "U-11,U-12,U-13,U-21,U-22")]
    [InlineData(UserSort.Account, false, "U-21,U-22,U-23,U-31,U-32")]
    // Account health ascending: ACC-3 (11.7) below ACC-4 (12.9).
    [InlineData(UserSort.Health, false, "U-31,U-32,U-33,U-41,U-42")]
    // Last seen descending; never-seen users last: U-41 (45 days ago) is the last one seen at all.
    [InlineData(UserSort.Seen, false, "U-41,U-31,U-42,U-22,U-11")]
    public void Sorts_by_any_column(UserSort sort, bool descending, string expectedFirstFive)
    {
        Assert.Equal(expectedFirstFive.Split(','), Ids(new UserFilter { Sort = sort, Descending = descending }).Take(5));
    }

    [Fact]
    public void Users_never_seen_sort_last_both_ways()
    {
        var ascending = Ids(new UserFilter { Sort = UserSort.Seen, Descending = false });
        var descending = Ids(new UserFilter { Sort = UserSort.Seen, Descending = true });
        string[] neverSeen = ["U-23", "U-32", "U-33", "U-43", "U-52", "U-53"];
        Assert.Equal(neverSeen, ascending[^6..]);
        Assert.Equal(neverSeen, descending[^6..]);
    }

    [Fact]
    public void Pages_slice_the_sorted_rows()
    {
        var page = UserQuery.Run(View, new UserFilter { PageSize = 10, Page = 2 });
        Assert.Equal(15, page.TotalCount);
        Assert.Equal(2, page.PageCount);
        Assert.Equal(["U-33", "U-41", "U-43", "U-52", "U-53"], page.Rows.Select(u => u.Id));
    }

    [Theory]
    [InlineData(null, 4)]
    [InlineData("A-2", 3)]
    [InlineData("nobody-matches", 5)]
    public void Every_page_is_the_matching_list_sliced_and_a_page_past_the_last_shows_the_last(string? search, int pageSize)
    {
        var all = Ids(new UserFilter { Search = search });
        var pageCount = Math.Max(1, (all.Length + pageSize - 1) / pageSize);
        for (var page = 1; page <= pageCount + 2; page++)
        {
            var result = UserQuery.Run(View, new UserFilter { Search = search, PageSize = pageSize, Page = page });
            var shown = Math.Min(page, pageCount);
            Assert.Equal(all.Length, result.TotalCount);
            Assert.Equal(shown, result.Page);
            Assert.Equal(all.Skip((shown - 1) * pageSize).Take(pageSize), result.Rows.Select(u => u.Id));
        }
    }

    [Fact]
    public void Gone_quiet_users_were_seen_but_not_in_the_last_14_days()
    {
        var asOf = View.AsOf;
        UserStatus Status(string id) => UserActivity.StatusOf(View.Users.Single(u => u.Id == id), asOf);
        Assert.Equal(UserStatus.GoneQuiet, Status("U-42")); // last seen 20 days ago
        Assert.Equal(UserStatus.GoneQuiet, Status("U-41")); // last seen 45 days ago
        Assert.Equal(UserStatus.NeverActive, Status("U-43"));
        Assert.Equal(UserStatus.Active, Status("U-22")); // 2 days ago
    }

    [Fact]
    public void Event_types_of_a_user_are_listed_most_used_first()
    {
        var u11 = View.Users.Single(u => u.Id == "U-11");
        // 31 days of rows (60..0 days ago) reach into a 30-day window ending at 12:00 as 30 rows (the row 30 days ago is at 11:00, outside).
        var uses = UserActivity.EventTypes(View.Scored.Aggregates, u11.Index);
        Assert.Equal([("login", 150L), ("report_created", 90L), ("dashboard_shared", 60L)], uses.Select(u => (u.Key, u.Count)));
        Assert.Single(UserActivity.EventTypes(View.Scored.Aggregates, u11.Index, top: 1));
    }

    [Fact]
    public void Users_whose_score_saturates_at_100_are_ordered_by_raw_points()
    {
        // 20 users with raw 1..18, 50 and 100: the 90th percentile falls between 18 and 50, so the top two both score 100.
        var asOf = TestPortfolio.AsOf;
        var raws = Enumerable.Range(1, 18).Append(50).Append(100).ToArray();
        var users = raws.Select((_, i) => new UserInfo($"U-{i:00}", 0)).ToList();
        var usage = raws.Select((raw, i) => new UsageRow(0, i, 0, asOf.AddHours(-1).Ticks, raw)).ToArray();
        var data = new PortfolioData([new AccountInfo("A-1", "Alpha", asOf.AddDays(-100), Seats: 20)], users, ["login"], usage);
        var aggregates = WindowAggregates.Build(data, asOf, 30);
        var view = new PortfolioView(new ScoredPortfolio(1, ScoringModel.Default, aggregates, Scorer.Score(aggregates, ScoringModel.Default)), null,
            new Dictionary<string, IReadOnlyList<double>>(), []);

        var top = UserQuery.Matching(view, new UserFilter()).Take(2).ToList();
        Assert.All(top, u => Assert.Equal(100, u.Engagement));
        Assert.Equal(["U-19", "U-18"], top.Select(u => u.Id));
        Assert.Equal(["U-19", "U-18"], AccountUsers.For(view, 0).Take(2).Select(r => r.User.Id));
    }
}
