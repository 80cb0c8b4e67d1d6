using System.Net;
using System.Net.Http.Json;
using HealthDashboard.Extensions;
using HealthDashboard.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// The authorization matrix of issue 10 against the real app: every route of the app's route table (pages,
/// exports, API, OpenAPI, the readiness probe, sign-in and sign-out, the Blazor hub), as anonymous, each role,
/// a read key, an ingest key and a revoked key. The routes come from the app itself (built in-process, not
/// run), so a new page or endpoint without a rule here fails <see cref="Every_route_of_the_app_has_a_rule"/>.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(AppFixture app)
{
    /// <summary>Who asks.</summary>
    public enum Caller { Anonymous, Admin, CSManager, ProductManager, ReadKey, IngestKey, RevokedKey }

    /// <summary>What they get: 200 (or the endpoint's own answer), a redirect to sign-in or to "not for your role", 401, 403.</summary>
    public enum Outcome { Ok, SignIn, Denied, Unauthorized, Forbidden, BadRequest }

    private static readonly Caller[] Everyone = Enum.GetValues<Caller>();
    private static readonly Caller[] Members = [Caller.Admin, Caller.CSManager, Caller.ProductManager];

    // One rule per route pattern (and method): the outcome of each caller. Pages ignore API keys (a key is not a sign-in).
    private static readonly Dictionary<string, Func<Caller, Outcome>> Rules = new(StringComparer.Ordinal)
    {
        ["GET /"] = Page(Members),
        ["GET /accounts"] = Page(Members),
        ["GET /accounts/{Id}"] = Page(Members),
        ["GET /users"] = Page(Members),
        ["GET /renewals"] = Page(Members),
        ["GET /tasks"] = Page(Members),
        ["GET /model"] = Page(Members),
        ["GET /model/versions"] = Page(Members),
        ["GET /model/versions/{Version:int}"] = Page(Members),
        ["GET /backtest"] = Page(Members),
        ["GET /alerts"] = Page(Members),
        ["GET /admin/alerts"] = Page([Caller.Admin]),
        ["GET /admin/playbooks"] = Page([Caller.Admin]),
        ["GET /import"] = Page([Caller.Admin]),
        ["GET /import/templates/{fileName}"] = Page([Caller.Admin]),
        ["GET /admin/team"] = Page([Caller.Admin]),
        ["GET /admin/api-keys"] = Page([Caller.Admin]),
        ["GET /admin/audit"] = Page([Caller.Admin]),
        ["GET /me/password"] = Page(Members),
        ["GET /not-found"] = Page(Members),
        ["GET /signin"] = _ => Outcome.Ok,
        ["GET /denied"] = _ => Outcome.Ok,
        ["GET /Error"] = _ => Outcome.Ok,
        ["GET /status"] = _ => Outcome.Ok,
        // Without the form's anti-forgery token a sign-out post is refused, whoever sends it.
        ["POST /signout"] = _ => Outcome.BadRequest,
        ["GET /export/accounts.csv"] = Page([Caller.Admin, Caller.CSManager]),
        ["GET /export/users.csv"] = Page([Caller.Admin, Caller.CSManager]),
        ["GET /export/renewals.csv"] = Page([Caller.Admin, Caller.CSManager]),
        ["GET /export/audit.csv"] = Page([Caller.Admin]),
        ["GET /api/accounts"] = ApiRead,
        ["GET /api/accounts/{id}"] = ApiRead,
        ["GET /api/accounts/{id}/users"] = ApiRead,
        ["GET /api/accounts/{id}/history"] = ApiRead,
        ["GET /openapi/{documentName}.json"] = ApiRead,
        ["POST /api/events"] = ApiIngest,
        ["POST /api/metrics"] = ApiIngest,
        // The Blazor hub: a circuit needs a signed-in member.
        ["POST /_blazor/negotiate"] = caller => Members.Contains(caller) ? Outcome.Ok : Outcome.SignIn,
    };

    // Routes the framework maps beside the hub's negotiate (same policy: checked through negotiate above) and static files.
    private static bool IsFrameworkRoute(string pattern) =>
        pattern.StartsWith("/_blazor", StringComparison.Ordinal) && pattern != "/_blazor/negotiate"
        || pattern.StartsWith("/_framework", StringComparison.Ordinal) || pattern.StartsWith("/_content", StringComparison.Ordinal)
        || pattern == "/{**path:file}";

    private static Func<Caller, Outcome> Page(Caller[] allowed) => caller =>
        allowed.Contains(caller) ? Outcome.Ok : Members.Contains(caller) ? Outcome.Denied : Outcome.SignIn;

    private static Outcome ApiIngest(Caller caller) => caller switch
    {
        Caller.IngestKey => Outcome.Ok,
        Caller.Anonymous or Caller.RevokedKey => Outcome.Unauthorized,
        _ => Outcome.Forbidden,
    };

    private static Outcome ApiRead(Caller caller) => caller switch
    {
        Caller.Anonymous or Caller.RevokedKey => Outcome.Unauthorized,
        _ => Outcome.Ok,
    };

    [Fact]
    public void Every_route_of_the_app_has_a_rule()
    {
        var routes = AppRoutes();
        var missing = routes.Where(r => !Rules.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "Routes without an authorization rule: " + string.Join(", ", missing));
        var stale = Rules.Keys.Where(r => !routes.Contains(r)).ToList();
        Assert.True(stale.Count == 0, "Rules for routes the app no longer has: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Each_caller_gets_exactly_what_the_rules_say_on_every_route()
    {
        var accountId = (await CliScore.ReadAsync(app)).Keys.Order(StringComparer.Ordinal).First();
        var failures = new List<string>();
        foreach (var caller in Everyone)
        {
            using var http = await ClientAsync(caller);
            foreach (var (route, rule) in Rules)
            {
                var (method, pattern) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
                var url = pattern.Replace("{Id}", accountId).Replace("{id}", accountId).Replace("{Version:int}", "1").Replace("{documentName}", "v1").Replace("{fileName}", "usage.csv");
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (route == "POST /api/events")
                {
                    // Long before the scoring window, so the other tests' scores stay as they are.
                    request.Content = JsonContent.Create(new[] { new { account_id = accountId, event_type = "login", timestamp = "2020-01-01T00:00:00Z" } });
                }
                else if (route == "POST /api/metrics")
                {
                    // A metric no model reads, long before any window.
                    request.Content = JsonContent.Create(new[] { new { account_id = accountId, metric = "authorization_probe", time = "2020-01-01T00:00:00Z", value = 1 } });
                }

                using var response = await http.SendAsync(request);
                var actual = OutcomeOf(response);
                var expected = rule(caller);
                if (actual != expected)
                {
                    failures.Add($"{caller} {route}: expected {expected}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static Outcome OutcomeOf(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect when response.Headers.Location?.OriginalString.Contains("/signin", StringComparison.Ordinal) == true => Outcome.SignIn,
        HttpStatusCode.Redirect when response.Headers.Location?.OriginalString.Contains("/denied", StringComparison.Ordinal) == true => Outcome.Denied,
        HttpStatusCode.Unauthorized => Outcome.Unauthorized,
        HttpStatusCode.Forbidden => Outcome.Forbidden,
        HttpStatusCode.BadRequest => Outcome.BadRequest,
        // The not-found page answers 404 to whoever may see pages: the page itself, not a refusal.
        HttpStatusCode.OK or HttpStatusCode.NotFound => Outcome.Ok,
        var other => throw new InvalidOperationException($"Unexpected {(int)other} from {response.RequestMessage?.RequestUri}"),
    };

    private async Task<HttpClient> ClientAsync(Caller caller)
    {
        if (caller is Caller.Admin or Caller.CSManager or Caller.ProductManager)
        {
            return await app.SignedInClientAsync(caller.ToString());
        }

        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        var key = caller switch { Caller.ReadKey => app.ReadKey, Caller.IngestKey => app.IngestKey, Caller.RevokedKey => app.RevokedKey, _ => null };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        }

        return http;
    }

    /// <summary>"METHOD /pattern" of every route the app maps, read from the app's own endpoint data sources.</summary>
    private HashSet<string> AppRoutes()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "HealthDashboard", ContentRootPath = app.RepoRoot, EnvironmentName = Environments.Production,
        });
        builder.Configuration["ConnectionStrings:Health"] = $"Data Source={app.DatabaseFile}";
        builder.AddHealthDashboard();
        var web = builder.Build();
        web.UseHealthDashboard();
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in ((IEndpointRouteBuilder)web).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (IsFrameworkRoute(pattern) || endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor"))
            {
                continue;
            }

            // A page answers GET and its forms' POST under one authorization rule: the GET stands for both. The hub's
            // negotiate is a POST.
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var method = pattern == "/_blazor/negotiate" ? "POST" : methods.Contains("GET") ? "GET" : methods[0];
            routes.Add($"{method} {pattern}");
        }

        return routes;
    }
}
