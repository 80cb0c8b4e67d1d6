using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HealthDashboard.Identity;

/// <summary>
/// The one place an API key is checked (issue 10): the <c>X-Api-Key</c> header against the database. It runs
/// in the authorization middleware, before the endpoint reads a request body. No key or an unknown or revoked
/// key: 401; a key without the scope an endpoint needs: 403; both as RFC 9457 problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>The scheme API endpoints authenticate with: the key when one is sent, else the sign-in cookie.</summary>
    public const string KeyOrCookieScheme = "ApiKeyOrCookie";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var sent = Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(sent))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindActiveAsync(sent, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "api-key:" + key.Name), new Claim(ApiKeyScopes.ClaimType, key.Scope)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Sign-in or API key required",
            Request.Headers.ContainsKey(Header)
                ? $"The API key sent in the {Header} header is unknown or revoked."
                : $"Send an API key in the {Header} header (or sign in).");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed",
            Context.User.FindFirstValue(ApiKeyScopes.ClaimType) is { } scope
                ? $"The API key '{Context.User.Identity?.Name?["api-key:".Length..]}' has the {scope} scope; this needs the ingest scope."
                : "This needs an API key with the ingest scope.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
