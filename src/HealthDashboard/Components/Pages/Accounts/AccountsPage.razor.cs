using HealthDashboard.Scores;
using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Accounts;

/// <summary>
/// The account list: filters, sort and page live in the URL (bookmarkable, shared by the CSV export),
/// rows come page by page from <see cref="AccountQuery"/> over the shared view, and the grid reloads when
/// the scores change. The circuit keeps only the filter and the rows of the page on screen.
/// </summary>
public sealed partial class AccountsPage : IDisposable
{
    private static readonly Dictionary<string, AccountSort> SortByColumn = new(StringComparer.Ordinal)
    {
        [nameof(AccountSummary.Name)] = AccountSort.Name,
        [nameof(AccountSummary.Health)] = AccountSort.Health,
        [nameof(AccountSummary.Trend)] = AccountSort.Trend,
        [nameof(AccountSummary.Mrr)] = AccountSort.Mrr,
        [nameof(AccountSummary.RenewalDate)] = AccountSort.Renewal,
        [nameof(AccountSummary.Owner)] = AccountSort.Owner,
        [nameof(AccountSummary.Segment)] = AccountSort.Segment,
        [nameof(AccountSummary.ActiveUsers)] = AccountSort.Users,
        [nameof(AccountSummary.LastActivity)] = AccountSort.Activity,
    };

    private static readonly int[] PageSizeOptions = [.. AccountFilter.PageSizes];

    private MudDataGrid<AccountSummary>? grid;
    private PortfolioView? view;
    private string? loadError;
    private AccountFilter filter = new();
    private AccountFilterOptions options = new([], [], []);
    private IReadOnlyDictionary<Band, int> bandCounts = new Dictionary<Band, int>();
    private int gridPage;
    private int gridKey;

    // False until the grid's first page arrived (the prerendered page shows "loading", not "no match").
    private bool loaded;
    private int totalCount;
    private double totalMrr;

    [Inject]
    private ScoreBoard Board { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private DateTime AsOf => view?.AsOf ?? default;

    private string CountLine => $"{Format.Count(totalCount)} {(totalCount == 1 ? "account" : "accounts")} · {Format.MoneyCompact(totalMrr)} MRR";

    private string SortLabel => filter.Sort switch
    {
        AccountSort.Risk => filter.Descending ? "healthiest first" : "by risk, then MRR",
        var sort => $"by {SortName(sort)} {(filter.Descending ? "descending" : "ascending")}",
    };

    // The export has every matching row in the grid's order, so paging stays out of its link.
    private string ExportHref => "export/accounts.csv" + ((filter with { Page = 1, PageSize = AccountFilter.DefaultPageSize }).ToQuery() is { Length: > 0 } q ? "?" + q : "");

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        filter = AccountFilter.FromQuery(new Uri(Navigation.Uri).Query);
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

    /// <summary>Takes a view: options, band counts, totals, and the page clamped to what exists.</summary>
    private void Show(PortfolioView shown)
    {
        view = shown;
        options = AccountQuery.Options(shown);
        var page = AccountQuery.Run(shown, filter);
        filter = filter with { Page = page.Page };
        gridPage = page.Page - 1;
        totalCount = page.TotalCount;
        totalMrr = page.TotalMrr;
        bandCounts = AccountQuery.BandCounts(shown, filter);
    }

    /// <summary>The grid's data: the URL filter plus the grid's sort and page, one page of rows.</summary>
    private Task<GridData<AccountSummary>> LoadPageAsync(GridState<AccountSummary> state, CancellationToken cancellationToken)
    {
        var current = Board.Current ?? view;
        if (current is null)
        {
            return Task.FromResult(new GridData<AccountSummary> { Items = [], TotalItems = 0 });
        }

        view = current;
        var sort = state.SortDefinitions.FirstOrDefault();
        var (sortBy, descending) = sort is not null && SortByColumn.TryGetValue(sort.SortBy, out var column)
            ? (column, sort.Descending)
            : (AccountSort.Risk, filter.Sort == AccountSort.Risk && filter.Descending);
        filter = filter with { Sort = sortBy, Descending = descending, Page = state.Page + 1, PageSize = state.PageSize };
        var page = AccountQuery.Run(current, filter);
        totalCount = page.TotalCount;
        totalMrr = page.TotalMrr;
        bandCounts = AccountQuery.BandCounts(current, filter);
        loaded = true;
        SyncUrl();
        StateHasChanged();
        return Task.FromResult(new GridData<AccountSummary> { Items = page.Rows, TotalItems = page.TotalCount });
    }

    /// <summary>A new filter from the filter bar: first page, URL replaced, grid reloaded.</summary>
    private async Task ApplyFilterAsync(AccountFilter changed)
    {
        filter = changed with { Sort = filter.Sort, Descending = filter.Descending, Page = 1, PageSize = filter.PageSize };
        SyncUrl();
        await GridUrl.ReloadFromFirstPageAsync(grid);
    }

    private Task ClearFiltersAsync() => ApplyFilterAsync(new AccountFilter());

    /// <summary>Writes the filter into the address bar without a new history entry.</summary>
    private void SyncUrl() => GridUrl.Replace(Navigation, "accounts", filter.ToQuery());

    /// <summary>Back, forward or a link to another account view: rebuild the grid from the new URL.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (GridUrl.QueryOn(e.Location, "accounts") is not { } query)
        {
            return;
        }

        var incoming = AccountFilter.FromQuery(query);
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

            // A new grid picks up the sort and page of the URL as its initial state.
            gridKey++;
            StateHasChanged();
        });
    }

    private void OnBoardChanged(PortfolioView changed) => _ = InvokeAsync(async () =>
    {
        view = changed;
        loadError = null;
        options = AccountQuery.Options(changed);
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
        else
        {
            Show(changed);
            StateHasChanged();
        }
    });

    private SortDirection InitialDirection(AccountSort column) =>
        filter.Sort != column ? SortDirection.None : filter.Descending ? SortDirection.Descending : SortDirection.Ascending;

    private static string AccountHref(AccountSummary account) => "accounts/" + Uri.EscapeDataString(account.Id);

    private static string SortName(AccountSort sort) => sort switch
    {
        AccountSort.Mrr => "MRR",
        AccountSort.Users => "active users",
        AccountSort.Activity => "last activity",
        AccountSort.Renewal => "renewal date",
        _ => sort.ToString().ToLowerInvariant(),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        Board.Changed -= OnBoardChanged;
        Navigation.LocationChanged -= OnLocationChanged;
    }
}
