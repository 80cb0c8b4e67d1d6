using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace HealthDashboard.Identity;

/// <summary>
/// <c>POST /signout</c>: ends the cookie session (anti-forgery checked: the form posts a token) and goes to the
/// sign-in page; the browser's full page load then ends the circuit.
/// </summary>
public static class SignInEndpoints
{
    public static WebApplication MapSignInEndpoints(this WebApplication app)
    {
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery, SignInManager<TeamMember> signIn) =>
        {
            // Checked here rather than by form binding, so a post without the form's token is a 400, not an exception.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Sign out from the app's own menu",
                    detail: "The sign-out form's anti-forgery token is missing or expired.");
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("/signin");
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    /// <summary>A return URL that stays on this site (an open redirect is refused), or the portfolio.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
