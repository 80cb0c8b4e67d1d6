namespace HealthDashboard.Queries;

/// <summary>
/// A grid page's filter that lives in the URL: read from and written to a query string, paged, and
/// sorted by a column of <typeparamref name="TSort"/>. <see cref="AccountFilter"/> and
/// <see cref="UserFilter"/> implement it so their pages share one URL-bound grid (UrlGridPage).
/// </summary>
/// <typeparam name="TSelf">The filter record itself.</typeparam>
/// <typeparam name="TSort">Its sort columns.</typeparam>
public interface IGridFilter<TSelf, TSort>
    where TSelf : IGridFilter<TSelf, TSort>
{
    /// <summary>The page shown, from 1.</summary>
    int Page { get; }

    /// <summary>Rows per page.</summary>
    int PageSize { get; }

    /// <summary>The sort column.</summary>
    TSort Sort { get; }

    /// <summary>True for high to low.</summary>
    bool Descending { get; }

    /// <summary>Reads a query string (with or without <c>?</c>); values that make no sense are ignored.</summary>
    static abstract TSelf FromQuery(string? query);

    /// <summary>The canonical query string (no leading <c>?</c>; defaults left out).</summary>
    string ToQuery();

    /// <summary>The order after a click on <paramref name="column"/>'s header, from the first page.</summary>
    TSelf SortedBy(TSort column);

    /// <summary>The same filters and order on another page or page size.</summary>
    TSelf AtPage(int page, int pageSize);

    /// <summary>These filters with the order and page size of <paramref name="current"/>, from the first page (a filter bar's change).</summary>
    TSelf OrderedLike(TSelf current);
}
