using System.Security.Cryptography;
using System.Text;

namespace HealthDashboard.Api;

/// <summary>One API key from configuration (<c>Api:Keys</c>): a name for logs, the secret, and whether it may write.</summary>
public sealed class ApiKey
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";

    /// <summary>May post usage (<c>POST /api/events</c>); every key may read.</summary>
    public bool Ingest { get; set; }
}

/// <summary>
/// Guards <c>/api</c> (DATA.md): reading needs an API key, writing a key with the ingest permission, sent
/// as the <c>X-Api-Key</c> header. The dashboard has no sign-in yet, so there is no signed-in reader;
/// with no keys configured the API refuses every call.
/// </summary>
public sealed class ApiKeyFilter(IConfiguration configuration, bool ingest) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var sent = context.HttpContext.Request.Headers[Header].ToString();
        var key = string.IsNullOrEmpty(sent) ? null : Find(sent);
        if (key is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: $"Send a configured API key in the {Header} header.");
        }

        if (ingest && !key.Ingest)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Ingest permission required",
                detail: $"The API key '{key.Name}' may read but not write.");
        }

        return await next(context);
    }

    private ApiKey? Find(string sent)
    {
        var sentBytes = Encoding.UTF8.GetBytes(sent);
        foreach (var key in configuration.GetSection("Api:Keys").Get<List<ApiKey>>() ?? [])
        {
            // Constant-time comparison: the time taken says nothing about how much of a key matched.
            if (key.Key.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key.Key), sentBytes))
            {
                return key;
            }
        }

        return null;
    }
}
