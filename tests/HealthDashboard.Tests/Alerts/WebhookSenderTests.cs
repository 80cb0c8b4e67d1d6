using System.Text;
using System.Text.Json;
using HealthDashboard.Alerts;
using HealthDashboard.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Alerts;

/// <summary>Webhook delivery against a receiver on loopback: signed, Slack-compatible, retried with back-off, failures recorded.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private const string Secret = "s3cret-key";
    private readonly List<(byte[] Body, string? Signature, DateTime At)> received = [];
    private WebApplication receiver = null!;
    private TestStore store = null!;
    private int failuresLeft;

    private string Url => receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        receiver = builder.Build();
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (received)
            {
                received.Add((body.ToArray(), request.Headers[WebhookSender.SignatureHeader].ToString(), DateTime.UtcNow));
            }

            return Interlocked.Decrement(ref failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Ok();
        });
        await receiver.StartAsync();
        store = await TestStore.CreateAsync(new Dictionary<string, string?>
        {
            ["Alerts:Webhook:FirstRetrySeconds"] = "0.2",
            ["Alerts:Webhook:Retries"] = "3",
            [WebhookSender.PublicUrlKey] = "https://health.example.com",
        });
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_delivery_is_retried_with_growing_delays_and_signed_so_the_receiver_can_verify_it()
    {
        failuresLeft = 2;
        var rule = await RuleAsync();

        var result = await store.Get<WebhookSender>().DeliverAsync(rule, Alert());

        Assert.Equal("Delivered: 200 OK", result);
        Assert.Equal(3, received.Count);
        var (gap1, gap2) = (received[1].At - received[0].At, received[2].At - received[1].At);
        // 0.2 s then 0.4 s of back-off: each gap is at least its delay (a busy machine only adds to either, so the
        // difference of the two gaps is no sound bound).
        Assert.True(gap1 >= TimeSpan.FromMilliseconds(190) && gap2 >= TimeSpan.FromMilliseconds(390), $"back-off {gap1.TotalMilliseconds} ms then {gap2.TotalMilliseconds} ms");
        var (body, signature, _) = received[^1];
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        Assert.Equal(expected, signature);
        Assert.NotEqual(WebhookSender.Sign("another key", body), signature);

        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Harbor (ACC-9): Health 31 (red) [Red accounts]", json.GetProperty("text").GetString());
        var blocks = json.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Contains("*Harbor* (ACC-9)", blocks[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("<https://health.example.com/accounts/ACC-9|Open the account>", blocks[1].GetRawText().Replace("\\u003C", "<", StringComparison.Ordinal).Replace("\\u003E", ">", StringComparison.Ordinal).Replace("\\u0026", "&", StringComparison.Ordinal), StringComparison.Ordinal);
        var stored = await StoredAsync(rule.Id);
        Assert.Equal(("200 OK", false), (stored.LastDeliveryResult, stored.LastDeliveryFailed));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_tried_four_times_and_the_failure_is_recorded()
    {
        failuresLeft = 100;
        var rule = await RuleAsync();

        var result = await store.Get<WebhookSender>().DeliverAsync(rule, Alert());

        Assert.Equal("Failed: 503 Service Unavailable", result);
        Assert.Equal(4, received.Count);
        var stored = await StoredAsync(rule.Id);
        Assert.True(stored.LastDeliveryFailed);
        Assert.Equal("503 Service Unavailable", stored.LastDeliveryResult);
        Assert.NotNull(stored.LastDeliveryAt);
    }

    [Fact]
    public async Task Send_test_posts_a_test_message_through_the_same_path()
    {
        var rule = await RuleAsync();

        var result = await store.Get<WebhookSender>().SendTestAsync(rule);

        Assert.Equal("Delivered: 200 OK", result);
        Assert.Contains("This is a test message", Encoding.UTF8.GetString(Assert.Single(received).Body), StringComparison.Ordinal);
    }

    private static AlertRow Alert() => new(1, 1, "Red accounts", "ACC-9", "Harbor", "Maya Chen", "Health 31 (red)", DateTime.UtcNow, null, null, null, null);

    private async Task<AlertRule> RuleAsync()
    {
        var rule = new AlertRule { Name = "Red accounts", CreatedBy = "t", Kind = AlertKind.InBand, Band = 2, WebhookUrl = Url, WebhookSecret = Secret };
        Assert.Empty(await store.Get<AlertService>().SaveRuleAsync(rule, "admin"));
        return rule;
    }

    private async Task<AlertRule> StoredAsync(int id)
    {
        await using var db = await store.DbAsync();
        return await db.AlertRules.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
