using Bunit;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.Portfolio;
using HealthDashboard.Tests.TestData;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace HealthDashboard.Tests.Components.Pages;

/// <summary>
/// bUnit context for the Accounts, Account and Users pages: MudBlazor services, loose JS interop (charts),
/// a SQLite in-memory store and a real <see cref="ScoreBoard"/> with the test portfolio published.
/// </summary>
public abstract class PageTestBase : BunitContext, IAsyncLifetime
{
    protected PageTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
            options.PopoverOptions.CheckForPopoverProvider = false;
        });
        Services.AddSingleton(Store.Board);
        Services.AddSingleton(Store.Snapshots);
        Services.AddSingleton(Store.Factory);
        View = TestPortfolio.View();
        Store.Board.Publish(View);
    }

    /// <summary>The in-memory store and board.</summary>
    protected TestBoard Store { get; } = new();

    /// <summary>The published test view.</summary>
    protected PortfolioView View { get; }

    /// <summary>bUnit's navigation manager.</summary>
    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>A context over the test store.</summary>
    protected HealthDbContext CreateDb() => Store.Factory.CreateDbContext();

    /// <summary>Renders a page with the popover provider beside it (selects and menus need one).</summary>
    protected IRenderedComponent<TPage> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        Render<MudPopoverProvider>();
        return Render(parameters ?? (_ => { }));
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only dispose asynchronously, so xunit must use the async path.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Store.Dispose();
    }
}
