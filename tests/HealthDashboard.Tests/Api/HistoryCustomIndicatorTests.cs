using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HealthDashboard.Import;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Api;

/// <summary>
/// <c>GET /api/accounts/{id}/history</c> with a custom indicator in the model, on an API test host of its own (the
/// model save would change the other history tests' host): each day carries the custom indicator's score beside the
/// built-in ones, null on days it was missing.
/// </summary>
public sealed class HistoryCustomIndicatorTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Each_day_carries_the_custom_indicator_s_score_keyed_by_its_key()
    {
        var metrics = "account_id,metric,time,value\nA1,onboarding_pct,2026-11-12T00:00:00Z,40\nA1,onboarding_pct,2026-11-18T12:00:00Z,75\n";
        var imported = await host.Services.GetRequiredService<FolderImporter>().ImportStreamsAsync(
            new Dictionary<string, Stream> { ["metrics.csv"] = new MemoryStream(Encoding.UTF8.GetBytes(metrics)) }, "test");
        Assert.True(imported.Succeeded, string.Join("; ", imported.Problems));
        var models = host.Services.GetRequiredService<ModelStore>();
        var latest = (await models.GetLatestAsync())!;
        var onboarding = new CustomIndicator { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_pct", Weight = 20 };
        var saved = await models.SaveAsync(latest.Model with { CustomIndicators = [onboarding] }, latest.Info.Version, "test", "Add onboarding progress");
        Assert.NotNull(saved.Saved);
        using var http = host.Client(host.ReadKey);

        var history = await http.GetFromJsonAsync<JsonElement>("/api/accounts/A1/history?from=2026-11-10&to=2026-11-20");
        var other = await http.GetFromJsonAsync<JsonElement>("/api/accounts/A2/history?from=2026-11-19&to=2026-11-20");

        var days = history.GetProperty("days").EnumerateArray().ToList();
        // A value counts from its time on (time <= T): the 12th's midnight reads 40, the 19th's the 18th's 75.
        double?[] expected = [null, null, 40, 40, 40, 40, 40, 40, 40, 75, 75];
        Assert.Equal(expected, days.Select(d => d.GetProperty("indicators").GetProperty("onboarding") is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : (double?)null));
        Assert.All(days, d => Assert.Equal(
            ["engagement", "breadth", "depth", "frequency", "recency", "support", "sentiment", "growth", "onboarding"],
            d.GetProperty("indicators").EnumerateObject().Select(p => p.Name)));
        Assert.All(other.GetProperty("days").EnumerateArray(), d => Assert.Equal(JsonValueKind.Null, d.GetProperty("indicators").GetProperty("onboarding").ValueKind));
    }
}
