using System.Text;
using HealthDashboard.Csv;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Import;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
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

    /// <summary>The request header that makes a retried <c>POST /api/events</c> safe (README: Idempotency-Key).</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Longest idempotency key taken (a UUID needs 36 characters).</summary>
    public const int MaxIdempotencyKeyLength = 200;

    public static WebApplication MapApi(this WebApplication app)
    {
        // Keys and sign-in are checked in one place, the authorization middleware (Identity/ApiKeyAuthenticationHandler):
        // a caller without a key is answered 401 before anything is read or bound.
        var read = app.MapGroup("/api").WithTags("Accounts")
            .RequireAuthorization(Policies.ApiRead)
            .AddEndpointFilter(AnswerBusyDatabase);
        read.MapGet("/accounts", ListAccountsAsync).WithSummary("Scored accounts, riskiest first (filters: band, segment, owner, plan, q; page, size)");
        read.MapGet("/accounts/{id}", GetAccountAsync).WithSummary("One account: score, indicators, contributions, trend");
        read.MapGet("/accounts/{id}/users", GetUsersAsync).WithSummary("The scored users of one account, most engaged first");
        read.MapGet("/accounts/{id}/history", GetHistoryAsync)
            .Produces<ApiAccountHistory>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary($"One account's daily snapshots (00:00 UTC) from `from` to `to` (dates; default the {HistoryRangeDefaultDays} days up to today), as the history verb; `indicators` also holds the day's custom indicator scores by key");

        // One ingest group: the key's scope, the rate limit and the busy-database answer for every batch endpoint.
        var ingest = app.MapGroup("/api").WithTags("Ingest")
            .RequireAuthorization(Policies.ApiIngest)
            .RequireRateLimiting(IdentitySetup.IngestRateLimit)
            .AddEndpointFilter(AnswerBusyDatabase);
        BatchEndpoint(ingest.MapPost("/events", PostEventsAsync).Accepts<List<ApiUsageEvent>>("application/json"))
            .WithSummary("Append usage rows (the fields of usage.csv); all or nothing; optional Idempotency-Key header");
        BatchEndpoint(ingest.MapPost("/metrics", PostMetricsAsync).Accepts<List<ApiMetric>>("application/json"))
            .WithSummary("Append account metric rows (the fields of metrics.csv, value a JSON number); all or nothing; optional Idempotency-Key header");
        return app;
    }

    internal static async Task<IResult> ListAccountsAsync(HttpContext context, ScoreBoard board)
    {
        if (AccountsQueryCheck.Problems(context.Request.Query) is { Count: > 0 } problems)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad query parameters",
                detail: string.Join("; ", problems), extensions: new Dictionary<string, object?> { ["errors"] = problems });
        }

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
        // The built-in indicators, then the model's custom ones (keyed by their own keys): together they add up to the health.
        var indicators = explanation.Indicators
            .Select(p => new ApiIndicator(p.Indicator.ToKey(), Round(p.Value), Round(p.Raw), p.Weight, ApiAccount.Round(p.Contribution), p.MissingReason))
            .Concat(AccountBreakdown.For(view, account.Index).CustomRows
                .Select(c => new ApiIndicator(c.Key, Round(c.Value), Round(c.Raw), c.Weight, ApiAccount.Round(c.Contribution), c.MissingReason)))
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

    /// <summary>Days of history returned when <c>from</c> is not given.</summary>
    public const int HistoryRangeDefaultDays = 30;

    /// <summary>Longest history range one request takes.</summary>
    public const int HistoryRangeMaxDays = 3660;

    internal static async Task<IResult> GetHistoryAsync(string id, string? from, string? to, HttpContext context, SnapshotStore snapshots,
        [Microsoft.AspNetCore.Mvc.FromServices] AsOfClock asOfClock, Microsoft.EntityFrameworkCore.IDbContextFactory<HealthDbContext> dbFactory)
    {
        var problems = new List<string>();
        var toDay = ParseDay(to, "to", problems) ?? asOfClock.Now().Date;
        var fromDay = ParseDay(from, "from", problems) ?? toDay.AddDays(1 - HistoryRangeDefaultDays);
        if (problems.Count == 0 && fromDay > toDay)
        {
            problems.Add($"from {fromDay:yyyy-MM-dd} is after to {toDay:yyyy-MM-dd}.");
        }
        else if (problems.Count == 0 && (toDay - fromDay).TotalDays >= HistoryRangeMaxDays)
        {
            problems.Add($"from {fromDay:yyyy-MM-dd} to {toDay:yyyy-MM-dd} is longer than {HistoryRangeMaxDays} days.");
        }

        if (problems.Count > 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad query parameters",
                detail: string.Join("; ", problems), extensions: new Dictionary<string, object?> { ["errors"] = problems });
        }

        await using (var db = await dbFactory.CreateDbContextAsync(context.RequestAborted))
        {
            if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Accounts, a => a.ExternalId == id, context.RequestAborted))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Account not found", detail: $"There is no account '{id}'.");
            }
        }

        var rows = await snapshots.HistoryAsync(fromDay, toDay, id, context.RequestAborted);
        return Results.Ok(new ApiAccountHistory(id, DateOnly.FromDateTime(fromDay), DateOnly.FromDateTime(toDay), [.. rows.Select(ApiHistoryDay.From)]));
    }

    private static DateTime? ParseDay(string? text, string name, List<string> problems)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!AsOfClock.TryParse(text, out var day) || day.Year is < 1900 or >= 3000)
        {
            problems.Add($"{name} '{text}' is not a date (YYYY-MM-DD).");
            return null;
        }

        return DateTime.SpecifyKind(day.Date, DateTimeKind.Utc);
    }

    // What every batch endpoint answers, for the OpenAPI description.
    private static RouteHandlerBuilder BatchEndpoint(RouteHandlerBuilder endpoint) => endpoint
        .Produces<ApiIngestResult>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static Task<IResult> PostEventsAsync(HttpContext context, FolderImporter importer) =>
        PostBatchAsync(context, importer, EventBatchJson.Usage);

    /// <summary><c>POST /api/metrics</c>: the rules of <c>/api/events</c> for metrics.csv rows.</summary>
    internal static Task<IResult> PostMetricsAsync(HttpContext context, FolderImporter importer) =>
        PostBatchAsync(context, importer, EventBatchJson.Metrics);

    private static async Task<IResult> PostBatchAsync(HttpContext context, FolderImporter importer, EventBatchJson.Shape shape)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        if (request.ContentLength > EventBatchJson.MaxBodyBytes)
        {
            return BodyTooLarge();
        }

        if (!request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON expected",
                detail: "Send the batch as a JSON array with Content-Type: application/json.");
        }

        var idempotencyKey = request.Headers[IdempotencyHeader].ToString();
        if (request.Headers.ContainsKey(IdempotencyHeader)
            && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || !idempotencyKey.All(c => c is >= '!' and <= '~')))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Idempotency-Key",
                detail: $"The {IdempotencyHeader} header must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces (a UUID is best).");
        }

        // A chunked body has no length up front: it is cut off as soon as it passes the limit.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = EventBatchJson.MaxBodyBytes;
        }

        byte[]? body;
        try
        {
            body = await EventBatchJson.ReadBodyAsync(request.Body, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }

        if (body is null)
        {
            return BodyTooLarge();
        }

        var parsed = EventBatchJson.Parse(body, shape);
        if (!parsed.Ok)
        {
            return Refused(parsed.Errors, parsed.ErrorCount);
        }

        var rows = parsed.Rows;
        var rowName = $"{Path.GetFileNameWithoutExtension(shape.FileName)} rows";
        if (rows.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"No {shape.Item}", detail: $"Send a JSON array of {rowName}.");
        }

        if (rows.Count > MaxBatch)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Batch too large",
                detail: $"At most {MaxBatch:#,0} {shape.Item} per call ({rows.Count:#,0} sent); import larger loads as {shape.FileName}.");
        }

        // The batch becomes a CSV file in memory: one validation, one transaction, the same rules as a file.
        await using var csv = new MemoryStream(Encoding.UTF8.GetBytes(ToCsv(shape, rows)));
        var result = await importer.ImportStreamsAsync(new Dictionary<string, Stream> { [shape.FileName] = csv }, "api",
            AuditLog.ActorOf(context), idempotencyKey.Length > 0 ? idempotencyKey : null, cancellationToken);
        if (result.DatabaseBusy)
        {
            return BusyDatabase(context);
        }

        if (!result.Succeeded)
        {
            var problems = result.Problems.Select(p => p.Line is { } line
                ? $"{shape.Item}[{line - 2}]{(p.Column is null ? "" : "." + p.Column)}: {p.Message}"
                : $"batch: {p.Message}").ToList();
            return Refused(problems, result.ProblemCount);
        }

        if (result.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return Results.Ok(new ApiIngestResult((int)result.TotalRows, result.NewModelVersion));
    }

    private static IResult Refused(IReadOnlyList<string> errors, int errorCount) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The batch was refused; nothing was stored",
            detail: errorCount > errors.Count
                ? $"{errorCount} problem(s); the first {errors.Count} are listed."
                : $"{errorCount} problem(s).",
            extensions: new Dictionary<string, object?> { ["errors"] = errors, ["errorCount"] = errorCount });

    private static IResult BodyTooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
        detail: $"The body may hold at most {EventBatchJson.MaxBodyBytes / 1024 / 1024} MiB; import larger loads as usage.csv.");

    /// <summary>503 with <c>Retry-After</c>: another program holds the database's write lock beyond the busy timeout.</summary>
    private static IResult BusyDatabase(HttpContext context)
    {
        context.Response.Headers.RetryAfter = DatabaseBusy.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database busy",
            detail: $"{char.ToUpperInvariant(DatabaseBusy.Message[0])}{DatabaseBusy.Message[1..]}; nothing was changed. Try again in {DatabaseBusy.RetryAfterSeconds} seconds.");
    }

    /// <summary>Any API call that meets a busy database answers 503 rather than 500.</summary>
    private static async ValueTask<object?> AnswerBusyDatabase(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (DatabaseBusy.Is(e))
        {
            return BusyDatabase(context.HttpContext);
        }
    }

    private static string ToCsv(EventBatchJson.Shape shape, IReadOnlyList<string?[]> rows)
    {
        var text = new StringBuilder(CsvWriter.Record(shape.Fields));
        foreach (var row in rows)
        {
            text.Append(CsvWriter.Record(row));
        }

        return text.ToString();
    }

    private static double? Round(double? value) => value is { } x ? ApiAccount.Round(x) : null;

    private static IResult NotScored(string id) => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Account not scored", detail: $"No scored account has the id '{id}' (unknown, churned or not yet created at the as-of time).");
}
