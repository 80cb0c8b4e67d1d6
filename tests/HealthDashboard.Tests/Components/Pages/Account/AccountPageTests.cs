using System.Globalization;
using Bunit;
using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Data;

namespace HealthDashboard.Tests.Components.Pages.Account;

/// <summary>The account page over the test portfolio (see TestPortfolio for the accounts and their usage).</summary>
public class AccountPageTests : PageTestBase
{
    public AccountPageTests() => RenderInCircuit();

    private IRenderedComponent<AccountPage> Open(string id) => RenderPage<AccountPage>(p => p.Add(x => x.Id, id));

    private static double[] Contributions(IRenderedComponent<AccountPage> page) =>
        [.. page.FindAll("[data-testid=contribution]").Select(c => c.TextContent.Trim()).Where(t => t != "—")
            .Select(t => double.Parse(t, CultureInfo.InvariantCulture))];

    [Fact]
    public void Contributions_add_up_to_the_shown_score_of_the_thriving_account()
    {
        var page = Open("ACC-1");

        // Default weights sum to 100 and every indicator has a value: contribution = weight x score / 100.
        // Engagement 25 x 100, Breadth 15 x 75 (3 of 4 seats), Depth 15 x 100, the rest at 100.
        Assert.Equal([25.00, 11.25, 15.00, 10.00, 10.00, 10.00, 10.00, 5.00], Contributions(page));
        Assert.Equal("96.25", page.Find("[data-testid=total]").TextContent.Trim());
        Assert.Equal("96", page.Find(".hd-gauge-number").TextContent.Trim());
        Assert.Contains("= 96 as shown", page.Find(".hd-total-note").TextContent);
        Assert.Equal("3 of 4 seats active", page.Find("[data-indicator=breadth] .hd-measured").TextContent.Trim());
    }

    [Fact]
    public void Contributions_add_up_to_the_shown_score_of_an_at_risk_account()
    {
        var page = Open("ACC-4");

        var sum = Contributions(page).Sum();
        var shown = int.Parse(page.Find(".hd-gauge-number").TextContent.Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(View.FindAccount("ACC-4")!.HealthRounded, shown);
        Assert.Equal(shown, (int)Math.Round(sum, MidpointRounding.AwayFromZero));
        Assert.Equal(double.Parse(page.Find("[data-testid=total]").TextContent, CultureInfo.InvariantCulture), sum, 0.05);
        Assert.Contains("hd-band-red", page.Find(".hd-gauge").ClassList);
    }

    [Fact]
    public void The_summary_names_what_pulls_the_score_down_most()
    {
        var page = Open("ACC-1");

        // Breadth 75 with weight 15 of 100 costs 15 x 25 / 100 = 3.75 points, more than any other indicator.
        Assert.Equal("Breadth pulls the score down most: few of the licensed seats are active (score 75, costing 3.8 points).",
            page.Find("[data-testid=summary]").TextContent.Trim());
    }

    [Fact]
    public void Missing_indicators_are_marked_with_the_reason_and_left_out()
    {
        // Bluepeak has no survey or rated ticket and no MRR history: Sentiment and Growth drop out.
        var page = Open("ACC-2");

        Assert.Equal("no survey response or rated ticket in the last 90 days",
            page.Find("[data-indicator=sentiment] [data-testid=missing-reason]").TextContent.Trim());
        Assert.Equal("no MRR history from 90 days ago",
            page.Find("[data-indicator=growth] [data-testid=missing-reason]").TextContent.Trim());
        Assert.Equal("—", page.Find("[data-indicator=growth] [data-testid=contribution]").TextContent.Trim());
        Assert.Equal(6, Contributions(page).Length);
        Assert.Contains("2 missing indicators left out", page.Find(".hd-total-note").TextContent);
        // The remaining weights (100 - 10 - 5 = 85) carry the score.
        Assert.Equal("85", page.Find("tfoot .hd-muted").TextContent.Trim());
    }

    [Fact]
    public void The_user_who_went_quiet_is_highlighted()
    {
        var page = Open("ACC-4");

        // U-42 (User 4.2) was active until 20 days before as-of; U-41 until 45 days; U-43 never.
        var rows = page.FindAll("[data-testid=users-table] tbody tr");
        var u42 = rows.Single(r => r.TextContent.Contains("User 4.2", StringComparison.Ordinal));
        Assert.Contains("hd-row-quiet", u42.ClassList);
        // "Gone quiet" says since when: U-42's last login was 20 days before as-of (10 June, 11:00).
        Assert.Equal("Quiet since 10 Jun", u42.QuerySelector("[data-testid=gone-quiet]")!.TextContent.Trim());
        Assert.Contains("20 days ago", u42.TextContent);
        var u43 = rows.Single(r => r.TextContent.Contains("User 4.3", StringComparison.Ordinal));
        Assert.DoesNotContain("hd-row-quiet", u43.ClassList);
        Assert.Contains("No activity", u43.TextContent);
        // Without engagement points the score reads "–", not the curve's floor 1 beside 0 points.
        Assert.Equal("–", u43.QuerySelector(".hd-engagement")!.TextContent.Trim());
        var u41 = rows.Single(r => r.TextContent.Contains("User 4.1", StringComparison.Ordinal));
        Assert.Equal("–", u41.QuerySelector(".hd-engagement")!.TextContent.Trim());
        // Most engaged first: U-42 has the only usage in the window.
        Assert.Contains("User 4.2", rows[0].TextContent);
    }

    [Fact]
    public void Active_users_are_not_marked_quiet()
    {
        var page = Open("ACC-1");

        Assert.Empty(page.FindAll("[data-testid=gone-quiet]"));
        Assert.Empty(page.FindAll(".hd-row-quiet"));
    }

    [Fact]
    public void Engagement_splits_by_event_type_as_count_times_weight()
    {
        var page = Open("ACC-1");

        // 3 users x 30 days in the window: reports 3 a day (weight 5), dashboards 2 (weight 7), logins 5 (weight 1).
        var rows = page.FindAll("[data-testid=engagement-split] tbody tr")
            .Select(r => string.Join("|", r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()))).ToList();
        Assert.Equal(["270|× 5|1,350|44%", "180|× 7|1,260|41%", "450|× 1|450|15%"], rows);
        Assert.Equal("3,060", page.Find("[data-testid=engagement-total]").TextContent.Trim());
    }

    [Fact]
    public void An_unknown_id_shows_not_found()
    {
        var page = Open("NOPE-1");

        Assert.Contains("Account not found", page.Find("[data-testid=not-found]").TextContent);
        Assert.Contains("NOPE-1", page.Markup);
        Assert.Equal("accounts", page.Find("[data-testid=not-found] a").GetAttribute("href"));
    }

    [Fact]
    public void A_churned_account_is_not_found()
    {
        // ACC-6 churned 5 days before as-of, so it is not scored.
        Assert.Contains("Account not found", Open("ACC-6").Markup);
    }

    [Fact]
    public void History_draws_the_snapshots_with_the_grade_thresholds()
    {
        using (var db = CreateDb())
        {
            var account = new Data.Account { ExternalId = "ACC-4", Name = "Harborview Health", CreatedAt = TestPortfolio.AsOf.AddDays(-250) };
            db.Accounts.Add(account);
            db.SaveChanges();
            for (var d = 3; d >= 1; d--)
            {
                db.Snapshots.Add(new ScoreSnapshot { Day = TestPortfolio.AsOf.Date.AddDays(-d), AccountId = account.Id, ModelVersion = 1, Health = 20 + d, Grade = 3 });
                db.SnapshotDays.Add(new SnapshotDay { Day = TestPortfolio.AsOf.Date.AddDays(-d), ModelVersion = 1, Accounts = 1 });
            }

            db.SaveChanges();
        }

        var page = Open("ACC-4");

        page.WaitForAssertion(() => page.Find("[data-testid=history]"));
        var chart = page.FindComponents<ApexChart>().Single(c => c.Instance.AriaLabel.StartsWith("Health from", StringComparison.Ordinal)).Instance;
        Assert.Equal(3, chart.Options.Series[0].Data.Count);
        Assert.Equal([23.0, 22.0, 21.0], chart.Options.Series[0].Data.Select(v => v!.Value));
        Assert.Equal([85.0, 70.0, 40.0], chart.Options.Thresholds!.Select(t => t.Value));
    }

    [Fact]
    public void Recent_tickets_and_mrr_come_from_the_store_up_to_as_of()
    {
        var asOf = TestPortfolio.AsOf;
        using (var db = CreateDb())
        {
            var account = new Data.Account { ExternalId = "ACC-4", Name = "Harborview Health", CreatedAt = asOf.AddDays(-250) };
            db.Accounts.Add(account);
            db.SaveChanges();
            db.Tickets.AddRange(
                new Ticket { ExternalId = "T-1", AccountId = account.Id, OpenedAt = asOf.AddDays(-3), Escalated = true },
                new Ticket { ExternalId = "T-2", AccountId = account.Id, OpenedAt = asOf.AddDays(-4), ClosedAt = asOf.AddDays(-2), Satisfaction = 1 },
                new Ticket { ExternalId = "T-LATER", AccountId = account.Id, OpenedAt = asOf.AddDays(2) });
            db.Revenue.AddRange(
                new RevenueRecord { AccountId = account.Id, Date = asOf.AddDays(-200), Mrr = 12000 },
                new RevenueRecord { AccountId = account.Id, Date = asOf.AddDays(-10), Mrr = 9000 });
            db.SaveChanges();
        }

        var page = Open("ACC-4");

        page.WaitForAssertion(() => page.Find("[data-testid=tickets]"));
        var tickets = page.Find("[data-testid=tickets]").TextContent;
        Assert.Contains("T-1", tickets);
        Assert.Contains("Escalated", tickets);
        Assert.Contains("1 / 5", tickets);
        Assert.DoesNotContain("T-LATER", tickets);
        Assert.Contains("$9,000", page.Find("[data-testid=revenue]").TextContent);
        Assert.Contains("\u221225% MRR since", page.Markup);
        Assert.Contains("No survey responses", page.Markup);
    }
}
