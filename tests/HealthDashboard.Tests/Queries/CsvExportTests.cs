using System.Text;
using HealthDashboard.Api;
using HealthDashboard.Csv;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Http;

namespace HealthDashboard.Tests.Queries;

public class CsvExportTests
{
    private static readonly PortfolioView View = TestPortfolio.View();

    [Fact]
    public void The_thriving_account_row_carries_the_hand_computed_score()
    {
        // ACC-1: every indicator 100 but Breadth (3 of 4 seats active: 75), default weights summing to 100:
        // H = 25 + 0.75 x 15 + 15 + 10 + 10 + 10 + 10 + 5 = 96.25, shown as 96, grade A.
        var row = AccountsExport.Row(View.FindAccount("ACC-1")!, View.AsOf);
        Assert.Equal(AccountsExport.Header.Count, row.Count);
        Assert.Equal(
            "ACC-1,Northwind Logistics,96.25,96,A,green,2.08,5000.00,2026-07-20,20,Maya Chen,Enterprise,Business,3,4,2026-06-30T11:00:00Z,false,96.25,default\n",
            CsvWriter.Record(row));
    }

    [Fact]
    public void Account_export_rows_match_the_grid_rows_in_order_and_numbers()
    {
        var filter = new AccountFilter { Bands = [Band.Red, Band.Yellow], PageSize = 2 };
        var lines = AccountsExport.Lines(View, filter).ToList();
        Assert.Equal("account_id,name,health,health_rounded,grade,band,trend,mrr,renewal_date,days_to_renewal,owner,segment,plan,active_users,seats,last_activity,overridden,model_health,model\n", lines[0]);

        // Every page of the grid, in order, is the export without the header.
        var gridRows = new List<AccountSummary>();
        for (var page = 1; page <= 2; page++)
        {
            gridRows.AddRange(AccountQuery.Run(View, filter with { Page = page }).Rows);
        }

        Assert.Equal(lines.Count - 1, gridRows.Count);
        for (var i = 0; i < gridRows.Count; i++)
        {
            var fields = lines[i + 1].TrimEnd('\r', '\n').Split(',');
            var grid = gridRows[i];
            Assert.Equal(grid.Id, fields[0]);
            Assert.Equal(grid.HealthRounded.ToString(), fields[3]);
            Assert.Equal(grid.HealthRounded, (int)Math.Round(double.Parse(fields[2]), MidpointRounding.AwayFromZero));
            Assert.Equal(grid.Grade.ToString(), fields[4]);
        }

        Assert.Equal(["ACC-4", "ACC-3", "ACC-5", "ACC-2"], gridRows.Select(r => r.Id));
    }

    [Fact]
    public void A_new_account_leaves_trend_and_renewal_empty()
    {
        var line = CsvWriter.Record(AccountsExport.Row(View.FindAccount("ACC-5")!, View.AsOf));
        var fields = line.TrimEnd('\r', '\n').Split(',');
        Assert.Equal("", fields[6]);
        Assert.Equal("", fields[8]);
        Assert.Equal("", fields[9]);
    }

    [Fact]
    public void Users_export_has_what_outreach_needs_with_the_feature_use_count()
    {
        var lines = UsersExport.Lines(View, new UserFilter { EventTypes = ["report_created"] }).ToList();
        Assert.Equal(
            "user_id,name,email,account_id,account_name,account_health,account_band,segment,engagement,engagement_raw,active_days,last_seen,feature_uses\n",
            lines[0]);
        // U-22: 28 reports x weight 5 = 140 raw, at yellow Bluepeak.
        Assert.Equal(5, lines.Count);
        var bluepeak = View.FindAccount("ACC-2")!;
        var u22 = View.Users.Single(u => u.Id == "U-22");
        Assert.Equal(
            $"U-22,User 2.2,user22@example.com,ACC-2,Bluepeak Analytics,{bluepeak.HealthRounded},yellow,{bluepeak.Segment},"
            + $"{CsvWriter.TwoDecimals(u22.Engagement)},140.00,{u22.ActiveDays},{CsvWriter.Time(u22.LastSeen)},28\n",
            lines[4]);
        Assert.StartsWith("U-11,User 1.1,user11@example.com,ACC-1,Northwind Logistics,", lines[1]);
        // Northwind's users: 3 reports a day on each of the window's 30 days; last seen an hour before as-of.
        Assert.EndsWith($",green,Enterprise,100.00,1020.00,{View.Users.Single(u => u.Id == "U-11").ActiveDays},2026-06-30T11:00:00Z,90\n", lines[1]);
    }

    [Fact]
    public void Users_export_of_the_top_n_is_the_first_n_rows_of_the_view_and_leaves_feature_uses_empty_without_a_feature_filter()
    {
        var all = UsersExport.Lines(View, new UserFilter()).ToList();
        var top = UsersExport.Lines(View, new UserFilter(), top: 4).ToList();

        Assert.Equal(all.Take(5), top);
        Assert.EndsWith(",\n", top[1]);
    }

    [Fact]
    public void Names_with_commas_and_quotes_are_quoted_in_the_export()
    {
        var asOf = TestPortfolio.AsOf;
        var data = new PortfolioData(
            [new AccountInfo("X-1", "Smith, \"Jones\" & Co", asOf.AddDays(-10), Seats: 1, Mrr: 10)],
            [new UserInfo("X-U1", 0, null, "Doe, Jane", "jane@x.test")],
            ["login"], []);
        var model = ScoringModel.Default;
        var aggregates = WindowAggregates.Build(data, asOf, model.WindowDays);
        var view = new PortfolioView(new ScoredPortfolio(1, model, aggregates, Scorer.Score(aggregates, model)), null,
            new Dictionary<string, IReadOnlyList<double>>(), []);

        Assert.StartsWith("X-1,\"Smith, \"\"Jones\"\" & Co\",", AccountsExport.Lines(view, new AccountFilter()).ElementAt(1));
        Assert.StartsWith("X-U1,\"Doe, Jane\",jane@x.test,X-1,\"Smith, \"\"Jones\"\" & Co\",", UsersExport.Lines(view, new UserFilter()).ElementAt(1));
    }

    [Fact]
    public async Task The_accounts_endpoint_applies_the_query_string_and_sends_an_attachment()
    {
        await using var test = await TestStore.CreateAsync();
        var board = test.Get<ScoreBoard>();
        board.Publish(View);
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?renewal=30&sort=name");
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ExportEndpoints.ExportAccountsAsync(context, board, test.Get<TagStore>());

        Assert.Equal("text/csv; charset=utf-8", context.Response.ContentType);
        Assert.Equal("attachment; filename=\"accounts-2026-06-30.csv\"", context.Response.Headers.ContentDisposition.ToString());
        var text = Encoding.UTF8.GetString(body.ToArray());
        var lines = text.Split("\n", StringSplitOptions.RemoveEmptyEntries);
        // Renewing within 30 days: Harborview (10 days) and Northwind (20), by name.
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ACC-4,Harborview Health,", lines[1]);
        Assert.StartsWith("ACC-1,Northwind Logistics,96.25,96,A,green,", lines[2]);
        Assert.Equal((byte)'a', body.ToArray()[0]); // no byte-order mark
    }

    [Fact]
    public async Task The_accounts_endpoint_filters_by_tag_like_the_page()
    {
        await using var test = await TestStore.CreateAsync();
        var board = test.Get<ScoreBoard>();
        board.Publish(View);
        var admin = new SignedInMember("Alex Admin", new Actor("alex@example.com", "test"), true, new AccountOwner("Alex Admin", "alex@example.com", false));
        Assert.Null(await test.Get<TagStore>().AddToAccountsAsync(admin, ["ACC-2", "ACC-4"], "Renewal risk", View));
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?tag=renewal%20risk&sort=name");
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ExportEndpoints.ExportAccountsAsync(context, board, test.Get<TagStore>());

        var lines = Encoding.UTF8.GetString(body.ToArray()).Split("\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ACC-2", "ACC-4"], lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public async Task The_users_endpoint_exports_every_page_of_the_filtered_list()
    {
        await using var test = await TestStore.CreateAsync();
        var board = test.Get<ScoreBoard>();
        board.Publish(View);
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?band=red&size=10&page=2");
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ExportEndpoints.ExportUsersAsync(context, board);

        var lines = Encoding.UTF8.GetString(body.ToArray()).Split("\n", StringSplitOptions.RemoveEmptyEntries);
        // Nine users in red accounts (ACC-3, ACC-4, ACC-5), all of them whatever page the grid showed.
        Assert.Equal(10, lines.Length);
        Assert.StartsWith("U-51,", lines[1]);
    }
}
