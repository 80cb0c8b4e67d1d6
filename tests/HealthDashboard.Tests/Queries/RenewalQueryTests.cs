using HealthDashboard.Queries;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Queries;

/// <summary>
/// The renewal pipeline over the test portfolio (as of 30 Jun 2026, so Q2 2026 is the first quarter): ACC-4 red
/// $9,000 renews 10 Jul, ACC-1 green $5,000 on 20 Jul, ACC-3 red $800 on 14 Aug, ACC-2 yellow $1,200 on 16 Jan 2027;
/// ACC-5 has no renewal date.
/// </summary>
public sealed class RenewalQueryTests
{
    private static readonly HealthDashboard.Scores.PortfolioView View = TestPortfolio.View();

    [Fact]
    public void Accounts_fall_into_overdue_and_the_next_four_calendar_quarters()
    {
        var report = RenewalQuery.Run(View, new AccountFilter());

        Assert.Equal(["overdue", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"], report.Quarters.Select(q => q.Key));
        Assert.Equal(["Overdue", "Q2 2026", "Q3 2026", "Q4 2026", "Q1 2027"], report.Quarters.Select(q => q.Label));
        var q3 = report.Quarters[2];
        Assert.Equal(["ACC-4", "ACC-1", "ACC-3"], q3.Accounts.Select(a => a.Id));
        Assert.Equal(14_800, q3.Mrr);
        Assert.Equal(12 * 14_800, q3.Arr);
        Assert.Equal((9_800, 0, 5_000), (q3.MrrOf(Band.Red), q3.MrrOf(Band.Yellow), q3.MrrOf(Band.Green)));
        Assert.Equal(9_800, q3.AtRiskMrr);
        Assert.Equal(["ACC-2"], report.Quarters[4].Accounts.Select(a => a.Id));
        Assert.Equal(1_200, report.Quarters[4].AtRiskMrr);
        Assert.Empty(report.Quarters[0].Accounts);
        Assert.Equal((4, 16_000, 11_000), (report.Count, report.Mrr, report.AtRiskMrr));
    }

    [Fact]
    public void Months_split_the_quarters()
    {
        var report = RenewalQuery.Run(View, new AccountFilter());

        Assert.Equal(12, report.Months.Count);
        Assert.Equal("Apr 2026", report.Months[0].Label);
        Assert.Equal("Mar 2027", report.Months[^1].Label);
        Assert.Equal(14_000, report.Months.Single(m => m.Key == "2026-07").Mrr);
        Assert.Equal(800, report.Months.Single(m => m.Key == "2026-08").Mrr);
        Assert.Equal(report.Mrr - report.Quarters[0].Mrr, report.Months.Sum(m => m.Mrr));
    }

    [Fact]
    public void The_accounts_filters_apply()
    {
        var report = RenewalQuery.Run(View, AccountFilter.FromQuery("owner=Maya%20Chen"));

        Assert.Equal(["ACC-1", "ACC-3"], report.Quarters[2].Accounts.Select(a => a.Id));
        Assert.Equal(2, report.Count);
        Assert.Equal(["ACC-4", "ACC-3"], RenewalQuery.Run(View, AccountFilter.FromQuery("band=red")).Quarters[2].Accounts.Select(a => a.Id));
    }

    [Fact]
    public void Band_counts_keep_every_filter_but_the_band()
    {
        var red = RenewalQuery.Run(View, AccountFilter.FromQuery("band=red"));
        var redOfMaya = RenewalQuery.Run(View, AccountFilter.FromQuery("band=red&owner=Maya%20Chen"));

        Assert.Equal(2, red.Count);
        Assert.Equal((2, 1, 1), (red.BandCounts[Band.Red], red.BandCounts[Band.Yellow], red.BandCounts[Band.Green]));
        Assert.Equal(["ACC-3"], redOfMaya.Quarters.SelectMany(q => q.Accounts).Select(a => a.Id));
        Assert.Equal((1, 0, 1), (redOfMaya.BandCounts[Band.Red], redOfMaya.BandCounts[Band.Yellow], redOfMaya.BandCounts[Band.Green]));
    }

    [Fact]
    public void The_export_lists_each_account_once_with_its_quarter()
    {
        var lines = RenewalQuery.Lines(View, new AccountFilter()).ToList();

        Assert.StartsWith("quarter,account_id,name,renewal_date", lines[0], StringComparison.Ordinal);
        Assert.Equal(["2026-Q3,ACC-4", "2026-Q3,ACC-1", "2026-Q3,ACC-3", "2027-Q1,ACC-2"],
            lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(2))));
        Assert.Contains(",108000.00,", lines[1], StringComparison.Ordinal);
    }
}
