using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HealthDashboard.Scores;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Api;

/// <summary><c>GET /api/accounts/{id}/history</c> on the API test host (as-of pinned to 2026-11-20, two accounts).</summary>
public sealed class HistoryEndpointTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task The_days_of_a_range_equal_direct_scoring_of_each_day()
    {
        using var http = host.Client(host.ReadKey);

        var history = await http.GetFromJsonAsync<JsonElement>("/api/accounts/A2/history?from=2026-11-15&to=2026-11-20");

        Assert.Equal("A2", history.GetProperty("accountId").GetString());
        var days = history.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(["2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"], days.Select(d => d.GetProperty("day").GetString()));
        var scoring = host.Services.GetRequiredService<ScoringService>();
        foreach (var day in days)
        {
            var direct = await scoring.ScoreAtAsync(DateTime.Parse(day.GetProperty("day").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime().Date);
            var row = SnapshotRow.From(direct, direct.Aggregates.LocalAccountIndex("A2"));
            Assert.Equal(Math.Round(row.Health, 2, MidpointRounding.AwayFromZero), day.GetProperty("health").GetDouble());
            Assert.Equal(row.Band.ToString().ToLowerInvariant(), day.GetProperty("band").GetString());
            Assert.Equal(row.Value(Scoring.Indicator.Recency), day.GetProperty("indicators").GetProperty("recency").GetDouble());
            Assert.Equal(JsonValueKind.Null, day.GetProperty("indicators").GetProperty("growth").ValueKind);
        }
    }

    [Fact]
    public async Task Without_a_range_it_is_the_last_thirty_days_to_the_as_of_date()
    {
        using var http = host.Client(host.ReadKey);

        var history = await http.GetFromJsonAsync<JsonElement>("/api/accounts/A1/history");

        Assert.Equal(("2026-10-22", "2026-11-20"), (history.GetProperty("from").GetString(), history.GetProperty("to").GetString()));
        Assert.Equal(30, history.GetProperty("days").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/accounts/NOPE/history", HttpStatusCode.NotFound, "There is no account 'NOPE'.")]
    [InlineData("/api/accounts/A1/history?from=soon", HttpStatusCode.BadRequest, "from 'soon' is not a date (YYYY-MM-DD).")]
    [InlineData("/api/accounts/A1/history?from=2026-11-20&to=2026-11-01", HttpStatusCode.BadRequest, "from 2026-11-20 is after to 2026-11-01.")]
    public async Task Unknown_accounts_and_bad_ranges_are_problems(string url, HttpStatusCode status, string detail)
    {
        using var http = host.Client(host.ReadKey);

        var response = await http.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_needs_a_read_key()
    {
        using var http = host.Client(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/accounts/A1/history")).StatusCode);
    }
}
