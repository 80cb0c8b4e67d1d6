using System.Runtime.CompilerServices;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>One page of the account list and the totals of everything the filter matched.</summary>
/// <param name="Rows">The rows of this page, in order.</param>
/// <param name="TotalCount">Accounts the filter matched.</param>
/// <param name="TotalMrr">Their MRR.</param>
/// <param name="Page">The 1-based page shown (clamped to the last page).</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record AccountPage(IReadOnlyList<AccountSummary> Rows, int TotalCount, double TotalMrr, int Page, int PageSize)
{
    /// <summary>Number of pages (at least 1).</summary>
    public int PageCount => TotalCount == 0 ? 1 : (int)((TotalCount + (long)PageSize - 1) / PageSize);
}

/// <summary>Values the account filter selects offer, taken from the current view.</summary>
public sealed record AccountFilterOptions(IReadOnlyList<string> Segments, IReadOnlyList<string> Owners, IReadOnlyList<string> Plans);

/// <summary>
/// Filters, sorts and pages the shared <see cref="PortfolioView.Accounts"/> for the Accounts page,
/// the CSV export and the API, so all three show the same rows in the same order. Works on the
/// shared view (references only): nothing per circuit but the page it returns.
/// </summary>
public static class AccountQuery
{
    private static readonly ConditionalWeakTable<PortfolioView, AccountFilterOptions> OptionsCache = [];

    /// <summary>One page of accounts matching <paramref name="filter"/>, sorted.</summary>
    public static AccountPage Run(PortfolioView view, AccountFilter filter)
    {
        var rows = Matching(view, filter);
        var pageSize = Math.Max(1, filter.PageSize);
        var pageCount = Math.Max(1, (int)((rows.Count + (long)pageSize - 1) / pageSize));
        var page = Math.Clamp(filter.Page, 1, pageCount);
        var skip = (int)Math.Min(rows.Count, (long)(page - 1) * pageSize);
        var take = Math.Min(pageSize, rows.Count - skip);
        return new AccountPage(rows.GetRange(skip, take), rows.Count, rows.Sum(r => r.Mrr), page, pageSize);
    }

    /// <summary>Every account matching <paramref name="filter"/> in its sort order (paging ignored).</summary>
    public static List<AccountSummary> Matching(PortfolioView view, AccountFilter filter)
    {
        var rows = view.Accounts.Where(a => Matches(a, filter, view.AsOf)).ToList();
        rows.Sort(Comparer(filter.Sort, filter.Descending));
        return rows;
    }

    /// <summary>Whether one account passes every filter.</summary>
    public static bool Matches(AccountSummary account, AccountFilter filter, DateTime asOf)
    {
        if (filter.Bands.Count > 0 && !filter.Bands.Contains(account.Band))
        {
            return false;
        }

        if (filter.OnlyMine && !(filter.Me?.Owns(account.Owner) ?? false))
        {
            return false;
        }

        if (filter.OnlyOverridden && !account.IsOverridden)
        {
            return false;
        }

        if (!SameText(filter.Segment, account.Segment) || !SameText(filter.Owner, account.Owner) || !SameText(filter.Plan, account.Plan))
        {
            return false;
        }

        if (filter.Tag is { } tag && !(filter.TagMap?.Has(account.Id, tag) ?? false))
        {
            return false;
        }

        if (filter.RenewalWithinDays is { } within && !(DaysToRenewal(account, asOf) is { } days && days >= 0 && days <= within))
        {
            return false;
        }

        return filter.Search is not { } search
            || account.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
            || account.Id.Contains(search, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// How many accounts each band would show with every other filter of <paramref name="filter"/> kept:
    /// the counts beside the band chips.
    /// </summary>
    public static IReadOnlyDictionary<Band, int> BandCounts(PortfolioView view, AccountFilter filter)
    {
        var counts = new Dictionary<Band, int> { [Band.Red] = 0, [Band.Yellow] = 0, [Band.Green] = 0 };
        var anyBand = filter with { Bands = [] };
        foreach (var account in view.Accounts)
        {
            if (Matches(account, anyBand, view.AsOf))
            {
                counts[account.Band]++;
            }
        }

        return counts;
    }

    /// <summary>Calendar days from the as-of day to the renewal date (negative when past), null without a date.</summary>
    public static int? DaysToRenewal(AccountSummary account, DateTime asOf) =>
        account.RenewalDate is { } renewal ? (renewal.Date - asOf.Date).Days : null;

    /// <summary>The distinct segments, owners and plans of the view, sorted; computed once per view and shared.</summary>
    public static AccountFilterOptions Options(PortfolioView view) => OptionsCache.GetValue(view, static v => new AccountFilterOptions(
        Distinct(v.Accounts.Select(a => a.Segment)),
        Distinct(v.Accounts.Select(a => a.Owner)),
        Distinct(v.Accounts.Select(a => a.Plan))));

    /// <summary>The order of <paramref name="sort"/>; empty values last in both directions, ties by id.</summary>
    public static Comparison<AccountSummary> Comparer(AccountSort sort, bool descending)
    {
        Comparison<AccountSummary> key = sort switch
        {
            AccountSort.Risk => (x, y) => x.RiskRank != y.RiskRank ? x.RiskRank.CompareTo(y.RiskRank) : y.Mrr.CompareTo(x.Mrr),
            AccountSort.Name => (x, y) => Compare.Text(x.Name, y.Name),
            AccountSort.Health => (x, y) => x.Health.CompareTo(y.Health),
            AccountSort.Trend => (x, y) => Compare.Values(x.Trend, y.Trend),
            AccountSort.Mrr => (x, y) => x.Mrr.CompareTo(y.Mrr),
            AccountSort.Renewal => (x, y) => Compare.Values(x.RenewalDate, y.RenewalDate),
            AccountSort.Owner => (x, y) => Compare.Text(x.Owner, y.Owner),
            AccountSort.Segment => (x, y) => Compare.Text(x.Segment, y.Segment),
            AccountSort.Plan => (x, y) => Compare.Text(x.Plan, y.Plan),
            AccountSort.Users => (x, y) => x.ActiveUsers.CompareTo(y.ActiveUsers),
            AccountSort.Seats => (x, y) => x.Seats.CompareTo(y.Seats),
            AccountSort.Activity => (x, y) => Compare.Values(x.LastActivity, y.LastActivity),
            _ => throw new ArgumentOutOfRangeException(nameof(sort)),
        };
        Func<AccountSummary, bool> isEmpty = sort switch
        {
            AccountSort.Trend => a => a.Trend is null,
            AccountSort.Renewal => a => a.RenewalDate is null,
            AccountSort.Owner => a => a.Owner is null,
            AccountSort.Segment => a => a.Segment is null,
            AccountSort.Plan => a => a.Plan is null,
            AccountSort.Activity => a => a.LastActivity is null,
            _ => static _ => false,
        };
        return Compare.Ordered(key, isEmpty, descending, (x, y) => string.CompareOrdinal(x.Id, y.Id));
    }

    private static bool SameText(string? wanted, string? actual) =>
        wanted is null || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);

    private static string[] Distinct(IEnumerable<string?> values) =>
        [.. values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>Comparison building blocks shared by the account and user queries.</summary>
internal static class Compare
{
    /// <summary>Case-insensitive text order, then ordinal so the order is total.</summary>
    public static int Text(string? x, string? y)
    {
        var c = string.Compare(x, y, StringComparison.OrdinalIgnoreCase);
        return c != 0 ? c : string.CompareOrdinal(x, y);
    }

    /// <summary>Order of two optional values (nulls are handled by <see cref="Ordered{T}"/>).</summary>
    public static int Values<T>(T? x, T? y) where T : struct, IComparable<T> =>
        x is { } a && y is { } b ? a.CompareTo(b) : 0;

    /// <summary>
    /// <paramref name="key"/>, reversed when <paramref name="descending"/>, with empty values last in
    /// either direction and <paramref name="tieBreak"/> (never reversed) last, so paging is stable.
    /// </summary>
    public static Comparison<T> Ordered<T>(Comparison<T> key, Func<T, bool> isEmpty, bool descending, Comparison<T> tieBreak) => (x, y) =>
    {
        bool xEmpty = isEmpty(x), yEmpty = isEmpty(y);
        if (xEmpty != yEmpty)
        {
            return xEmpty ? 1 : -1;
        }

        var c = xEmpty ? 0 : key(x, y);
        if (c != 0)
        {
            return descending ? -c : c;
        }

        return tieBreak(x, y);
    };
}
