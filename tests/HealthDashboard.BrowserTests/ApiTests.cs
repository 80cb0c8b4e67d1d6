using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HealthDashboard.BrowserTests;

/// <summary>The HTTP API of DATA.md against the real app: keys, the same numbers as the command line, all-or-nothing ingest.</summary>
[Collection(AppCollection.Name)]
public sealed class ApiTests(AppFixture app)
{
    private HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }

    [Fact]
    public async Task Reading_needs_an_api_key()
    {
        using var http = Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/accounts")).StatusCode);
        using var wrong = Client("not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/accounts")).StatusCode);
        using var revoked = Client(app.RevokedKey);
        var refused = await revoked.GetAsync("/api/accounts");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Red_accounts_from_the_api_are_the_red_accounts_of_the_scores_command_line_with_the_same_health()
    {
        using var http = Client(app.ReadKey);
        var cli = await CliScore.ReadAsync(app);
        var red = cli.Values.Where(s => s.Band == "red").ToList();

        var page = await http.GetFromJsonAsync<JsonElement>("/api/accounts?band=red&size=100");
        Assert.Equal(red.Count, page.GetProperty("total").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Math.Min(100, red.Count), items.Count);
        foreach (var item in items)
        {
            var id = item.GetProperty("id").GetString()!;
            Assert.Equal("red", item.GetProperty("band").GetString());
            Assert.Equal(cli[id].Health, item.GetProperty("health").GetDouble());
        }
    }

    [Fact]
    public async Task One_account_is_taken_apart_into_contributions_that_add_up_to_its_health()
    {
        using var http = Client(app.ReadKey);
        var cli = await CliScore.ReadAsync(app);
        var id = cli.Keys.Order(StringComparer.Ordinal).First();

        var detail = await http.GetFromJsonAsync<JsonElement>($"/api/accounts/{id}");
        var health = detail.GetProperty("account").GetProperty("health").GetDouble();
        Assert.Equal(cli[id].Health, health);
        var sum = detail.GetProperty("indicators").EnumerateArray().Sum(i => i.GetProperty("contribution").GetDouble());
        // Each of the ten contributions and the health are rounded to two decimals: their sum may be off by up to
        // 10 x 0.005 + 0.005 (comparing rounded to one decimal instead failed when the two fell either side of a .x5).
        Assert.Equal(health, Math.Clamp(sum, 1, 100), 0.056);
        // The eight built-in indicators, then the demo model's two custom ones.
        Assert.Equal(["engagement", "breadth", "depth", "frequency", "recency", "support", "sentiment", "growth", "onboarding_progress", "sponsor_sentiment"],
            detail.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("indicator").GetString()));

        var users = await http.GetFromJsonAsync<JsonElement>($"/api/accounts/{id}/users");
        Assert.True(users.GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/accounts/NO-SUCH-ACCOUNT")).StatusCode);
    }

    [Fact]
    public async Task Posting_events_needs_the_ingest_permission_and_a_bad_row_refuses_the_whole_batch()
    {
        var cli = await CliScore.ReadAsync(app);
        var account = cli.Keys.Order(StringComparer.Ordinal).First();
        // Long before the window, so the scores other tests compare stay as they are.
        var old = DateTime.Parse(app.AsOf, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).AddDays(-400).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        object[] batch =
        [
            new { account_id = account, event_type = "login", timestamp = old, count = 2 },
            new { account_id = account, event_type = "no_such_event", timestamp = old },
        ];

        using var reader = Client(app.ReadKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/events", batch)).StatusCode);

        using var ingest = Client(app.IngestKey);
        var refused = await ingest.PostAsJsonAsync("/api/events", batch);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(errors, e => e!.StartsWith("events[1].event_type:", StringComparison.Ordinal));

        var accepted = await ingest.PostAsJsonAsync("/api/events", batch.Take(1).ToArray());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task The_app_serves_an_openapi_description_of_the_api()
    {
        using var anonymous = Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        using var http = Client(app.ReadKey);
        var json = await http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/accounts/{id}", json, StringComparison.Ordinal);
        Assert.Contains("/api/events", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posting_batches_beyond_the_keys_rate_limit_answers_429_with_retry_after()
    {
        var (code, output, error) = await app.RunCliAsync("api-keys", "add", "burst-" + Guid.NewGuid().ToString("N")[..8], "--scope", "ingest", "--db", app.DatabaseFile);
        Assert.True(code == 0, output + error);
        using var http = Client(output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("hd_", StringComparison.Ordinal)));
        for (var i = 0; i < app.IngestPermitsPerMinute; i++)
        {
            // Empty batches: refused as bad requests, but each one counts against the key's limit.
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/events", Array.Empty<object>())).StatusCode);
        }

        var limited = await http.PostAsJsonAsync("/api/events", Array.Empty<object>());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        // Another key is not slowed down by this one.
        using var reader = Client(app.IngestKey);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await reader.PostAsJsonAsync("/api/events", Array.Empty<object>())).StatusCode);
    }
}
