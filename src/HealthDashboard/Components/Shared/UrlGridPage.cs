using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// What the URL-bound grid pages (Accounts, Users) share: the filter lives in the query string, each change
/// the user makes (a filter, a sort, a page) is a history entry so Back undoes it, back/forward and links to
/// another view rebuild the grid from the URL, and a new filter starts at the first page. The page supplies
/// its route, one page of rows (<see cref="QueryPage"/>) and what it shows beside the grid
/// (<see cref="ShowTotals"/>).
/// </summary>
/// <typeparam name="TFilter">The page's filter record.</typeparam>
/// <typeparam name="TSort">Its sort columns.</typeparam>
/// <typeparam name="TRow">The grid's row type.</typeparam>
public abstract class UrlGridPage<TFilter, TSort, TRow> : ScoreBoardPage
    where TFilter : class, IGridFilter<TFilter, TSort>
{
    /// <summary>The filter, sort and page shown: always what the URL says.</summary>
    protected TFilter Filter { get; set; } = TFilter.FromQuery(null);

    /// <summary>The server-side grid (set by <c>@ref</c>), null before the first render.</summary>
    protected MudDataGrid<TRow>? Grid { get; set; }

    /// <summary>The grid's zero-based page (bound to <c>CurrentPage</c>).</summary>
    protected int GridPage { get; set; }

    /// <summary>Bumped to start a new grid at the URL's page (a <c>@key</c>).</summary>
    protected int GridKey { get; private set; }

    /// <summary>False until the grid's first page arrived (the prerendered page shows "loading", not "no match").</summary>
    protected bool Loaded { get; private set; }

    /// <summary>The number of rows matching the filter.</summary>
    protected int TotalCount { get; private set; }

    /// <summary>The signed-in member (Nobody until initialized).</summary>
    protected SignedInMember Member { get; private set; } = SignedInMember.Nobody;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The saved views (the member's default view opens when the URL has no query).</summary>
    [Inject]
    private SavedViewStore SavedViews { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>What a saved view of this page stores: the URL's query at the first page.</summary>
    protected string ViewQuery => Filter.AtPage(1, Filter.PageSize).ToQuery();

    /// <summary>The page's path without a slash, e.g. <c>accounts</c>.</summary>
    protected abstract string Route { get; }

    /// <summary>One page of rows of <paramref name="view"/> for <see cref="Filter"/>, and the number of matches.</summary>
    protected abstract (IReadOnlyList<TRow> Rows, int TotalCount, int Page) QueryPage(PortfolioView view);

    /// <summary>The filter a URL's query means for this page and member (e.g. the role's default scope made explicit); the query's own by default.</summary>
    protected virtual TFilter FilterOf(string? query) => TFilter.FromQuery(query);

    /// <summary>What the page shows beside the rows for <paramref name="view"/> and <see cref="Filter"/> (counts, totals); nothing by default.</summary>
    protected virtual void ShowTotals(PortfolioView view)
    {
    }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        Member = await SignedInMember.OfAsync(AuthenticationState);
        var query = new Uri(Navigation.Uri).Query;
        if (query.Length <= 1 && await SavedViews.DefaultQueryAsync(Member, Route) is { } preferred)
        {
            // The member's default view; the first load writes it into the address bar.
            query = preferred;
        }

        Filter = FilterOf(query);
        Navigation.LocationChanged += OnLocationChanged;
        await base.OnInitializedAsync();
    }

    /// <summary>A new view: the grid reloads its page, or (before its first render) the totals and the page number are set.</summary>
    protected async Task ShowRowsAsync(PortfolioView view)
    {
        if (Grid is not null)
        {
            await Grid.ReloadServerData();
        }
        else
        {
            ShowFirst(view);
        }
    }

    /// <summary>The grid's data: the URL's filter and sort plus the grid's page, one page of rows.</summary>
    protected Task<GridData<TRow>> LoadPageAsync(GridState<TRow> state, CancellationToken cancellationToken)
    {
        var current = Board.Current ?? View;
        if (current is null)
        {
            return Task.FromResult(new GridData<TRow> { Items = [], TotalItems = 0 });
        }

        // Moving to another page or page size is the user's step (a history entry); the first load is not.
        var paged = Loaded && (Filter.Page != state.Page + 1 || Filter.PageSize != state.PageSize);
        Filter = Filter.AtPage(state.Page + 1, state.PageSize);
        var page = QueryPage(current);
        TotalCount = page.TotalCount;
        ShowTotals(current);
        Loaded = true;
        SyncUrl(addHistoryEntry: paged);
        StateHasChanged();
        return Task.FromResult(new GridData<TRow> { Items = page.Rows, TotalItems = page.TotalCount });
    }

    /// <summary>A new filter from the filter bar: the current order, the first page, a history entry.</summary>
    protected Task ApplyFilterAsync(TFilter changed) => ShowFromFirstPageAsync(changed.OrderedLike(Filter));

    /// <summary>A click on a column header: that column's order (numbers high to low first), from the first page.</summary>
    protected Task SortByAsync(TSort column) => ShowFromFirstPageAsync(Filter.SortedBy(column));

    /// <summary>Every filter off, the order kept.</summary>
    protected virtual Task ClearFiltersAsync() => ApplyFilterAsync(FilterOf(null));

    /// <inheritdoc />
    public override void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task ShowFromFirstPageAsync(TFilter changed)
    {
        Filter = changed;
        SyncUrl(addHistoryEntry: true);
        if (Grid is null)
        {
            return;
        }

        // Moving to the first page reloads by itself.
        if (Grid.CurrentPage != 0)
        {
            Grid.NavigateTo(MudBlazor.Page.First);
        }
        else
        {
            await Grid.ReloadServerData();
        }
    }

    // Totals and the page clamped to what exists, before the grid asks for its rows.
    private void ShowFirst(PortfolioView view)
    {
        var page = QueryPage(view);
        Filter = Filter.AtPage(page.Page, Filter.PageSize);
        GridPage = page.Page - 1;
        TotalCount = page.TotalCount;
        ShowTotals(view);
    }

    /// <summary>
    /// Puts the filter into the address bar. A change the user made adds a history entry so Back undoes it;
    /// a correction the page made by itself (a page number past the end) replaces the entry.
    /// </summary>
    private void SyncUrl(bool addHistoryEntry)
    {
        var query = Filter.ToQuery();
        var wanted = Navigation.ToAbsoluteUri(Route + (query.Length > 0 ? "?" + query : "")).ToString();
        if (!string.Equals(wanted, Navigation.Uri, StringComparison.Ordinal))
        {
            Navigation.NavigateTo(wanted, new NavigationOptions { ReplaceHistoryEntry = !addHistoryEntry });
        }
    }

    /// <summary>Back, forward or a link to another view of this page: rebuild the grid from the new URL.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var uri = new Uri(e.Location);
        if (!uri.AbsolutePath.TrimEnd('/').EndsWith("/" + Route, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var incoming = FilterOf(uri.Query);
        if (incoming.ToQuery() == Filter.ToQuery())
        {
            return;
        }

        _ = InvokeAsync(() =>
        {
            Filter = incoming;
            if (View is not null)
            {
                ShowFirst(View);
            }

            // A new grid starts at the page of the URL.
            Loaded = false;
            GridKey++;
            StateHasChanged();
        });
    }
}
