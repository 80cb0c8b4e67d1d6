using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>Columns the user list sorts by. The lower-case name is the <c>sort=</c> value of the URL.</summary>
public enum UserSort
{
    /// <summary>User engagement score (the default, highest first).</summary>
    Engagement,
    Name,
    Email,

    /// <summary>Account name.</summary>
    Account,

    /// <summary>The account's health.</summary>
    Health,

    /// <summary>Active days in the window.</summary>
    Days,

    /// <summary>Last seen.</summary>
    Seen,
}

/// <summary>
/// What the Users page and its outreach export show. Lives in the URL, e.g.
/// <c>min=60&amp;band=green&amp;segment=SMB&amp;event=report_created&amp;q=maya&amp;page=2</c>.
/// </summary>
public sealed record UserFilter
{
    /// <summary>Rows per page unless the URL asks for another of <see cref="AccountFilter.PageSizes"/>.</summary>
    public const int DefaultPageSize = 25;

    /// <summary>Lowest user engagement score shown (0-100), null: any.</summary>
    public double? MinEngagement { get; init; }

    /// <summary>Bands of the user's account (any of them), in risk order; empty: all.</summary>
    public IReadOnlyList<Band> Bands { get; init; } = [];

    /// <summary>Segment of the user's account (case-insensitive), null: any.</summary>
    public string? Segment { get; init; }

    /// <summary>
    /// Key of an event type the user must have used in the window, null: any.
    /// A key the view does not know is ignored (a stale link shows everyone rather than no one).
    /// </summary>
    public string? EventType { get; init; }

    /// <summary>Text the user's name, email, id or account name contains (case-insensitive), null: any.</summary>
    public string? Search { get; init; }

    /// <summary>Sort column.</summary>
    public UserSort Sort { get; init; } = UserSort.Engagement;

    /// <summary>Reverse the column's natural order; the default is engagement descending.</summary>
    public bool Descending { get; init; } = true;

    /// <summary>1-based page; a page past the end shows the last page.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Rows per page.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>True when any filter (not sort or page) is set.</summary>
    public bool HasFilters => MinEngagement is not null || Bands.Count > 0 || Segment is not null || EventType is not null || Search is not null;

    /// <summary>Reads a query string (with or without <c>?</c>); values that make no sense are ignored.</summary>
    public static UserFilter FromQuery(string? query)
    {
        var q = QueryParams.Parse(query);
        var sort = QueryParams.Enum<UserSort>(q, "sort");
        var pageSize = QueryParams.Int(q, "size", 1, int.MaxValue) is { } size && AccountFilter.PageSizes.Contains(size) ? size : DefaultPageSize;
        return new UserFilter
        {
            MinEngagement = QueryParams.Number(q, "min", 0, 100) is { } min && min > 0 ? min : null,
            Bands = QueryParams.Bands(q, "band"),
            Segment = QueryParams.Text(q, "segment"),
            EventType = QueryParams.Text(q, "event"),
            Search = QueryParams.Text(q, "q"),
            Sort = sort ?? UserSort.Engagement,
            // Without a sort the default order is engagement, highest first; a chosen column starts ascending.
            Descending = QueryParams.Bool(q, "desc") ?? sort is null,
            Page = QueryParams.Int(q, "page", 1, int.MaxValue) ?? 1,
            PageSize = pageSize,
        };
    }

    /// <summary>The canonical query string (no leading <c>?</c>; defaults left out).</summary>
    public string ToQuery()
    {
        var isDefaultOrder = Sort == UserSort.Engagement && Descending;
        return QueryParams.Build(
            ("min", QueryParams.Format(MinEngagement)),
            ("band", QueryParams.Format(Bands)),
            ("segment", Segment),
            ("event", EventType),
            ("q", Search),
            ("sort", isDefaultOrder ? null : QueryParams.Format(Sort)),
            ("desc", isDefaultOrder || !Descending ? null : "1"),
            ("page", Page > 1 ? QueryParams.Format(Page) : null),
            ("size", PageSize != DefaultPageSize ? QueryParams.Format(PageSize) : null));
    }

    /// <summary>The same filters from the first page.</summary>
    public UserFilter FirstPage() => this with { Page = 1 };

    /// <summary>The same filters and sort, every row on one page (for exports).</summary>
    public UserFilter AllRows() => this with { Page = 1, PageSize = int.MaxValue };
}
