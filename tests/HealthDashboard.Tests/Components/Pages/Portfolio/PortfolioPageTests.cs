using System.Text.RegularExpressions;
using Bunit;
using HealthDashboard.Components.Pages.Portfolio;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Pages.Portfolio;

public sealed class PortfolioPageTests : BunitTestBase
{
    [Fact]
    public void Shows_the_kpis_of_the_published_view()
    {
        var board = AddScoreBoard();
        board.Publish(TestPortfolio.View());

        var page = Render<PortfolioPage>();

        var kpis = Kpis(page);
        Assert.Equal("5", kpis["Scored accounts"]);
        Assert.Equal("$16.3k", kpis["Total MRR"]);
        Assert.Equal("$10.1k", kpis["MRR at risk"]);
        Assert.Equal("44", kpis["Average health"]);
        Assert.Contains("62% of MRR · 3 red accounts", page.Find(".hd-kpi-at-risk").TextContent, StringComparison.Ordinal);
        Assert.Equal(["20%", "20%", "60%"], page.FindAll(".hd-bandmix-percent").Select(p => p.TextContent));
    }

    [Fact]
    public void Lists_at_risk_accounts_and_drops_linking_to_the_account_pages()
    {
        var board = AddScoreBoard();
        board.Publish(TestPortfolio.View());

        var page = Render<PortfolioPage>();

        var lists = page.FindAll("ol.hd-rank");
        Assert.Equal(2, lists.Count);
        Assert.Equal(
            ["accounts/ACC-4", "accounts/ACC-3", "accounts/ACC-5", "accounts/ACC-2"],
            lists[0].QuerySelectorAll("a.hd-rank-row").Select(a => a.GetAttribute("href")));
        Assert.Equal(
            ["accounts/ACC-4", "accounts/ACC-3"],
            lists[1].QuerySelectorAll("a.hd-rank-row").Select(a => a.GetAttribute("href")));
        Assert.Equal("D 13", Regex.Replace(lists[0].QuerySelector(".hd-health-chip")!.TextContent, @"\s+", " ").Trim());
    }

    [Fact]
    public void Re_renders_when_a_new_view_is_published()
    {
        var board = AddScoreBoard();
        board.Publish(TestPortfolio.View());
        var page = Render<PortfolioPage>();
        Assert.Equal("$10.1k", Kpis(page)["MRR at risk"]);

        // Stricter thresholds: ACC-1 (96.25) is now C and ACC-2 (61.47) D, so only ACC-1's $5,000 is not red.
        var strict = TestPortfolio.Model() with { Thresholds = new GradeThresholds(A: 98, B: 97, C: 90) };
        board.Publish(TestPortfolio.View(strict));

        page.WaitForAssertion(() => Assert.Equal("$11.3k", Kpis(page)["MRR at risk"]));
        Assert.Contains("69% of MRR · 4 red accounts", page.Find(".hd-kpi-at-risk").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_a_loading_state_until_the_first_view_then_the_page()
    {
        var board = AddScoreBoard();

        var page = Render<PortfolioPage>();

        Assert.Single(page.FindAll(".hd-loading"));
        Assert.Empty(page.FindAll(".hd-kpi"));

        board.Publish(TestPortfolio.View());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".hd-loading")));
        Assert.Equal(4, page.FindAll(".hd-kpi").Count);
    }

    [Fact]
    public void Shows_an_empty_state_with_an_import_link_when_no_account_is_scored()
    {
        var board = AddScoreBoard();
        board.Publish(PortfolioFiguresTests.ViewOf(new PortfolioData([], [], [], [])));

        var page = Render<PortfolioPage>();

        Assert.Equal("No accounts to score yet", page.Find(".hd-empty-title").TextContent);
        Assert.Equal("import", page.Find(".hd-empty a").GetAttribute("href"));
        Assert.Empty(page.FindAll(".hd-kpi"));
    }

    [Fact]
    public void Stops_listening_to_the_board_when_disposed()
    {
        var board = AddScoreBoard();
        board.Publish(TestPortfolio.View());
        var page = Render<PortfolioPage>();
        var before = page.RenderCount;

        page.Instance.Dispose();
        board.Publish(TestPortfolio.View());

        Assert.Equal(before, page.RenderCount);
    }

    private static Dictionary<string, string> Kpis(IRenderedComponent<PortfolioPage> page) =>
        page.FindAll(".hd-kpi").ToDictionary(
            card => card.QuerySelector(".hd-kpi-title")!.TextContent.Trim(),
            card => card.QuerySelector(".hd-kpi-value")!.TextContent.Trim());
}
