using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>Columns the account list sorts by. The lower-case name is the <c>sort=</c> value of the URL.</summary>
public enum AccountSort
{
    /// <summary>Risk first (red, yellow, green), then MRR descending: the default triage order.</summary>
    Risk,
    Name,
    Health,
    Trend,
    Mrr,
    Renewal,
    Owner,
    Segment,
    Plan,

    /// <summary>Active users.</summary>
    Users,
    Seats,

    /// <summary>Last activity.</summary>
    Activity,
}

/// <summary>The Accounts grid's columns a member may hide (the account's name always shows). The lower-case name is the <c>hide=</c> value.</summary>
public enum AccountColumn
{
    Health,
    Trend,
    Mrr,
    Renewal,
    Owner,
    Segment,
    Users,
    Activity,
}

/// <summary>
/// What the Accounts page, its CSV export and the API show: filters, sort and page. Lives in the URL
/// (<see cref="FromQuery"/> / <see cref="ToQuery"/>), e.g.
/// <c>band=red&amp;segment=SMB&amp;renewal=30&amp;q=north&amp;sort=mrr&amp;desc=1&amp;page=2</c>.
/// </summary>
public sealed record AccountFilter : IGridFilter<AccountFilter, AccountSort>
{
    /// <summary>Rows per page unless the URL asks for another of <see cref="PageSizes"/>.</summary>
    public const int DefaultPageSize = 25;

    /// <summary>Page sizes a URL may ask for.</summary>
    public static IReadOnlyList<int> PageSizes { get; } = [10, 25, 50, 100];

    /// <summary>Longest renewal horizon accepted (ten years).</summary>
    public const int MaxRenewalDays = 3650;

    /// <summary>Bands to show (any of them), in risk order; empty: all bands.</summary>
    public IReadOnlyList<Band> Bands { get; init; } = [];

    /// <summary>Exact segment (case-insensitive), null: any.</summary>
    public string? Segment { get; init; }

    /// <summary>Only accounts with a CSM override active at the as-of time.</summary>
    public bool OnlyOverridden { get; init; }

    /// <summary>Exact owner (CSM, case-insensitive), null: any.</summary>
    public string? Owner { get; init; }

    /// <summary>Exact plan (case-insensitive), null: any.</summary>
    public string? Plan { get; init; }

    /// <summary>Only accounts renewing from the as-of day to this many days after it (calendar days), null: any.</summary>
    public int? RenewalWithinDays { get; init; }

    /// <summary>
    /// "My accounts": only the accounts <see cref="Me"/> owns (true), every account (false), or the role's
    /// default (null: CS managers open on their own accounts, everyone else on all). In the URL as <c>mine=1|0</c>.
    /// </summary>
    public bool? Mine { get; init; }

    /// <summary>Who "my" is: the signed-in member, set by the page or endpoint (never read from the URL).</summary>
    public AccountOwner? Me { get; init; }

    /// <summary>Whether only <see cref="Me"/>'s accounts show: <see cref="Mine"/>, else the role's default.</summary>
    public bool OnlyMine => Mine ?? Me?.IsCsManager ?? false;

    /// <summary>Only accounts carrying this tag (case-insensitive), null: any. In the URL as <c>tag=</c>.</summary>
    public string? Tag { get; init; }

    /// <summary>
    /// The tags <see cref="Tag"/> is tested against, set by the page or endpoint from the store (never read from the
    /// URL); without it a tag filter matches nothing.
    /// </summary>
    public AccountTagMap? TagMap { get; init; }

    /// <summary>Text the account name or id contains (case-insensitive), null: any.</summary>
    public string? Search { get; init; }

    /// <summary>Sort column.</summary>
    public AccountSort Sort { get; init; } = AccountSort.Risk;

    /// <summary>Reverse the column's natural order (ascending, or risk first). Empty values stay last either way.</summary>
    public bool Descending { get; init; }

    /// <summary>1-based page; a page past the end shows the last page.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Rows per page.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>
    /// Grid columns the member hid with the column chooser, in <see cref="AccountColumn"/> order (<c>hide=trend,users</c>):
    /// in the URL, so a saved view keeps them. Rows, counts and exports ignore it.
    /// </summary>
    public IReadOnlyList<AccountColumn> HiddenColumns { get; init; } = [];

    /// <summary>True when any filter (not sort or page) is set.</summary>
    public bool HasFilters => Bands.Count > 0 || Segment is not null || Owner is not null || Plan is not null || RenewalWithinDays is not null || Search is not null || OnlyOverridden || Tag is not null;

    /// <summary>Reads a query string (with or without <c>?</c>); values that make no sense are ignored.</summary>
    public static AccountFilter FromQuery(string? query)
    {
        var q = QueryParams.Parse(query);
        var pageSize = QueryParams.Int(q, "size", 1, int.MaxValue) is { } size && PageSizes.Contains(size) ? size : DefaultPageSize;
        return new AccountFilter
        {
            Bands = QueryParams.Bands(q, "band"),
            Segment = QueryParams.Text(q, "segment"),
            Owner = QueryParams.Text(q, "owner"),
            Plan = QueryParams.Text(q, "plan"),
            RenewalWithinDays = QueryParams.Int(q, "renewal", 0, MaxRenewalDays),
            Search = QueryParams.Text(q, "q"),
            Tag = QueryParams.Text(q, "tag") is { Length: <= Tasks.TagStore.MaxLength } tag ? tag : null,
            OnlyOverridden = QueryParams.Bool(q, "overridden") ?? false,
            Mine = QueryParams.Bool(q, "mine"),
            Sort = QueryParams.Enum<AccountSort>(q, "sort") ?? AccountSort.Risk,
            Descending = QueryParams.Bool(q, "desc") ?? false,
            Page = QueryParams.Int(q, "page", 1, int.MaxValue) ?? 1,
            PageSize = pageSize,
            HiddenColumns = [.. QueryParams.List(q, "hide").Select(v => v.All(char.IsAsciiLetter) && Enum.TryParse<AccountColumn>(v, ignoreCase: true, out var c) ? (AccountColumn?)c : null)
                .OfType<AccountColumn>().Distinct().Order()],
        };
    }

    /// <summary>The canonical query string (no leading <c>?</c>; defaults left out, so the default view is empty).</summary>
    public string ToQuery() => QueryParams.Build(
        ("band", QueryParams.Format(Bands)),
        ("segment", Segment),
        ("owner", Owner),
        ("plan", Plan),
        ("renewal", QueryParams.Format(RenewalWithinDays)),
        ("q", Search),
        ("tag", Tag),
        ("overridden", OnlyOverridden ? "1" : null),
        ("mine", Mine is { } mine ? (mine ? "1" : "0") : null),
        ("sort", Sort == AccountSort.Risk ? null : QueryParams.Format(Sort)),
        ("desc", Descending ? "1" : null),
        ("page", Page > 1 ? QueryParams.Format(Page) : null),
        ("size", PageSize != DefaultPageSize ? QueryParams.Format(PageSize) : null),
        ("hide", HiddenColumns.Count > 0 ? string.Join(',', HiddenColumns.Select(QueryParams.Format)) : null));

    /// <summary>The same view with <paramref name="column"/> shown or hidden (the page kept).</summary>
    public AccountFilter WithColumn(AccountColumn column, bool visible) => this with
    {
        HiddenColumns = [.. (visible ? HiddenColumns.Where(c => c != column) : HiddenColumns.Append(column)).Distinct().Order()],
    };

    /// <inheritdoc />
    public AccountFilter AtPage(int page, int pageSize) => this with { Page = page, PageSize = pageSize };

    /// <inheritdoc />
    public AccountFilter OrderedLike(AccountFilter current) =>
        this with { Sort = current.Sort, Descending = current.Descending, Page = 1, PageSize = current.PageSize, Me = current.Me, TagMap = current.TagMap };

    /// <summary>
    /// These filters for <paramref name="me"/>. A CS manager's default scope (their accounts) is made explicit
    /// so the URL shows it; everyone else's default (all) stays out of the URL.
    /// </summary>
    public AccountFilter For(AccountOwner? me) => this with { Me = me, Mine = Mine ?? (me is { IsCsManager: true } ? true : null) };

    /// <summary>
    /// The order after a click on <paramref name="column"/>'s header: the other direction when it is the
    /// sort already, else the column's first direction (<see cref="StartsHighToLow"/>); from the first page.
    /// </summary>
    public AccountFilter SortedBy(AccountSort column) => this with
    {
        Sort = column,
        Descending = Sort == column ? !Descending : StartsHighToLow(column),
        Page = 1,
    };

    /// <summary>
    /// Whether a first click sorts the column high to low: numbers (health, trend, MRR, users) and the last
    /// activity (most recent first) do; names, owners, segments and the renewal date (soonest first) do not.
    /// </summary>
    public static bool StartsHighToLow(AccountSort column) =>
        column is AccountSort.Health or AccountSort.Trend or AccountSort.Mrr or AccountSort.Users or AccountSort.Activity;

    /// <summary>The same filters and sort, every row on one page (for exports).</summary>
    public AccountFilter AllRows() => this with { Page = 1, PageSize = int.MaxValue };
}
