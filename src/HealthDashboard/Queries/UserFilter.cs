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
/// <c>min=60&amp;band=green&amp;segment=SMB&amp;event=report_created,dashboard_shared&amp;uses=5&amp;from=2026-11-01&amp;to=2026-11-28&amp;q=maya&amp;page=2</c>.
/// </summary>
public sealed record UserFilter : IGridFilter<UserFilter, UserSort>
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
    /// Keys of the event types ("features") whose uses count, empty: every type. A key the view does not
    /// know is ignored (a stale link shows everyone rather than no one).
    /// </summary>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Fewest uses of <see cref="EventTypes"/> in the period a user needs, null: 1 (used at all).</summary>
    public int? MinUses { get; init; }

    /// <summary>First day (UTC) of the period the uses are counted in, null: the scoring window.</summary>
    public DateTime? From { get; init; }

    /// <summary>Last day (UTC, inclusive) of the period, null: up to the as-of time.</summary>
    public DateTime? To { get; init; }

    /// <summary>Whether the feature filter is on: event types, a minimum count or a period is set.</summary>
    public bool HasFeatureFilter => EventTypes.Count > 0 || MinUses is not null || From is not null || To is not null;

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
    public bool HasFilters => MinEngagement is not null || Bands.Count > 0 || Segment is not null || HasFeatureFilter || Search is not null;

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
            EventTypes = QueryParams.List(q, "event"),
            MinUses = QueryParams.Int(q, "uses", 1, int.MaxValue),
            From = QueryParams.Date(q, "from"),
            To = QueryParams.Date(q, "to"),
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
            ("event", EventTypes.Count > 0 ? string.Join(',', EventTypes) : null),
            ("uses", QueryParams.Format(MinUses)),
            ("from", QueryParams.Format(From)),
            ("to", QueryParams.Format(To)),
            ("q", Search),
            ("sort", isDefaultOrder ? null : QueryParams.Format(Sort)),
            ("desc", isDefaultOrder || !Descending ? null : "1"),
            ("page", Page > 1 ? QueryParams.Format(Page) : null),
            ("size", PageSize != DefaultPageSize ? QueryParams.Format(PageSize) : null));
    }

    /// <inheritdoc />
    public UserFilter AtPage(int page, int pageSize) => this with { Page = page, PageSize = pageSize };

    /// <inheritdoc />
    public UserFilter OrderedLike(UserFilter current) =>
        this with { Sort = current.Sort, Descending = current.Descending, Page = 1, PageSize = current.PageSize };

    /// <summary>
    /// The order after a click on <paramref name="column"/>'s header: the other direction when it is the
    /// sort already, else the column's first direction (<see cref="StartsHighToLow"/>); from the first page.
    /// </summary>
    public UserFilter SortedBy(UserSort column) => this with
    {
        Sort = column,
        Descending = Sort == column ? !Descending : StartsHighToLow(column),
        Page = 1,
    };

    /// <summary>
    /// Whether a first click sorts the column high to low: engagement, the account's health, active days and
    /// last seen (most recent first) do; names, emails and account names do not.
    /// </summary>
    public static bool StartsHighToLow(UserSort column) =>
        column is UserSort.Engagement or UserSort.Health or UserSort.Days or UserSort.Seen;

    /// <summary>The same filters and sort, every row on one page (for exports).</summary>
    public UserFilter AllRows() => this with { Page = 1, PageSize = int.MaxValue };
}
