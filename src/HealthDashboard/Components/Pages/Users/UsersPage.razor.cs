using System.Globalization;
using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Users;

/// <summary>A user row with the account it belongs to, taken from the same view, and the feature filter's use count.</summary>
public sealed record UserRow(UserSummary User, AccountSummary Account, long? FeatureUses);

/// <summary>
/// The most engaged users across all accounts, for product managers: URL-bound filters and sort, a
/// server-side paged grid over <see cref="UserQuery"/>, and the outreach export of the same rows (the
/// first N of them when the user picks N).
/// </summary>
public sealed partial class UsersPage
{
    private static readonly int[] PageSizeOptions = [.. AccountFilter.PageSizes];
    private static readonly int?[] TopChoices = [25, 50, 100, 250, null];

    private IReadOnlyList<string> segments = [];
    private IReadOnlyList<(string Key, string Name)> eventTypes = [];
    private DateTime firstDay;
    private int? exportTop = 50;

    private DateTime AsOf => View?.AsOf ?? default;

    private string CountLine
    {
        get
        {
            var all = View?.Users.Count ?? 0;
            var users = TotalCount == 1 ? "user" : "users";
            return Filter.HasFilters
                ? $"{Format.Count(TotalCount)} of {Format.Count(all)} {(all == 1 ? "user" : "users")} match"
                : $"{Format.Count(TotalCount)} {users}, most engaged first";
        }
    }

    private string FeatureUsesTitle =>
        $"Uses of {(Filter.EventTypes.Count == 0 ? "any feature" : string.Join(", ", Filter.EventTypes))} " +
        (Filter.From is null && Filter.To is null ? "in the scoring window" : $"from {(Filter.From is { } f ? Format.Date(f) : "the start")} to {(Filter.To is { } t ? Format.Date(t) : "the as-of day")}");

    // The export has the matching rows in the grid's order (the first N when chosen), so paging stays out of its link.
    private string ExportHref
    {
        get
        {
            var query = Filter.AtPage(1, UserFilter.DefaultPageSize).ToQuery();
            var top = exportTop is { } n ? $"top={n}" : "";
            var joined = string.Join('&', new[] { query, top }.Where(part => part.Length > 0));
            return "export/users.csv" + (joined.Length > 0 ? "?" + joined : "");
        }
    }

    /// <inheritdoc />
    protected override string Route => "users";

    /// <inheritdoc />
    protected override Task ShowViewAsync(PortfolioView view)
    {
        segments = AccountQuery.Options(view).Segments;
        var data = view.Scored.Data;
        eventTypes = [.. data.EventTypeKeys.Select((key, i) => (key, data.EventTypeNames[i])).OrderBy(e => e.Item2, StringComparer.OrdinalIgnoreCase)];
        firstDay = view.AsOf.Date.AddDays(1 - ScoreBoard.LoadedUsageDays(view.Model.WindowDays));
        ShowRows(view);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override (IReadOnlyList<UserRow> Rows, int TotalCount, int Page) QueryPage(PortfolioView view)
    {
        var uses = UserQuery.FeatureUses(view, Filter);
        var page = UserQuery.Run(view, Filter, uses);
        return ([.. page.Rows.Select(u => new UserRow(u, view.Accounts[u.AccountIndex], uses?[u.Index]))], page.TotalCount, page.Page);
    }

    private static string TopText(int? top) => top is { } n ? $"Top {n}" : "All";

    private static string EngagementTitle(UserSummary user) => user.EngagementRaw > 0
        ? $"User engagement {user.Engagement:0.##} of 100 ({user.EngagementRaw:#,0.##} points)"
        : "No engagement points in the scoring window";

    private static string Points(double raw) => Indicators.RoundAway(raw).ToString("#,0", CultureInfo.InvariantCulture);

    // Users without points get an empty bar, not the curve's floor.
    private static string Width(UserSummary user) =>
        (user.EngagementRaw > 0 ? Math.Clamp(user.Engagement, 0, 100) : 0).ToString("0.#", CultureInfo.InvariantCulture);

}
