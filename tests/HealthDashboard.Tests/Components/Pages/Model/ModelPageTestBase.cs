using HealthDashboard.ModelVersions;
using HealthDashboard.Tests.ModelVersions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Pages.Model;

/// <summary>
/// The model pages' bUnit set-up, shared: a <see cref="ModelTestStore"/> with the services the pages inject, rendered
/// as interactive server components (the editor computes previews only when interactive, not while prerendering).
/// </summary>
public abstract class ModelPageTestBase : BunitTestBase, IAsyncLifetime
{
    /// <summary>How long a test waits for a preview or a save to show.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The store under the page.</summary>
    protected ModelTestStore Test { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Test = await ModelTestStore.CreateAsync();
        await SeedAsync(Test);
        Services.AddSingleton(Test.Board);
        Services.AddSingleton(Test.Store);
        Services.AddSingleton(Test.Preview);
        Services.AddSingleton(Test.Backtests);
        Services.AddScoped<ModelEditorSession>();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Adds what a test class needs to the store before the page's services are registered.</summary>
    protected virtual Task SeedAsync(ModelTestStore store) => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        // The page first, so nothing uses the database file when it is deleted.
        await base.DisposeAsync();
        await Test.DisposeAsync();
    }
}
