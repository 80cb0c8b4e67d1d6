using System.Globalization;
using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
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

    private MudDataGrid<UserRow>? grid;
    private UserFilter filter = new();
    private IReadOnlyList<string> segments = [];
    private IReadOnlyList<(string Key, string Name)> eventTypes = [];
    private DateTime firstDay;
    private int? exportTop = 50;
    private int gridPage;
    private int gridKey;

    // False until the grid's first page arrived (the prerendered page shows "loading", not "no match").
    private bool loaded;
    private int totalCount;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private DateTime AsOf => View?.AsOf ?? default;

    private string CountLine
    {
        get
        {
            var all = View?.Users.Count ?? 0;
            var users = totalCount == 1 ? "user" : "users";
            return filter.HasFilters
                ? $"{Format.Count(totalCount)} of {Format.Count(all)} {(all == 1 ? "user" : "users")} match"
                : $"{Format.Count(totalCount)} {users}, most engaged first";
        }
    }

    private string FeatureUsesTitle =>
        $"Uses of {(filter.EventTypes.Count == 0 ? "any feature" : string.Join(", ", filter.EventTypes))} " +
        (filter.From is null && filter.To is null ? "in the scoring window" : $"from {(filter.From is { } f ? Format.Date(f) : "the start")} to {(filter.To is { } t ? Format.Date(t) : "the as-of day")}");

    // The export has the matching rows in the grid's order (the first N when chosen), so paging stays out of its link.
    private string ExportHref
    {
        get
        {
            var query = (filter with { Page = 1, PageSize = UserFilter.DefaultPageSize }).ToQuery();
            var top = exportTop is { } n ? $"top={n}" : "";
            var joined = string.Join('&', new[] { query, top }.Where(part => part.Length > 0));
            return "export/users.csv" + (joined.Length > 0 ? "?" + joined : "");
        }
    }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        filter = UserFilter.FromQuery(new Uri(Navigation.Uri).Query);
        Navigation.LocationChanged += OnLocationChanged;
        await base.OnInitializedAsync();
    }

    /// <inheritdoc />
    protected override async Task ShowViewAsync(PortfolioView view)
    {
        segments = AccountQuery.Options(view).Segments;
        var data = view.Scored.Data;
        eventTypes = [.. data.EventTypeKeys.Select((key, i) => (key, data.EventTypeNames[i])).OrderBy(e => e.Item2, StringComparer.OrdinalIgnoreCase)];
        firstDay = view.AsOf.Date.AddDays(1 - ScoreBoard.LoadedUsageDays(view.Model.WindowDays));
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
        else
        {
            Show(view);
        }
    }

    private void Show(PortfolioView shown)
    {
        var page = UserQuery.Run(shown, filter);
        filter = filter with { Page = page.Page };
        gridPage = page.Page - 1;
        totalCount = page.TotalCount;
    }

    private Task<GridData<UserRow>> LoadPageAsync(GridState<UserRow> state, CancellationToken cancellationToken)
    {
        var current = Board.Current ?? View;
        if (current is null)
        {
            return Task.FromResult(new GridData<UserRow> { Items = [], TotalItems = 0 });
        }

        var paged = loaded && (filter.Page != state.Page + 1 || filter.PageSize != state.PageSize);
        filter = filter with { Page = state.Page + 1, PageSize = state.PageSize };
        var uses = UserQuery.FeatureUses(current, filter);
        var page = UserQuery.Run(current, filter, uses);
        totalCount = page.TotalCount;
        loaded = true;
        SyncUrl(addHistoryEntry: paged);
        StateHasChanged();
        var rows = page.Rows.Select(u => new UserRow(u, current.Accounts[u.AccountIndex], uses?[u.Index])).ToList();
        return Task.FromResult(new GridData<UserRow> { Items = rows, TotalItems = page.TotalCount });
    }

    private async Task ApplyFilterAsync(UserFilter changed)
    {
        filter = changed with { Sort = filter.Sort, Descending = filter.Descending, Page = 1, PageSize = filter.PageSize };
        SyncUrl(addHistoryEntry: true);
        await GridUrl.ReloadFromFirstPageAsync(grid);
    }

    /// <summary>A click on a column header: that column's order (numbers high to low first), from the first page.</summary>
    private async Task SortByAsync(UserSort column)
    {
        filter = filter.SortedBy(column);
        SyncUrl(addHistoryEntry: true);
        await GridUrl.ReloadFromFirstPageAsync(grid);
    }

    private Task ClearFiltersAsync() => ApplyFilterAsync(new UserFilter());

    private void SyncUrl(bool addHistoryEntry) => GridUrl.Show(Navigation, "users", filter.ToQuery(), addHistoryEntry);

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (GridUrl.QueryOn(e.Location, "users") is not { } query)
        {
            return;
        }

        var incoming = UserFilter.FromQuery(query);
        if (incoming.ToQuery() == filter.ToQuery())
        {
            return;
        }

        _ = InvokeAsync(() =>
        {
            filter = incoming;
            if (View is not null)
            {
                Show(View);
            }

            loaded = false;
            gridKey++;
            StateHasChanged();
        });
    }

    private static string TopText(int? top) => top is { } n ? $"Top {n}" : "All";

    private static string EngagementTitle(UserSummary user) => user.EngagementRaw > 0
        ? $"User engagement {user.Engagement:0.##} of 100 ({user.EngagementRaw:#,0.##} points)"
        : "No engagement points in the scoring window";

    private static string Points(double raw) => Indicators.RoundAway(raw).ToString("#,0", CultureInfo.InvariantCulture);

    // Users without points get an empty bar, not the curve's floor.
    private static string Width(UserSummary user) =>
        (user.EngagementRaw > 0 ? Math.Clamp(user.Engagement, 0, 100) : 0).ToString("0.#", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        base.Dispose();
    }
}
