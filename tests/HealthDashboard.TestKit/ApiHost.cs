using HealthDashboard.Extensions;
using HealthDashboard.Import;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace HealthDashboard.TestKit;

/// <summary>
/// The whole app (AddHealthDashboard / UseHealthDashboard) on an in-memory test server over a temporary
/// SQLite file with two event types and two accounts, with a reading and an ingesting API key. The busy
/// timeout is one second so tests of a locked database do not wait 30.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    /// <summary>A read key, made in the database as an admin would (set at start).</summary>
    public string ReadKey { get; private set; } = "";

    /// <summary>An ingest key.</summary>
    public string IngestKey { get; private set; } = "";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "hd-api-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;

    public string DatabaseFile => Path.Combine(directory, "health.db");

    public IServiceProvider Services => app!.Services;

    public HttpClient Client(string? key)
    {
        var client = app!.GetTestClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(HealthDashboard.Extensions.Extensions).Assembly.GetName().Name,
        });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Health"] = new SqliteConnectionStringBuilder { DataSource = DatabaseFile, DefaultTimeout = 1 }.ToString(),
            ["Scoring:AsOf"] = "2026-11-20T00:00:00Z",
            ["Demo:SeedWhenEmpty"] = "false",
            // Tests send hundreds of batches a second (the fuzzer); the limiter has its own test against the real app.
            ["Api:RateLimit:PermitLimit"] = "1000000",
        });
        builder.AddHealthDashboard();
        app = builder.Build();
        app.UseHealthDashboard();
        await app.StartAsync();
        // The app's own worker migrates the new file and scores it once; seed after that, as a user would.
        await app.Services.GetRequiredService<HealthDashboard.Scores.ScoreBoard>().GetAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var seed = new Dictionary<string, Stream>
        {
            ["event_types.csv"] = Text("key,weight\nlogin,1\nreport,2\n"),
            ["accounts.csv"] = Text("id,name,mrr,created_at\nA1,First,100,2025-01-01\nA2,Second,200,2025-01-01\n"),
        };
        var seeded = await app.Services.GetRequiredService<FolderImporter>().ImportStreamsAsync(seed, "test");
        if (!seeded.Succeeded)
        {
            throw new InvalidOperationException("Seeding the API test host failed: " + string.Join("; ", seeded.Problems));
        }

        // The seed's re-score asks for a year of snapshots, written in the background: with a 1 s busy timeout the keys'
        // writes below (and a test's first write) could otherwise wait on it past the timeout on a loaded machine.
        await SettledViewAsync();
        var keys = app.Services.GetRequiredService<HealthDashboard.Identity.ApiKeyStore>();
        ReadKey = (await keys.CreateAsync("reader", "read", HealthDashboard.Identity.Actor.CommandLine)).Secret!;
        IngestKey = (await keys.CreateAsync("ingest", "ingest", HealthDashboard.Identity.Actor.CommandLine)).Secret!;
    }

    /// <summary>
    /// The board's view once the app's own workers have served the pending re-scores and the snapshot back-fill
    /// (whose progress re-reads the board's history, a new view) has finished: unchanged for a second.
    /// </summary>
    public async Task<HealthDashboard.Scores.PortfolioView> SettledViewAsync()
    {
        var board = Services.GetRequiredService<HealthDashboard.Scores.ScoreBoard>();
        var snapshots = Services.GetRequiredService<HealthDashboard.Scores.SnapshotStore>();
        var view = await board.GetAsync().WaitAsync(TimeSpan.FromSeconds(60));
        // A run that finds nothing to do leaves no finish time: past a minute, a quiet view is enough.
        var giveUpOnBackfill = DateTime.UtcNow.AddMinutes(1);
        for (var quiet = 0; quiet < 5;)
        {
            await Task.Delay(200);
            var backfilled = snapshots.Status is { Running: false, FinishedAt: not null } || DateTime.UtcNow > giveUpOnBackfill;
            quiet = backfilled && ReferenceEquals(view, board.Current) ? quiet + 1 : 0;
            view = board.Current!;
        }

        return view;
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static MemoryStream Text(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));
}
