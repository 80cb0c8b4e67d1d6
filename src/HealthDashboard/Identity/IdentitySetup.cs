using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using HealthDashboard.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HealthDashboard.Identity;

/// <summary>Registration of sign-in, roles, API keys, the audit trail and the ingest rate limit (issue 10).</summary>
public static class IdentitySetup
{
    /// <summary>Name of the rate-limiting policy on <c>POST /api/events</c> (per API key).</summary>
    public const string IngestRateLimit = "ingest";

    /// <summary>Identity's stores and the team, key and audit services: what the web app and the command line share.</summary>
    public static IServiceCollection AddHealthDashboardIdentityCore(this IServiceCollection services)
    {
        services.AddIdentityCore<TeamMember>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<HealthDbContext>()
            .AddClaimsPrincipalFactory<TeamClaimsFactory>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<TeamService>();
        return services;
    }

    /// <summary>Cookie sign-in, the API key scheme, the authorization policies and the ingest rate limit.</summary>
    public static WebApplicationBuilder AddHealthDashboardIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingTeamStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddPolicyScheme(ApiKeyAuthenticationHandler.KeyOrCookieScheme, null, options =>
            {
                options.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme;
                // A script gets problem details, never a redirect to the sign-in page.
                options.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
                options.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddIdentityCore<TeamMember>().AddSignInManager();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/signin";
            options.LogoutPath = "/signout";
            options.AccessDeniedPath = "/denied";
            options.Cookie.Name = "hd.auth";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
        });
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            // A disabled member or a changed role reaches exports and page loads within a minute.
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            options.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(SignInClaims.Origin) is { } origin && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    identity.AddClaim(new Claim(SignInClaims.Origin, origin.Value));
                }

                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(Roles.All).Build())
            .AddPolicy(Policies.ApiRead, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.KeyOrCookieScheme)
                .RequireAssertion(context => context.User.HasClaim(c => c.Type == ApiKeyScopes.ClaimType) || Roles.All.Any(context.User.IsInRole)))
            .AddPolicy(Policies.ApiIngest, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.KeyOrCookieScheme)
                .RequireClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Ingest))
            .AddPolicy(Policies.Export, policy => policy.RequireRole(Roles.Admin, Roles.CSManager))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin));

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(IngestRateLimit, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptionsMonitor<IngestRateLimitOptions>>().CurrentValue;
                return RateLimitPartition.GetFixedWindowLimiter(context.User.Identity?.Name ?? "anonymous", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit,
                    Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many batches",
                        Detail = $"This API key may post at most its configured number of batches per window; retry after {retryAfter} s.",
                    },
                });
            };
        });
        services.Configure<IngestRateLimitOptions>(builder.Configuration.GetSection(IngestRateLimitOptions.Section));
        return builder;
    }

    private static void ConfigureIdentity(IdentityOptions options)
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
        options.Lockout.AllowedForNewUsers = true;
    }
}

/// <summary>The ingest rate limit per API key (<c>Api:RateLimit</c>): at most <see cref="PermitLimit"/> batches per window.</summary>
public sealed class IngestRateLimitOptions
{
    public const string Section = "Api:RateLimit";

    public int PermitLimit { get; set; } = 300;

    public int WindowSeconds { get; set; } = 10;
}

/// <summary>Adds the member's display name to the principal Identity builds (email and role are Identity's).</summary>
public sealed class TeamClaimsFactory(UserManager<TeamMember> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<TeamMember, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(TeamMember user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(SignInClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
