using Bunit;
using HealthDashboard.Components.Layout;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace HealthDashboard.Tests.Components.Layout;

public sealed class MainLayoutTests : BunitTestBase
{
    [Fact]
    public void Shows_the_product_navigation_and_the_as_of_time_of_the_scores()
    {
        AddScoreBoard().Publish(TestPortfolio.View());

        var layout = RenderLayout(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        Assert.Contains("HealthDashboard", layout.Find(".hd-brand").TextContent, StringComparison.Ordinal);
        // An admin (the base's signed-in member) also sees the Admin section.
        Assert.Equal(["/", "accounts", "users", "tasks", "renewals", "alerts", "model", "backtest", "import", "admin/team", "admin/api-keys", "admin/alerts", "admin/playbooks", "admin/audit"],
            layout.FindAll(".hd-nav a").Select(a => a.GetAttribute("href") is "" ? "/" : a.GetAttribute("href")));
        Assert.Contains("Scores as of 30 Jun 2026 12:00 UTC · model v1", layout.Find(".hd-asof").TextContent, StringComparison.Ordinal);
        Assert.Contains("page", layout.Find(".hd-page").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Admins_see_a_failed_history_back_fill_live_in_the_app_bar()
    {
        AddScoreBoard().Publish(TestPortfolio.View());
        var layout = RenderLayout(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));
        Assert.Empty(layout.FindAll("[data-testid=backfill-failed]"));

        Store.Get<SnapshotStore>().ReportFailure("disk full");

        layout.WaitForAssertion(() => Assert.Contains("History back-fill failed", layout.Find("[data-testid=backfill-failed]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Product_managers_do_not_see_the_history_back_fill()
    {
        AddScoreBoard().Publish(TestPortfolio.View());
        Store.Get<SnapshotStore>().ReportFailure("disk full");
        SignInAs("pat", HealthDashboard.Identity.Roles.ProductManager);

        var layout = RenderLayout(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        Assert.Contains("Scores as of", layout.Find(".hd-asof").TextContent, StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("[data-testid=backfill-failed]"));
    }

    [Fact]
    public void A_failing_page_shows_a_friendly_error_card_inside_the_shell()
    {
        AddScoreBoard().Publish(TestPortfolio.View());

        var layout = RenderLayout(p => p.Add(l => l.Body, (RenderFragment)(b =>
        {
            b.OpenComponent<FailingPage>(0);
            b.CloseComponent();
        })));

        Assert.Equal("This page ran into a problem", layout.Find(".hd-page .hd-error-title").TextContent);
        Assert.Single(layout.FindAll(".hd-nav"));
    }

    private sealed class FailingPage : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder) =>
            throw new InvalidOperationException("Broken on purpose.");
    }

    // The layout says whether it renders in the circuit (data-interactive), so it reads the renderer's info (set once the services are in).
    private IRenderedComponent<MainLayout> RenderLayout(Action<ComponentParameterCollectionBuilder<MainLayout>> parameters)
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render(parameters);
    }
}
