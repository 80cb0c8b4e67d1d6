using System.Text;
using HealthDashboard.Csv;
using HealthDashboard.Identity;
using HealthDashboard.Import;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;

namespace HealthDashboard.Api;

/// <summary>
/// CSV downloads of the Accounts, Users and Renewals pages: <c>GET /export/accounts.csv?&lt;the page's query&gt;</c>,
/// <c>GET /export/users.csv?...</c> and <c>GET /export/renewals.csv?...</c>, every matching row in the page's order; and an empty template
/// per import file, <c>GET /import/templates/usage.csv</c> (its header row, from <see cref="ImportFiles"/>).
/// </summary>
public static class ExportEndpoints
{
    /// <summary>Maps the export endpoints.</summary>
    public static WebApplication MapExports(this WebApplication app)
    {
        var group = app.MapGroup("/export").ExcludeFromDescription().RequireAuthorization(Policies.Export);
        group.MapGet("/accounts.csv", ExportAccountsAsync);
        group.MapGet("/users.csv", ExportUsersAsync);
        group.MapGet("/renewals.csv", ExportRenewalsAsync);
        app.MapGet("/import/templates/{fileName}", WriteTemplateAsync).ExcludeFromDescription().RequireAuthorization(Policies.Admin);
        app.MapGet("/export/audit.csv", ExportAuditAsync).ExcludeFromDescription().RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>The URL of an import file's template.</summary>
    public static string TemplateUrl(ImportFileSpec file) => $"import/templates/{file.Name}";

    /// <summary>Writes the header row of an import file (its columns in DATA.md's order), or 404 for another name.</summary>
    internal static async Task WriteTemplateAsync(HttpContext context, string fileName)
    {
        var spec = ImportFiles.InOrder.FirstOrDefault(f => string.Equals(f.Name, fileName, StringComparison.OrdinalIgnoreCase));
        if (spec is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await WriteAsync(context, spec.Name, [CsvWriter.Record(spec.Columns)]);
    }

    /// <summary>Writes the accounts matching the request's query string.</summary>
    internal static async Task ExportAccountsAsync(HttpContext context, ScoreBoard board, TagStore tags)
    {
        var view = await board.GetAsync().WaitAsync(context.RequestAborted);
        await WriteAsync(context, $"accounts-{view.AsOf:yyyy-MM-dd}.csv", AccountsExport.Lines(view, await RequestAccountFilterAsync(context, tags)));
    }

    // "mine=1" (the page's My accounts) means the signed-in member's accounts; without it, every account.
    // The tags are read only when the query filters by one.
    private static async Task<AccountFilter> RequestAccountFilterAsync(HttpContext context, TagStore tags)
    {
        var query = AccountFilter.FromQuery(context.Request.QueryString.Value);
        return query with
        {
            Me = SignedInMember.Of(context.User).Owner,
            Mine = query.Mine ?? false,
            TagMap = query.Tag is null ? null : await tags.MapAsync(context.RequestAborted),
        };
    }

    /// <summary>Writes the renewals (overdue and the next four quarters) of the accounts matching the request's query string.</summary>
    internal static async Task ExportRenewalsAsync(HttpContext context, ScoreBoard board, TagStore tags)
    {
        var view = await board.GetAsync().WaitAsync(context.RequestAborted);
        await WriteAsync(context, $"renewals-{view.AsOf:yyyy-MM-dd}.csv", RenewalQuery.Lines(view, await RequestAccountFilterAsync(context, tags)));
    }

    /// <summary>Writes the users matching the request's query string.</summary>
    internal static async Task ExportUsersAsync(HttpContext context, ScoreBoard board)
    {
        var view = await board.GetAsync().WaitAsync(context.RequestAborted);
        var filter = UserFilter.FromQuery(context.Request.QueryString.Value);
        // top=N: the first N rows of the page's order ("Export top N for outreach"); absent or invalid: all.
        var top = QueryParams.Int(QueryParams.Parse(context.Request.QueryString.Value), "top", 1, int.MaxValue);
        var name = top is { } n ? $"users-top-{n}-{view.AsOf:yyyy-MM-dd}.csv" : $"users-{view.AsOf:yyyy-MM-dd}.csv";
        await WriteAsync(context, name, UsersExport.Lines(view, filter, top));
    }

    /// <summary>Writes the audit trail entries matching the audit page's filter (admins only).</summary>
    internal static async Task ExportAuditAsync(HttpContext context, AuditLog audit, TimeProvider clock)
    {
        var entries = await audit.QueryAsync(AuditFilter.FromQuery(context.Request.Query), context.RequestAborted);
        IEnumerable<string> Lines()
        {
            yield return CsvWriter.Record(["at", "actor", "action", "target", "details", "origin"]);
            foreach (var e in entries)
            {
                yield return CsvSafety.Record([CsvWriter.Time(e.At), e.Actor, e.Action, e.Target, e.Details, e.Origin]);
            }
        }

        await WriteAsync(context, $"audit-{clock.GetUtcNow():yyyy-MM-dd}.csv", Lines());
    }

    private static async Task WriteAsync(HttpContext context, string fileName, IEnumerable<string> lines)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        context.Response.Headers.CacheControl = "no-store";
        // No byte-order mark: RFC 4180 readers and scripts expect the header as the first bytes.
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true);
        foreach (var line in lines)
        {
            await writer.WriteAsync(line.AsMemory(), context.RequestAborted);
        }

        await writer.FlushAsync(context.RequestAborted);
    }
}
