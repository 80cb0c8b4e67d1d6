using Bunit;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Pages;

/// <summary>
/// For the Accounts, Account and Users page tests: the shell's test base with the real <see cref="ScoreBoard"/>
/// over in-memory SQLite, and the test portfolio published into it.
/// </summary>
public abstract class PageTestBase : BunitTestBase
{
    protected PageTestBase()
    {
        Board = AddScoreBoard();
        View = TestPortfolio.View();
        Board.Publish(View);
    }

    /// <summary>The real board the pages read.</summary>
    protected ScoreBoard Board { get; }

    /// <summary>The published test view.</summary>
    protected PortfolioView View { get; }

    /// <summary>bUnit's navigation manager.</summary>
    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>A context over the test store (for the account page's small reads).</summary>
    protected HealthDbContext CreateDb() => Services.GetRequiredService<IDbContextFactory<HealthDbContext>>().CreateDbContext();

    /// <summary>Renders a page with the popover provider beside it (selects need one).</summary>
    protected IRenderedComponent<TPage> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        RenderPopoverProvider();
        return Render(parameters ?? (_ => { }));
    }
}
