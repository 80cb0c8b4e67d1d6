namespace HealthDashboard.Identity;

/// <summary>
/// Security headers on every response (issue 10). The Content Security Policy allows only the app's own
/// scripts: Blazor, MudBlazor and the apexcharts wrapper load from the origin, and no inline script runs (the
/// page renders no import map: collocated modules load from their plain paths, which static assets also serve).
/// Styles allow inline because MudBlazor and apexcharts set style attributes; the circuit needs ws(s) to itself.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers.XFrameOptions = "DENY";
        return next(context);
    });
}
