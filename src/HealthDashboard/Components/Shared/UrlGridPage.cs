using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// What the URL-bound grid pages (Accounts, Users; Renewals for its filters) share: the filter lives in the query
/// string, each change the user makes (a filter, a sort, a page in <see cref="GridPager"/>) is a history entry so Back
/// undoes it, back/forward and links to another view rebuild the rows from the URL, and a new filter starts at the
/// first page. The page supplies its route, one page of rows (<see cref="QueryPage"/>, shown as <see cref="Rows"/>
/// by a grid given only those items) and what it shows beside the grid (<see cref="ShowTotals"/>).
/// </summary>
/// <typeparam name="TFilter">The page's filter record.</typeparam>
/// <typeparam name="TSort">Its sort columns.</typeparam>
/// <typeparam name="TRow">The grid's row type.</typeparam>
public abstract class UrlGridPage<TFilter, TSort, TRow> : ScoreBoardPage
    where TFilter : class, IGridFilter<TFilter, TSort>
{
    /// <summary>The filter, sort and page shown: always what the URL says.</summary>
    protected TFilter Filter { get; set; } = TFilter.FromQuery(null);

    /// <summary>
    /// The rows of the page on screen. They are computed from the shared view as soon as the page has it, so the
    /// prerendered HTML and the circuit's first render both show them (a grid with <c>ServerData</c> asked for them only
    /// after its first interactive render: one more render and round trip before the rows showed).
    /// </summary>
    protected IReadOnlyList<TRow> Rows { get; private set; } = [];

    /// <summary>False until the first rows were computed (the page shows "loading", not "no match").</summary>
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

    /// <summary>A new view (or new tags): the rows, totals and page number of the filter over it.</summary>
    protected void ShowRows(PortfolioView view)
    {
        var page = QueryPage(view);
        // The page clamped to what exists (a bookmarked page 40 of a list that shrank).
        Filter = Filter.AtPage(page.Page, Filter.PageSize);
        Rows = page.Rows;
        TotalCount = page.TotalCount;
        ShowTotals(view);
        Loaded = true;
    }

    /// <summary>The pager: another page or page size, a history entry.</summary>
    protected void ShowPage(GridPagerChange change)
    {
        Filter = Filter.AtPage(change.Page, change.PageSize);
        ShowAndSync(addHistoryEntry: true);
    }

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        base.OnAfterRender(firstRender);
        // The circuit's first render writes the filter (a default view's, a clamped page) into the address bar; the
        // prerender cannot (a navigation there is a redirect).
        if (firstRender)
        {
            SyncUrl(addHistoryEntry: false);
        }
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

    private Task ShowFromFirstPageAsync(TFilter changed)
    {
        Filter = changed.AtPage(1, changed.PageSize);
        ShowAndSync(addHistoryEntry: true);
        return Task.CompletedTask;
    }

    private void ShowAndSync(bool addHistoryEntry)
    {
        if (View is not null)
        {
            ShowRows(View);
        }

        SyncUrl(addHistoryEntry);
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
                ShowRows(View);
            }

            StateHasChanged();
        });
    }
}
