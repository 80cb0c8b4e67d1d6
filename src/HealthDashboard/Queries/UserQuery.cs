using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>One page of the user list and how many users the filter matched.</summary>
public sealed record UserPage(IReadOnlyList<UserSummary> Rows, int TotalCount, int Page, int PageSize)
{
    /// <summary>Number of pages (at least 1).</summary>
    public int PageCount => TotalCount == 0 ? 1 : (int)((TotalCount + (long)PageSize - 1) / PageSize);
}

/// <summary>
/// Filters, sorts and pages the shared <see cref="PortfolioView.Users"/> for the Users page and its
/// outreach export (same rows, same order).
/// </summary>
public static class UserQuery
{
    /// <summary>One page of users matching <paramref name="filter"/>, sorted.</summary>
    public static UserPage Run(PortfolioView view, UserFilter filter) => Run(view, filter, FeatureUses(view, filter));

    /// <summary>One page of users matching <paramref name="filter"/>, given the <see cref="FeatureUses"/> already counted.</summary>
    /// <remarks>
    /// Only the page's rows are kept: the matches are counted on the way. Listing every match first (100,000 users
    /// unfiltered) allocated a list of ~1-2 MB in the large-object heap on every grid query, garbage that only a full
    /// collection frees (bench part 18's peak working set). A page past the last (a stale URL) takes a second pass
    /// for the last page, as the clamp always did.
    /// </remarks>
    public static UserPage Run(PortfolioView view, UserFilter filter, long[]? featureUses)
    {
        var sorted = SortedUsers(view, filter.Sort, filter.Descending);
        var pageSize = Math.Max(1, filter.PageSize);
        var page = Math.Max(1, filter.Page);
        var (rows, total) = PageOf(sorted, filter, featureUses, (long)(page - 1) * pageSize, pageSize);
        var pageCount = Math.Max(1, (int)((total + (long)pageSize - 1) / pageSize));
        if (page > pageCount)
        {
            page = pageCount;
            (rows, _) = PageOf(sorted, filter, featureUses, (long)(page - 1) * pageSize, pageSize);
        }

        return new UserPage(rows, total, page, pageSize);
    }

    /// <summary>Every user matching <paramref name="filter"/> in its sort order (paging ignored).</summary>
    public static List<UserSummary> Matching(PortfolioView view, UserFilter filter) => Matching(view, filter, FeatureUses(view, filter));

    /// <summary>Every user matching <paramref name="filter"/>, given the <see cref="FeatureUses"/> already counted.</summary>
    public static List<UserSummary> Matching(PortfolioView view, UserFilter filter, long[]? featureUses) =>
        [.. SortedUsers(view, filter.Sort, filter.Descending).Where(u => Matches(u, filter, featureUses))];

    /// <summary>The matches from the <paramref name="skip"/>-th on (at most <paramref name="take"/>) and how many match in all.</summary>
    private static (List<UserSummary> Rows, int Total) PageOf(UserSummary[] sorted, UserFilter filter, long[]? featureUses, long skip, int take)
    {
        var rows = new List<UserSummary>(Math.Min(take, sorted.Length));
        var total = 0;
        foreach (var user in sorted)
        {
            if (!Matches(user, filter, featureUses))
            {
                continue;
            }

            if (total >= skip && rows.Count < take)
            {
                rows.Add(user);
            }

            total++;
        }

        return (rows, total);
    }

    private static bool Matches(UserSummary user, UserFilter filter, long[]? featureUses) =>
        Matches(user, filter) && (featureUses is null || featureUses[user.Index] >= (filter.MinUses ?? 1));

    /// <summary>
    /// Uses of the filter's event types (all types when it names none) per user (by
    /// <see cref="UserSummary.Index"/>) in its period: the scoring window's counts without a period, else the
    /// loaded usage rows of those days (the view holds <see cref="ScoreBoard.LoadedUsageDays"/> days).
    /// Null when the feature filter is off, or names only event types the view does not know.
    /// </summary>
    public static long[]? FeatureUses(PortfolioView view, UserFilter filter)
    {
        if (!filter.HasFeatureFilter)
        {
            return null;
        }

        var types = filter.EventTypes.Select(key => EventTypeIndex(view, key)).Where(t => t >= 0).ToHashSet();
        var onlyStaleTypes = filter.EventTypes.Count > 0 && types.Count == 0;
        if (onlyStaleTypes && filter.MinUses is null && filter.From is null && filter.To is null)
        {
            return null;
        }

        var agg = view.Scored.Aggregates;
        var uses = new long[view.Users.Count];
        bool Counts(int eventType) => types.Count == 0 ? !onlyStaleTypes : types.Contains(eventType);
        if (filter.From is null && filter.To is null)
        {
            for (var u = 0; u < uses.Length; u++)
            {
                for (var i = agg.UserEventOffsets[u]; i < agg.UserEventOffsets[u + 1]; i++)
                {
                    uses[u] += Counts(agg.UserEventTypes[i]) ? agg.UserEventCounts[i] : 0;
                }
            }

            return uses;
        }

        var usage = view.Scored.Data.Usage;
        var from = filter.From?.Date.Ticks ?? long.MinValue;
        var to = Math.Min(filter.To?.Date.AddDays(1).Ticks ?? long.MaxValue, view.AsOf.Ticks + 1);
        for (var i = FirstAtOrAfter(usage, from); i < usage.Length && usage[i].Ticks < to; i++)
        {
            var row = usage[i];
            var user = row.UserIndex >= 0 ? agg.LocalUserOf[row.UserIndex] : -1;
            if (user >= 0 && Counts(row.EventTypeIndex))
            {
                uses[user] += row.Count;
            }
        }

        return uses;
    }

    // Usage rows are sorted by time (PortfolioData checks): binary search for the period's first row.
    private static int FirstAtOrAfter(ReadOnlySpan<UsageRow> usage, long ticks)
    {
        int low = 0, high = usage.Length;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (usage[mid].Ticks < ticks)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Whether one user passes every filter but the event type (which needs the aggregates).</summary>
    public static bool Matches(UserSummary user, UserFilter filter)
    {
        if (filter.MinEngagement is { } min && user.Engagement < min)
        {
            return false;
        }

        if (filter.Bands.Count > 0 && !filter.Bands.Contains(user.AccountBand))
        {
            return false;
        }

        if (filter.Segment is { } segment && !string.Equals(segment, user.Segment, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return filter.Search is not { } search
            || Contains(user.Name, search) || Contains(user.Email, search) || Contains(user.Id, search) || Contains(user.AccountName, search);
    }

    /// <summary>The index of an event type key (ordinal, then case-insensitive), -1 when the view has none such.</summary>
    public static int EventTypeIndex(PortfolioView view, string key)
    {
        var keys = view.Scored.Data.EventTypeKeys;
        for (var pass = 0; pass < 2; pass++)
        {
            for (var t = 0; t < keys.Count; t++)
            {
                if (string.Equals(keys[t], key, pass == 0 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                {
                    return t;
                }
            }
        }

        return -1;
    }

    /// <summary>The order of <paramref name="sort"/>; empty values last in both directions, ties by id.</summary>
    public static Comparison<UserSummary> Comparer(PortfolioView view, UserSort sort, bool descending)
    {
        var health = view.Scored.Scores.Health;
        Comparison<UserSummary> key = sort switch
        {
            // The score saturates at 100 (the 90th percentile): raw points order the users it ties.
            UserSort.Engagement => (x, y) => x.Engagement != y.Engagement ? x.Engagement.CompareTo(y.Engagement) : x.EngagementRaw.CompareTo(y.EngagementRaw),
            UserSort.Name => (x, y) => Compare.Text(x.Name, y.Name),
            UserSort.Email => (x, y) => Compare.Text(x.Email, y.Email),
            UserSort.Account => (x, y) => Compare.Text(x.AccountName, y.AccountName),
            UserSort.Health => (x, y) => health[x.AccountIndex].CompareTo(health[y.AccountIndex]),
            UserSort.Days => (x, y) => x.ActiveDays.CompareTo(y.ActiveDays),
            UserSort.Seen => (x, y) => Compare.Values(x.LastSeen, y.LastSeen),
            _ => throw new ArgumentOutOfRangeException(nameof(sort)),
        };
        Func<UserSummary, bool> isEmpty = sort switch
        {
            UserSort.Name => u => u.Name is null,
            UserSort.Email => u => u.Email is null,
            UserSort.Seen => u => u.LastSeen is null,
            _ => static _ => false,
        };
        return Compare.Ordered(key, isEmpty, descending, (x, y) => string.CompareOrdinal(x.Id, y.Id));
    }

    /// <summary>
    /// Every user of <paramref name="view"/> in one order, sorted once per view and order and shared by every circuit:
    /// at 100,000 users a sort costs far more than the filter, and each grid page, sort click and export asked for one.
    /// The order is total (ties by id), so the sorted list filtered is the filtered list sorted.
    /// </summary>
    private static UserSummary[] SortedUsers(PortfolioView view, UserSort sort, bool descending) =>
        SortedByView.GetValue(view, static _ => new()).GetOrAdd((sort, descending), static (order, view) =>
        {
            var users = view.Users.ToArray();
            Array.Sort(users, System.Collections.Generic.Comparer<UserSummary>.Create(Comparer(view, order.Sort, order.Descending)));
            return users;
        }, view);

    // Weak on the view: the orders go with the view they sort.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PortfolioView, System.Collections.Concurrent.ConcurrentDictionary<(UserSort Sort, bool Descending), UserSummary[]>> SortedByView = new();

    private static bool Contains(string? text, string search) => text is not null && text.Contains(search, StringComparison.OrdinalIgnoreCase);
}
