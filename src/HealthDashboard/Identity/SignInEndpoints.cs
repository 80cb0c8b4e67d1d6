using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace HealthDashboard.Identity;

/// <summary>
/// <c>POST /signout</c>: ends the cookie session (anti-forgery checked: the form posts a token) and goes to the
/// sign-in page; the browser's full page load then ends the circuit.
/// </summary>
public static class SignInEndpoints
{
    public static WebApplication MapSignInEndpoints(this WebApplication app)
    {
        app.MapPost("/signout", async ([FromForm] string? returnUrl, SignInManager<TeamMember> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/signin");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>A return URL that stays on this site (an open redirect is refused), or the portfolio.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
