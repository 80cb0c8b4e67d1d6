using System.Text;
using HealthDashboard.Scores;
using HealthDashboard.Identity;
using HealthDashboard.Import;
using HealthDashboard.Queries;
using HealthDashboard.Scoring;

namespace HealthDashboard.Api;

/// <summary>
/// The HTTP API of DATA.md under <c>/api</c>: account scores (filter by band, segment, owner; paged),
/// one account taken apart, its users, and <c>POST /api/events</c> for usage rows. Reads come from the
/// shared score board (the numbers the pages show); writes go through the CSV importer, so a batch is
/// validated and refused exactly like a usage.csv file.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>Largest batch <c>POST /api/events</c> takes; bigger loads go through the import folder.</summary>
    public const int MaxBatch = 100_000;

    public static WebApplication MapApi(this WebApplication app)
    {
        // Keys and sign-in are checked in one place, the authorization middleware (Identity/ApiKeyAuthenticationHandler),
        // before an endpoint reads the request body.
        var read = app.MapGroup("/api").WithTags("Accounts").RequireAuthorization(Policies.ApiRead);
        read.MapGet("/accounts", ListAccountsAsync).WithSummary("Scored accounts, riskiest first (filters: band, segment, owner, plan, q; page, size)");
        read.MapGet("/accounts/{id}", GetAccountAsync).WithSummary("One account: score, indicators, contributions, trend");
        read.MapGet("/accounts/{id}/users", GetUsersAsync).WithSummary("The scored users of one account, most engaged first");

        app.MapGroup("/api").WithTags("Ingest").RequireAuthorization(Policies.ApiIngest).RequireRateLimiting(IdentitySetup.IngestRateLimit)
            .MapPost("/events", PostEventsAsync).WithSummary("Append usage rows (the fields of usage.csv); all or nothing");
        return app;
    }

    internal static async Task<IResult> ListAccountsAsync(HttpContext context, ScoreBoard board)
    {
        var view = await board.GetAsync().WaitAsync(context.RequestAborted);
        var filter = AccountFilter.FromQuery(context.Request.QueryString.Value);
        var page = AccountQuery.Run(view, filter);
        return Results.Ok(new ApiAccountPage(view.AsOf, view.ModelVersion, page.TotalCount, page.Page, page.PageSize,
            page.Rows.Select(ApiAccount.From).ToList()));
    }

    internal static async Task<IResult> GetAccountAsync(string id, HttpContext context, ScoreBoard board)
    {
        var view = await board.GetAsync().WaitAsync(context.RequestAborted);
        if (view.FindAccount(id) is not { } account)
        {
            return NotScored(id);
        }

        var explanation = view.Explain(account.Index);
        var indicators = explanation.Indicators
            .Select(p => new ApiIndicator(p.Indicator.ToKey(), Round(p.Value), Round(p.Raw), p.Weight, ApiAccount.Round(p.Contribution), p.MissingReason))
            .ToList();
        return Results.Ok(new ApiAccountDetail(view.AsOf, view.ModelVersion, ApiAccount.From(account), indicators, explanation.Summary));
    }

    internal static async Task<IResult> GetUsersAsync(string id, HttpContext context, ScoreBoard board)
    {
        var view = await board.GetAsync().WaitAsync(context.RequestAborted);
        if (view.FindAccount(id) is not { } account)
        {
            return NotScored(id);
        }

        return Results.Ok(view.UsersOf(account.Index)
            .OrderByDescending(u => u.EngagementRaw).ThenBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => new ApiUser(u.Id, u.Name, u.Email, ApiAccount.Round(u.EngagementRaw), ApiAccount.Round(u.Engagement), u.ActiveDays, u.LastSeen))
            .ToList());
    }

    internal static async Task<IResult> PostEventsAsync(List<ApiUsageEvent>? events, FolderImporter importer, ScoreBoard board, HttpContext context, CancellationToken cancellationToken)
    {
        if (events is null || events.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No events", detail: "Send a JSON array of usage rows.");
        }

        if (events.Count > MaxBatch)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Batch too large",
                detail: $"At most {MaxBatch:#,0} events per call ({events.Count:#,0} sent); import larger loads as usage.csv.");
        }

        // The batch becomes a usage.csv in memory: one validation, one transaction, the same rules as a file.
        await using var csv = new MemoryStream(Encoding.UTF8.GetBytes(ToCsv(events)));
        var result = await importer.ImportStreamsAsync(new Dictionary<string, Stream> { ["usage.csv"] = csv }, "api", AuditLog.ActorOf(context), cancellationToken);
        if (!result.Succeeded)
        {
            var problems = result.Problems.Select(p => p.Line is { } line
                ? $"events[{line - 2}]{(p.Column is null ? "" : "." + p.Column)}: {p.Message}"
                : p.Message).ToList();
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The batch was refused; nothing was stored",
                detail: $"{result.ProblemCount} problem(s).", extensions: new Dictionary<string, object?> { ["errors"] = problems });
        }

        _ = board.RefreshAsync(rescoreHistory: true, CancellationToken.None);
        return Results.Ok(new ApiIngestResult((int)result.TotalRows, result.NewModelVersion));
    }

    private static string ToCsv(List<ApiUsageEvent> events)
    {
        var text = new StringBuilder("account_id,user_id,event_type,timestamp,count\n");
        foreach (var e in events)
        {
            text.Append(ScoreCsv.Quote(e.AccountId ?? "")).Append(',')
                .Append(ScoreCsv.Quote(e.UserId ?? "")).Append(',')
                .Append(ScoreCsv.Quote(e.EventType ?? "")).Append(',')
                .Append(ScoreCsv.Quote(e.Timestamp ?? "")).Append(',')
                .Append(e.Count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")
                .Append('\n');
        }

        return text.ToString();
    }

    private static double? Round(double? value) => value is { } x ? ApiAccount.Round(x) : null;

    private static IResult NotScored(string id) => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Account not scored", detail: $"No scored account has the id '{id}' (unknown, churned or not yet created at the as-of time).");
}
