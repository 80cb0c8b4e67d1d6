using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Accounts;

/// <summary>
/// The account list: filters, sort and page live in the URL (bookmarkable, shared by the CSV export),
/// rows come page by page from <see cref="AccountQuery"/> over the shared view, and the grid reloads when
/// the scores change. Sorting is the page's own (<see cref="SortHeader"/> buttons), not the grid's, so the
/// order lives in the URL with the filters and numbers sort high to low on the first click. The circuit keeps only the filter and the rows of the page on screen.
/// </summary>
public sealed partial class AccountsPage
{
    private static readonly int[] PageSizeOptions = [.. AccountFilter.PageSizes];

    private MudDataGrid<AccountSummary>? grid;
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
    private NavigationManager Navigation { get; set; } = default!;

    private DateTime AsOf => View?.AsOf ?? default;

    private string CountLine => $"{Format.Count(totalCount)} {(totalCount == 1 ? "account" : "accounts")} · {Format.MoneyCompact(totalMrr)} MRR";

    private string SortLabel => filter.Sort switch
    {
        AccountSort.Risk => filter.Descending ? "healthiest first" : "by risk, then MRR",
        var sort => $"by {SortName(sort)} {(filter.Descending ? "high to low" : "low to high")}",
    };

    // The export has every matching row in the grid's order, so paging stays out of its link.
    private string ExportHref => "export/accounts.csv" + ((filter with { Page = 1, PageSize = AccountFilter.DefaultPageSize }).ToQuery() is { Length: > 0 } q ? "?" + q : "");

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        filter = AccountFilter.FromQuery(new Uri(Navigation.Uri).Query);
        Navigation.LocationChanged += OnLocationChanged;
        await base.OnInitializedAsync();
    }

    /// <summary>A new view: options and counts now, the rows when the grid reloads (or first draws).</summary>
    protected override async Task ShowViewAsync(PortfolioView view)
    {
        options = AccountQuery.Options(view);
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
        else
        {
            Show(view);
        }
    }

    /// <summary>Takes a view: band counts, totals, and the page clamped to what exists.</summary>
    private void Show(PortfolioView shown)
    {
        var page = AccountQuery.Run(shown, filter);
        filter = filter with { Page = page.Page };
        gridPage = page.Page - 1;
        totalCount = page.TotalCount;
        totalMrr = page.TotalMrr;
        bandCounts = AccountQuery.BandCounts(shown, filter);
    }

    /// <summary>The grid's data: the URL filter and sort plus the grid's page, one page of rows.</summary>
    private Task<GridData<AccountSummary>> LoadPageAsync(GridState<AccountSummary> state, CancellationToken cancellationToken)
    {
        var current = Board.Current ?? View;
        if (current is null)
        {
            return Task.FromResult(new GridData<AccountSummary> { Items = [], TotalItems = 0 });
        }

        // Moving to another page or page size is the user's step (a history entry); the first load is not.
        var paged = loaded && (filter.Page != state.Page + 1 || filter.PageSize != state.PageSize);
        filter = filter with { Page = state.Page + 1, PageSize = state.PageSize };
        var page = AccountQuery.Run(current, filter);
        totalCount = page.TotalCount;
        totalMrr = page.TotalMrr;
        bandCounts = AccountQuery.BandCounts(current, filter);
        loaded = true;
        SyncUrl(addHistoryEntry: paged);
        StateHasChanged();
        return Task.FromResult(new GridData<AccountSummary> { Items = page.Rows, TotalItems = page.TotalCount });
    }

    /// <summary>A new filter from the filter bar: first page, a history entry, grid reloaded.</summary>
    private async Task ApplyFilterAsync(AccountFilter changed)
    {
        filter = changed with { Sort = filter.Sort, Descending = filter.Descending, Page = 1, PageSize = filter.PageSize };
        SyncUrl(addHistoryEntry: true);
        await GridUrl.ReloadFromFirstPageAsync(grid);
    }

    /// <summary>A click on a column header: that column's order (numbers high to low first), from the first page.</summary>
    private async Task SortByAsync(AccountSort column)
    {
        filter = filter.SortedBy(column);
        SyncUrl(addHistoryEntry: true);
        await GridUrl.ReloadFromFirstPageAsync(grid);
    }

    private Task ClearFiltersAsync() => ApplyFilterAsync(new AccountFilter());

    private void SyncUrl(bool addHistoryEntry) => GridUrl.Show(Navigation, "accounts", filter.ToQuery(), addHistoryEntry);

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
            if (View is not null)
            {
                Show(View);
            }

            // A new grid starts at the page of the URL.
            loaded = false;
            gridKey++;
            StateHasChanged();
        });
    }

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
    public override void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        base.Dispose();
    }
}
