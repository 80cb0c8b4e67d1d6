using Bunit;
using Bunit.TestDoubles;
using HealthDashboard.Components.Charts;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace HealthDashboard.Tests.Components;

/// <summary>
/// Base of the component tests: a bUnit context with MudBlazor's services (transitions off, no popover
/// provider required), loose JS interop (chart and MudBlazor calls return defaults and are recorded in
/// <c>JSInterop.Invocations</c>), and helpers to register the real <see cref="ScoreBoard"/> over the test
/// kit's <see cref="TestStore"/> and to reach the chart module.
/// xunit 2 disposes test classes synchronously, but some MudBlazor services are only IAsyncDisposable:
/// <see cref="IAsyncLifetime"/> disposes the context asynchronously first, and the later sync Dispose finds it done.
/// </summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    private TestStore? store;

    protected BunitTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.PopoverOptions.CheckForPopoverProvider = false;
            options.PopoverOptions.Delay = TimeSpan.Zero;
            options.PopoverOptions.Duration = TimeSpan.Zero;
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddLogging();
        // Pages run for a signed-in admin unless a test says otherwise (SignInAs).
        Authorization = AddAuthorization();
        SignInAs("maya", HealthDashboard.Identity.Roles.Admin);
    }

    /// <summary>
    /// Renders as the app's circuit does (interactive server), for components that ask <c>RendererInfo</c>, like
    /// <see cref="ApexChart"/>. Call it once the test's services are registered: it starts bUnit's renderer.
    /// </summary>
    protected void RenderInCircuit() =>
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));

    /// <summary>bUnit's stand-in for sign-in: who the rendered components see as the signed-in member.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs in a member with a display name and a role (as the app's claims carry them).</summary>
    protected void SignInAs(string name, string role)
    {
        Authorization.SetAuthorized(name);
        Authorization.SetRoles(role);
        Authorization.SetClaims(new System.Security.Claims.Claim(HealthDashboard.Identity.SignInClaims.DisplayName, name));
    }

    /// <summary>
    /// The chart module as bUnit sees it (loose): every <c>create</c>, <c>update</c> and <c>destroy</c>
    /// call of <see cref="ApexChart"/> lands in its <c>Invocations</c>.
    /// </summary>
    protected BunitJSModuleInterop ChartModule => chartModule ??= JSInterop.SetupModule(ApexChart.ModulePath);

    private BunitJSModuleInterop? chartModule;

    /// <summary>
    /// Creates a <see cref="TestStore"/> (the test kit's one SQLite fixture, with optional configuration such as
    /// <c>Scoring:AsOf</c>) and registers its product services for the components: the real
    /// <see cref="ScoreBoard"/> (returned; tests <c>Publish</c> views into it), the store's context factory,
    /// snapshots, importer and overrides.
    /// </summary>
    protected ScoreBoard AddScoreBoard(IDictionary<string, string?>? configuration = null)
    {
        // The constructor of a test cannot await; the store is made off any synchronization context.
        store = Task.Run(() => TestStore.CreateAsync(configuration)).GetAwaiter().GetResult();
        Services.AddSingleton(store.DbFactory);
        Services.AddSingleton(store.Get<SnapshotStore>());
        Services.AddSingleton(store.Get<AccountChanges>());
        Services.AddSingleton(store.Get<HealthDashboard.Alerts.AlertService>());
        Services.AddSingleton(store.Get<HealthDashboard.Alerts.AlertNotifier>());
        Services.AddSingleton(store.Get<FolderImporter>());
        Services.AddSingleton(store.Get<ScoreBoard>());
        Services.AddSingleton(store.Get<OverrideStore>());
        Services.AddSingleton(store.Get<HealthDashboard.Queries.SavedViewStore>());
        Services.AddSingleton(store.Get<HealthDashboard.Tasks.TaskStore>());
        Services.AddSingleton(store.Get<HealthDashboard.Tasks.TagStore>());
        Services.AddSingleton(store.Get<HealthDashboard.Tasks.AccountOwnerStore>());
        Services.AddSingleton(store.Get<HealthDashboard.Identity.TeamService>());
        Services.AddSingleton(store.Get<HealthDashboard.Timeline.NoteStore>());
        Services.AddSingleton(store.Get<HealthDashboard.Timeline.AccountTimeline>());
        return store.Get<ScoreBoard>();
    }

    /// <summary>The store behind <see cref="AddScoreBoard"/> (its clock and services).</summary>
    protected TestStore Store => store ?? throw new InvalidOperationException("Call AddScoreBoard first.");

    /// <summary>Renders MudBlazor's popover provider, for components that open popovers (menus, autocomplete).</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();

    /// <inheritdoc />
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (store is not null)
        {
            await store.DisposeAsync();
            store = null;
        }
    }
}
