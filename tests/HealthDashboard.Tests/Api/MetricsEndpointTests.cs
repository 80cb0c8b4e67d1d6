using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Api;

/// <summary><c>POST /api/metrics</c>: the rules of <c>/api/events</c> for metrics.csv rows (all or nothing, located refusals).</summary>
public sealed class MetricsEndpointTests(ApiHost host) : IClassFixture<ApiHost>
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { "{}", "body: must be a JSON array of metrics rows, not an object" },
        { "[null]", "metrics[0]: must be an object with the fields of metrics.csv, not null" },
        { """[{"account_id":"A1","metric":"nps","time":"2024-01-05","value":"7"}]""", "metrics[0].value: must be a number, not the string \"7\"" },
        { """[{"account_id":"A1","metric":"nps","time":"2024-01-05","value":1e400}]""", "metrics[0].value: must be a number, not 1e400" },
        { """[{"account_id":"A1","metric":"nps","time":"2024-01-05","value":3,"unit":"%"}]""", "metrics[0].unit: not a field of metrics.csv (account_id, metric, time, value)" },
        { """[{"account_id":"A404","metric":"nps","time":"2024-01-05","value":3}]""", "metrics[0].account_id: unknown account 'A404'" },
        { """[{"account_id":"A1","time":"2024-01-05","value":3}]""", "metrics[0].metric: required value is empty" },
        { """[{"account_id":"A1","metric":"nps","time":"soon","value":3}]""", "metrics[0].time:" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_batch_is_refused_with_the_row_and_field_and_stores_nothing(string body, string expected)
    {
        var before = await CountAsync();

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!), e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_good_batch_is_appended_in_order()
    {
        var before = await CountAsync();

        var response = await PostAsync("""
            [{"account_id":"A1","metric":"sponsor_sentiment","time":"2024-01-05T10:00:00Z","value":62.5},
             {"account_id":"A1","metric":"sponsor_sentiment","time":"2024-01-05T10:00:00Z","value":70}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 2, await CountAsync());
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync();
        var last = await db.Metrics.OrderByDescending(m => m.Id).FirstAsync();
        Assert.Equal(70, last.Value);
    }

    private async Task<int> CountAsync()
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync();
        return await db.Metrics.CountAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var http = host.Client(host.IngestKey);
        return await http.PostAsync("/api/metrics", new StringContent(body, Encoding.UTF8, "application/json"));
    }
}
