using HealthDashboard.Alerts;
using HealthDashboard.Api;
using HealthDashboard.Components;
using HealthDashboard.Data;
using HealthDashboard.Demo;
using HealthDashboard.Identity;
using HealthDashboard.Import;
using HealthDashboard.ModelVersions;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using MudBlazor.Services;

namespace HealthDashboard.Extensions;

public static class Extensions
{
    /// <summary>Configuration key of the connection string (<c>ConnectionStrings:Health</c>; see <see cref="StoreOptions"/>).</summary>
    public const string ConnectionName = StoreOptions.ConnectionName;

    /// <summary>Seconds a circuit whose browser went away without saying so is kept for a reconnect (default 60).</summary>
    public const string DisconnectedCircuitSecondsKey = "Circuits:DisconnectedRetentionSeconds";

    /// <summary>ASP.NET Core's switch for cache headers on fingerprinted static assets served from the build output.</summary>
    public const string StaticAssetsCachingKey = "EnableStaticAssetsDevelopmentCaching";

    /// <summary>Most such circuits kept at once; older ones are dropped first (default 25).</summary>
    public const string DisconnectedCircuitsMaxKey = "Circuits:DisconnectedMaxRetained";

    /// <summary>
    /// The store and the scoring services, shared by the web app and the command line, on the configured
    /// database (<see cref="StoreOptions.FromConfiguration"/>). <paramref name="databaseFile"/> overrides it with
    /// that SQLite file (the CLI's <c>--db</c>).
    /// </summary>
    public static IHostApplicationBuilder AddHealthDashboardCore(this IHostApplicationBuilder builder, string? databaseFile = null)
    {
        builder.Services.AddHealthDashboardCore(StoreOptions.FromConfiguration(builder.Configuration, databaseFile));
        return builder;
    }

    /// <summary>The store over the SQLite database of <paramref name="connectionString"/> (see the <see cref="StoreOptions"/> overload).</summary>
    public static IServiceCollection AddHealthDashboardCore(this IServiceCollection services, string connectionString) =>
        services.AddHealthDashboardCore(new StoreOptions(DatabaseProvider.Sqlite, connectionString));

    /// <summary>
    /// The store on <paramref name="store"/> and the scoring services: what the web app, the command line, the
    /// bench and the test kit all run on. EF interceptors registered as <see cref="IInterceptor"/> services join
    /// every context (the tests' seam for races and faults).
    /// </summary>
    public static IServiceCollection AddHealthDashboardCore(this IServiceCollection services, StoreOptions store)
    {
        services.AddSingleton(store);
        services.AddDbContextFactory<HealthDbContext, HealthDbContextFactory>((provider, options) =>
            store.Configure(options, provider.GetServices<IInterceptor>()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AsOfClock>();
        services.AddSingleton<RescoreTrigger>();
        services.AddSingleton<PortfolioLoader>();
        services.AddSingleton<ScoringService>();
        services.AddSingleton<BacktestService>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<AccountChanges>();
        services.AddSingleton<AlertNotifier>();
        services.AddSingleton<AlertService>();
        services.AddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromMinutes(2))
            .AddResilienceHandler("webhook-retries", (pipeline, context) =>
            {
                // Exponential back-off: the first retry after Alerts:Webhook:FirstRetrySeconds (default 2), then twice as long each time.
                var configuration = context.ServiceProvider.GetRequiredService<IConfiguration>();
                // Back-off waits in real time, whatever clock the product's scores run on (a pinned or fake one).
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Clamp(configuration.GetValue("Alerts:Webhook:Retries", 3), 0, 10),
                    BackoffType = Polly.DelayBackoffType.Exponential,
                    UseJitter = false,
                    Delay = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Alerts:Webhook:FirstRetrySeconds", 2.0), 0.01, 60)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });
        services.AddSingleton<ScoreBoard>();
        services.AddSingleton<DemoDataGenerator>();
        services.AddSingleton<FolderImporter>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<ModelPreview>();
        services.AddSingleton<SavedViewStore>();
        services.AddSingleton<HealthDashboard.Tasks.TaskStore>();
        services.AddSingleton<HealthDashboard.Tasks.PlaybookService>();
        services.AddSingleton<HealthDashboard.Tasks.TagStore>();
        services.AddSingleton<HealthDashboard.Tasks.AccountOwnerStore>();
        services.AddSingleton<OverrideStore>();
        services.AddSingleton<HealthDashboard.Timeline.NoteStore>();
        services.AddSingleton<HealthDashboard.Timeline.AccountTimeline>();
        services.AddHealthDashboardIdentityCore();
        return services;
    }

    /// <summary>
    /// Data-protection keys (sign-in cookies, antiforgery tokens) in the store under one application name, so every
    /// instance on one database reads the cookies and forms of the others (a sticky load balancer still keeps each
    /// Blazor circuit on its instance).
    /// </summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("HealthDashboard").PersistKeysToDbContext<HealthDbContext>();
        return services;
    }

    /// <summary>Everything the dashboard needs: the core plus Blazor, MudBlazor and the background start-up.</summary>
    public static WebApplicationBuilder AddHealthDashboard(this WebApplicationBuilder builder)
    {
        // `dotnet run` serves MudBlazor's and the scoped styles from the build output in every environment,
        // not only Development (a published app has none of this manifest, and this is then a no-op).
        builder.WebHost.UseStaticWebAssets();
        if (!builder.Environment.IsDevelopment())
        {
            // From the build output ASP.NET Core serves even the fingerprinted files (`@Assets[...]`: MudBlazor's
            // 630 KB stylesheet, blazor.web.js) with `no-cache`, and a fresh tab fetched them all again on every page
            // (bench part 18). Their names change with their content, so outside Development they may be cached for
            // good as a published app does. Configuration can still say otherwise.
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = [new(StaticAssetsCachingKey, "true")],
            });
        }

        builder.AddHealthDashboardCore();
        builder.AddHealthDashboardIdentity();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(options =>
        {
            // A tab that closes without its disconnect message arriving (a lost beacon, a crash) leaves a
            // "disconnected" circuit holding its pages' state until this passes; the framework's 3 minutes and
            // 100 circuits kept memory high long after the sessions ended (issue 9). A page that reconnects
            // later than this reloads instead.
            options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(
                Math.Max(5, builder.Configuration.GetValue(DisconnectedCircuitSecondsKey, 60)));
            options.DisconnectedCircuitMaxRetained = Math.Max(1, builder.Configuration.GetValue(DisconnectedCircuitsMaxKey, 25));
        });
        builder.Services.AddMudServices();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddScoped<ModelEditorSession>();
        builder.Services.AddHostedService<ScoreBoardWorker>();
        builder.Services.AddHostedService<SnapshotWorker>();
        builder.Services.AddHostedService<AlertWorker>();
        // Several instances on one PostgreSQL database: each hears the others' imports and model saves at once.
        builder.Services.AddHostedService<PostgresChangeListener>();
        builder.Services.AddSharedDataProtection();
        return builder;
    }

    /// <summary>
    /// The request pipeline: security headers, static files from the root wwwroot, sign-in and authorization,
    /// Blazor, the exports and the API. Everything needs a signed-in member (or an API key for the API) except the
    /// sign-in page, the static files and <c>/status</c>.
    /// </summary>
    public static WebApplication UseHealthDashboard(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        if (YoungGenerationAdvice.For(YoungGenerationAdvice.ReadL3Size(), Environment.GetEnvironmentVariable(YoungGenerationAdvice.Variable)) is { } advice)
        {
            app.Logger.LogWarning("{Advice}", advice);
        }

        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseStaticFiles();
        // Routing after the root wwwroot's files: those are public (the sign-in page needs them), and the static
        // assets' development fallback endpoint would otherwise claim them before the file middleware.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapSignInEndpoints();
        app.MapExports();
        app.MapApi();
        app.MapOpenApi().RequireAuthorization(Policies.ApiRead);
        // Readiness: 200 once the first scores are in memory, 503 before (scripts and tests wait on it), also while the
        // pages show the last snapshot at start-up. Anonymous, so it tells only the as-of time and model version; a
        // signed-in member or key also sees the account count.
        app.MapGet("/status", (ScoreBoard board, HttpContext context) => board.Current is { IsFromSnapshot: false } view
            ? context.User.Identity?.IsAuthenticated == true
                ? Results.Ok(new { asOf = view.AsOf, modelVersion = view.ModelVersion, accounts = view.Accounts.Count })
                : Results.Ok(new { asOf = view.AsOf, modelVersion = view.ModelVersion })
            : Results.Json(new { error = "scoring" }, statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous();
        return app;
    }
}
