using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Alerts;

/// <summary>
/// Posts new alerts to their rule's webhook: a Slack-compatible JSON body (<c>text</c> plus blocks naming the account,
/// the change and a link), signed with HMAC-SHA256 of the body under the rule's secret in <see cref="SignatureHeader"/>
/// (<c>sha256=</c> and lower-case hex, as GitHub's and Slack's receivers check). Transient failures are retried with
/// exponential back-off by the HTTP client's resilience handler (Microsoft.Extensions.Http.Resilience, registered
/// with the client); the last delivery's outcome is kept on the rule for admins.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpFactory, IDbContextFactory<HealthDbContext> dbFactory, IConfiguration configuration, TimeProvider clock, ILogger<WebhookSender> logger)
{
    /// <summary>The named HTTP client (with its retry handler).</summary>
    public const string ClientName = "alert-webhooks";

    /// <summary>The request header carrying the signature.</summary>
    public const string SignatureHeader = "X-HealthDashboard-Signature";

    /// <summary>Configuration key of the dashboard's public address, for links in messages (e.g. https://health.example.com).</summary>
    public const string PublicUrlKey = "Alerts:PublicUrl";

    /// <summary>The signature of <paramref name="body"/> under <paramref name="secret"/>: <c>sha256=</c> and hex.</summary>
    public static string Sign(string? secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? ""), body));

    /// <summary>The Slack-compatible message of an alert.</summary>
    public static byte[] Body(AlertRule rule, AlertRow alert, string? publicUrl)
    {
        var link = $"{publicUrl?.TrimEnd('/')}/accounts/{Uri.EscapeDataString(alert.AccountId)}";
        var text = $"{alert.AccountName} ({alert.AccountId}): {alert.Message} [{rule.Name}]";
        var message = new
        {
            text,
            blocks = new object[]
            {
                new { type = "section", text = new { type = "mrkdwn", text = $"*{Escape(alert.AccountName)}* ({Escape(alert.AccountId)})\n{Escape(alert.Message)}" } },
                new { type = "context", elements = new object[] { new { type = "mrkdwn", text = $"Rule: {Escape(rule.Name)} · Owner: {Escape(alert.Owner ?? "none")} · <{link}|Open the account>" } } },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(message);
    }

    /// <summary>Posts an alert to its rule's webhook and records the outcome on the rule; returns the outcome in words.</summary>
    public async Task<string> DeliverAsync(AlertRule rule, AlertRow alert, CancellationToken cancellationToken = default)
    {
        if (rule.WebhookUrl is not { } url)
        {
            return "No webhook URL.";
        }

        var body = Body(rule, alert, configuration[PublicUrlKey]);
        string result;
        bool failed;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Headers.Add(SignatureHeader, Sign(rule.WebhookSecret, body));
            using var response = await httpFactory.CreateClient(ClientName).PostAsync(url, content, cancellationToken);
            failed = !response.IsSuccessStatusCode;
            result = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            failed = true;
            result = ex.Message;
        }

        if (failed)
        {
            logger.LogWarning("Webhook of rule {Rule} failed after its retries: {Result}", rule.Name, result);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.AlertRules.Where(r => r.Id == rule.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.LastDeliveryAt, clock.GetUtcNow().UtcDateTime)
            .SetProperty(r => r.LastDeliveryResult, result.Length > 300 ? result[..300] : result)
            .SetProperty(r => r.LastDeliveryFailed, failed), cancellationToken);
        return failed ? $"Failed: {result}" : $"Delivered: {result}";
    }

    /// <summary>Sends a made-up alert through a rule's webhook ("send test"), recorded like a real delivery.</summary>
    public Task<string> SendTestAsync(AlertRule rule, CancellationToken cancellationToken = default) =>
        DeliverAsync(rule, new AlertRow(0, rule.Id, rule.Name, "TEST-1", "Test account", null,
            "This is a test message from HealthDashboard", clock.GetUtcNow().UtcDateTime, null, null, null, null), cancellationToken);

    // Slack's mrkdwn control characters.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
