using System.Globalization;
using HealthDashboard.Scores;
using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Users;

/// <summary>A user row with the account it belongs to, taken from the same view.</summary>
public sealed record UserRow(UserSummary User, AccountSummary Account);

/// <summary>
/// The most engaged users across all accounts, for product managers: URL-bound filters, a server-side
/// paged grid over <see cref="UserQuery"/>, and the outreach export of the same rows.
/// </summary>
public sealed partial class UsersPage : IDisposable
{
    private static readonly Dictionary<string, UserSort> SortByColumn = new(StringComparer.Ordinal)
    {
        ["User.Name"] = UserSort.Name,
        ["User.Email"] = UserSort.Email,
        ["Account.Name"] = UserSort.Account,
        ["User.Engagement"] = UserSort.Engagement,
        ["User.ActiveDays"] = UserSort.Days,
        ["User.LastSeen"] = UserSort.Seen,
    };

    private static readonly int[] PageSizeOptions = [.. AccountFilter.PageSizes];

    private MudDataGrid<UserRow>? grid;
    private PortfolioView? view;
    private string? loadError;
    private UserFilter filter = new();
    private IReadOnlyList<string> segments = [];
    private IReadOnlyList<(string Key, string Name)> eventTypes = [];
    private int gridPage;
    private int gridKey;

    // False until the grid's first page arrived (the prerendered page shows "loading", not "no match").
    private bool loaded;
    private int totalCount;

    [Inject]
    private ScoreBoard Board { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private DateTime AsOf => view?.AsOf ?? default;

    private string CountLine
    {
        get
        {
            var all = view?.Users.Count ?? 0;
            var users = totalCount == 1 ? "user" : "users";
            return filter.HasFilters
                ? $"{Format.Count(totalCount)} of {Format.Count(all)} {(all == 1 ? "user" : "users")} match"
                : $"{Format.Count(totalCount)} {users}, most engaged first";
        }
    }

    // The export has every matching row in the grid's order, so paging stays out of its link.
    private string ExportHref => "export/users.csv" + ((filter with { Page = 1, PageSize = UserFilter.DefaultPageSize }).ToQuery() is { Length: > 0 } q ? "?" + q : "");

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        filter = UserFilter.FromQuery(new Uri(Navigation.Uri).Query);
        Board.Changed += OnBoardChanged;
        Navigation.LocationChanged += OnLocationChanged;
        if (await Board.GetViewOrFailureAsync() is { } shown)
        {
            Show(shown);
        }
        else
        {
            loadError = Board.LastError;
        }
    }

    private void Show(PortfolioView shown)
    {
        view = shown;
        segments = AccountQuery.Options(shown).Segments;
        var data = shown.Scored.Data;
        eventTypes = [.. data.EventTypeKeys.Select((key, i) => (key, data.EventTypeNames[i])).OrderBy(e => e.Item2, StringComparer.OrdinalIgnoreCase)];
        var page = UserQuery.Run(shown, filter);
        filter = filter with { Page = page.Page };
        gridPage = page.Page - 1;
        totalCount = page.TotalCount;
    }

    private Task<GridData<UserRow>> LoadPageAsync(GridState<UserRow> state, CancellationToken cancellationToken)
    {
        var current = Board.Current ?? view;
        if (current is null)
        {
            return Task.FromResult(new GridData<UserRow> { Items = [], TotalItems = 0 });
        }

        view = current;
        var sort = state.SortDefinitions.FirstOrDefault();
        var (sortBy, descending) = sort is not null && SortByColumn.TryGetValue(sort.SortBy, out var column)
            ? (column, sort.Descending)
            : (UserSort.Engagement, true);
        filter = filter with { Sort = sortBy, Descending = descending, Page = state.Page + 1, PageSize = state.PageSize };
        var page = UserQuery.Run(current, filter);
        totalCount = page.TotalCount;
        loaded = true;
        SyncUrl();
        StateHasChanged();
        var rows = page.Rows.Select(u => new UserRow(u, current.Accounts[u.AccountIndex])).ToList();
        return Task.FromResult(new GridData<UserRow> { Items = rows, TotalItems = page.TotalCount });
    }

    private async Task ApplyFilterAsync(UserFilter changed)
    {
        filter = changed with { Sort = filter.Sort, Descending = filter.Descending, Page = 1, PageSize = filter.PageSize };
        SyncUrl();
        await GridUrl.ReloadFromFirstPageAsync(grid);
    }

    private Task ClearFiltersAsync() => ApplyFilterAsync(new UserFilter());

    private void SyncUrl() => GridUrl.Replace(Navigation, "users", filter.ToQuery());

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
            if (view is not null)
            {
                Show(view);
            }

            gridKey++;
            StateHasChanged();
        });
    }

    private void OnBoardChanged(PortfolioView changed) => _ = InvokeAsync(async () =>
    {
        loadError = null;
        if (grid is not null)
        {
            view = changed;
            await grid.ReloadServerData();
        }
        else
        {
            Show(changed);
            StateHasChanged();
        }
    });

    // The default order (engagement, highest first) shows no arrow; a chosen column does.
    private SortDirection InitialDirection(UserSort column) =>
        filter.Sort != column || (filter.Sort == UserSort.Engagement && filter.Descending)
            ? SortDirection.None
            : filter.Descending ? SortDirection.Descending : SortDirection.Ascending;

    private static string Points(double raw) => Indicators.RoundAway(raw).ToString("#,0", CultureInfo.InvariantCulture);

    private static string Width(double value) => Math.Clamp(value, 0, 100).ToString("0.#", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        Board.Changed -= OnBoardChanged;
        Navigation.LocationChanged -= OnLocationChanged;
    }
}
