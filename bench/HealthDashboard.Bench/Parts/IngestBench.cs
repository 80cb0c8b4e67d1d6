using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Extensions;
using HealthDashboard.Identity;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 9 (issue 10): ingestion over loopback and the cost of authorization. The real app (its own pipeline:
/// API key check, rate limiter, importer) listens on 127.0.0.1; 4 clients post batches of 1,000 usage events
/// with an ingest key for 30 s, as a live feed does (events of the last minute), once the app has scored and
/// back-filled its snapshots (the steady state of a running deployment); afterwards the database's usage rows
/// are counted against what was accepted.
/// Then the cost of authorization on a page request: authenticating the sign-in cookie and evaluating the
/// pages' policy, timed per request (what a page request pays now that did not exist before sign-in).
/// </summary>
public sealed class IngestBench : BenchPart
{
    private const int Clients = 4;
    private const int BatchSize = 1_000;

    public override int Number => 9;

    public override string Title => "API ingestion and authorization";

    public override Task PrepareAsync(Scale scale, TextWriter log)
    {
        CsvFolders.Ensure(scale.Import, log);
        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var duration = TimeSpan.FromSeconds(scale.Quick ? 5 : 30);
        var file = Path.Combine(CacheFolder.Path, $"ingest-{Environment.ProcessId}.db");
        SqliteDatabase.DeleteWithSidecars(file);
        try
        {
            string key;
            string[] accounts, eventTypes;
            using (var setup = await AppHost.OpenAsync(file))
            {
                var folders = CsvFolders.PathsFor(scale.Import);
                var reference = await setup.Get<FolderImporter>().ImportFolderAsync(folders.Reference, "bench");
                if (!reference.Succeeded)
                {
                    throw new InvalidOperationException(reference.Summary);
                }

                key = (await setup.Get<ApiKeyStore>().CreateAsync("bench", ApiKeyScopes.Ingest, Actor.CommandLine)).Secret!;
                await setup.Get<TeamService>().AddAsync("bench@example.com", "Bench", Roles.CSManager, "bench-password-1", Actor.CommandLine);
                accounts = ReadColumn(Path.Combine(folders.Reference, "accounts.csv"));
                eventTypes = ReadColumn(Path.Combine(folders.Reference, "event_types.csv"));
            }

            await using var app = await StartAppAsync(file);
            await SettleAsync(app, log);
            var url = app.Urls.Single();
            var before = await UsageRowsAsync(file);
            var (accepted, refused, elapsed) = await PostForAsync(url, key, accounts, eventTypes, duration, log);
            // The accepted batches are committed before the answer; count what the database holds.
            var stored = await UsageRowsAsync(file) - before;
            log.WriteLine($"  {accepted:N0} events accepted in {elapsed.TotalSeconds:0.0} s, {refused} batches refused, {stored:N0} rows stored");

            var (cookieMicros, keyMicros) = await AuthorizationCostAsync(app, key, scale);
            return
            [
                new(9, $"API ingestion: {Clients} clients x batches of {BatchSize:N0}, {duration.TotalSeconds:0} s over loopback", accepted / elapsed.TotalSeconds, "events/s", Target.Over(20_000)),
                new(9, "Events accepted but not stored (rows counted afterwards)", accepted - stored, "events", Target.Under(1)),
                new(9, "Batches refused during the run", refused, "batches", Target.Under(1)),
                new(9, "Authorization of a page request (cookie + role policy), median", cookieMicros / 1000, "ms", Target.Under(1)),
                new(9, "Authentication of an API key (one indexed lookup), median", keyMicros / 1000, "ms"),
            ];
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            SqliteDatabase.DeleteWithSidecars(file);
        }
    }

    private static async Task<WebApplication> StartAppAsync(string file)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "HealthDashboard", ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:Health"] = $"Data Source={file}";
        builder.Configuration["Demo:SeedWhenEmpty"] = "false";
        // A month of daily snapshots, not a year: the part waits for the back-fill before it posts (SettleAsync), and a
        // year of it is minutes of start-up work; the live feed's events change no snapshot day whatever the length.
        builder.Configuration[SnapshotStore.HistoryDaysKey] = "30";
        // The bench measures throughput, not the limiter: let every batch through.
        builder.Configuration["Api:RateLimit:PermitLimit"] = "1000000";
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddHealthDashboard();
        var app = builder.Build();
        app.UseHealthDashboard();
        await app.StartAsync();
        return app;
    }

    /// <summary>
    /// Waits for the steady state a running deployment is in: the first scores published and the daily snapshots
    /// back-filled (a freshly imported store starts with a year of them to score, which is start-up work, not ingestion).
    /// </summary>
    private static async Task SettleAsync(WebApplication app, TextWriter log)
    {
        var started = Stopwatch.GetTimestamp();
        await app.Services.GetRequiredService<ScoreBoard>().GetAsync();
        var snapshots = app.Services.GetRequiredService<SnapshotStore>();
        var asOfClock = app.Services.GetRequiredService<AsOfClock>();
        // The worker back-fills in the background: wait for its run to end, then check that no day is left (a run here
        // while the worker is idle writes what is missing, normally nothing).
        do
        {
            while (snapshots.Status.Running || snapshots.Status.FinishedAt is null)
            {
                await Task.Delay(200);
            }
        }
        while (await snapshots.BackfillAsync(asOfClock.Now().Date) > 0);

        log.WriteLine($"  scores and {snapshots.HistoryDays} days of snapshots ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private static async Task<(long Accepted, int Refused, TimeSpan Elapsed)> PostForAsync(
        string url, string key, string[] accounts, string[] eventTypes, TimeSpan duration, TextWriter log)
    {
        long accepted = 0;
        var refused = 0;
        var batchNumber = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        // A live feed: events of the last minute (after today's midnight, so no daily snapshot changes; see Batch).
        var origin = DateTime.UtcNow.AddMinutes(-1);
        origin = origin < DateTime.UtcNow.Date ? DateTime.UtcNow.Date : origin;
        var clients = Enumerable.Range(0, Clients).Select(async client =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
            while (Stopwatch.GetTimestamp() < end)
            {
                var batch = Interlocked.Increment(ref batchNumber);
                using var content = new StringContent(Batch(batch, origin, accounts, eventTypes), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/api/events", content);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Add(ref accepted, BatchSize);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                    log.WriteLine($"  batch {batch}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        });
        await Task.WhenAll(clients);
        return (accepted, refused, Stopwatch.GetElapsedTime(started));
    }

    // Every batch is different (its own millisecond after the origin, its events a microsecond apart), so none is
    // refused as a repeat; thousands of batches stay within seconds of the origin, in the past of the scores' as-of time.
    private static string Batch(int batch, DateTime origin, string[] accounts, string[] eventTypes)
    {
        var text = new StringBuilder(BatchSize * 100).Append('[');
        var first = origin.AddMilliseconds(batch);
        for (var i = 0; i < BatchSize; i++)
        {
            var at = first.AddTicks(i * TimeSpan.TicksPerMicrosecond);
            text.Append(i == 0 ? "" : ",")
                .Append("{\"account_id\":\"").Append(accounts[(batch * 7 + i) % accounts.Length])
                .Append("\",\"event_type\":\"").Append(eventTypes[i % eventTypes.Length])
                .Append("\",\"timestamp\":\"").Append(at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
                .Append("\",\"count\":1}");
        }

        return text.Append(']').ToString();
    }

    /// <summary>
    /// Median microseconds of (a) authenticating a real sign-in cookie and evaluating the pages' policy, and
    /// (b) authenticating an API key, each on a fresh request context through the app's own services.
    /// </summary>
    private static async Task<(double CookieMicros, double KeyMicros)> AuthorizationCostAsync(WebApplication app, string key, Scale scale)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var signIn = services.GetRequiredService<SignInManager<TeamMember>>();
        var member = (await signIn.UserManager.FindByEmailAsync("bench@example.com"))!;
        var principal = await signIn.CreateUserPrincipalAsync(member);
        var cookieOptions = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, IdentityConstants.ApplicationScheme);
        var cookie = $"{cookieOptions.Cookie.Name}={cookieOptions.TicketDataFormat.Protect(ticket)}";

        var evaluator = services.GetRequiredService<IPolicyEvaluator>();
        var policy = (await services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync())!;
        var apiPolicy = (await services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(Policies.ApiIngest))!;
        var runs = scale.Quick ? 2_000 : 20_000;

        // A request scope of its own each time, as the server gives every request: authentication handlers are
        // per request and remember their result, so a shared scope would time a cache.
        HttpContext Request(IServiceScope requestScope, string header, string value)
        {
            var context = new DefaultHttpContext { RequestServices = requestScope.ServiceProvider };
            context.Request.Headers[header] = value;
            return context;
        }

        // What UseAuthentication and UseAuthorization do for a page request: the default scheme (the cookie), then the policy.
        async Task Page()
        {
            using var requestScope = app.Services.CreateScope();
            var context = Request(requestScope, "Cookie", cookie);
            var authenticated = await context.AuthenticateAsync();
            context.User = authenticated.Principal ?? context.User;
            var result = await evaluator.AuthorizeAsync(policy, authenticated, context, null);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("The bench member was not authorized.");
            }
        }

        async Task Key()
        {
            using var requestScope = app.Services.CreateScope();
            var context = Request(requestScope, ApiKeyAuthenticationHandler.Header, key);
            var result = await evaluator.AuthorizeAsync(apiPolicy, await evaluator.AuthenticateAsync(apiPolicy, context), context, null);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("The bench key was not authorized.");
            }
        }

        var pageTimes = await Timing.MeasureAsync(runs / 10, runs, _ => Page());
        var keyTimes = await Timing.MeasureAsync(runs / 100, runs / 10, _ => Key());
        return (pageTimes.Median * 1000, keyTimes.Median * 1000);
    }

    private static async Task<long> UsageRowsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Usage";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string[] ReadColumn(string csv) =>
        File.ReadLines(csv).Skip(1).Select(l => l.Split(',')[0].Trim('"')).Where(v => v.Length > 0).ToArray();
}
