using System.Runtime.InteropServices;

namespace HealthDashboard.Scoring;

/// <summary>A customer account (SCORING.md "Account"). Times are UTC.</summary>
public sealed record AccountInfo(
    string Id,
    string Name,
    DateTime CreatedAt,
    DateTime? ChurnedAt = null,
    int Seats = 0,
    double Mrr = 0,
    string? Segment = null,
    string? Plan = null,
    string? Owner = null,
    DateTime? RenewalDate = null);

/// <summary>A user of an account; <see cref="AccountIndex"/> points into <see cref="PortfolioData.Accounts"/>.</summary>
public sealed record UserInfo(string Id, int AccountIndex, DateTime? CreatedAt = null, string? Name = null, string? Email = null);

/// <summary>
/// One usage row: <see cref="Count"/> events of one type at one time, by a user
/// (<see cref="UserIndex"/> into <see cref="PortfolioData.Users"/>) or account-level (-1).
/// </summary>
/// <remarks>Auto layout packs the long first: 24 bytes a row instead of 32, at tens of millions of rows.</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct UsageRow(int AccountIndex, int UserIndex, int EventTypeIndex, long Ticks, int Count);

/// <summary>A support ticket.</summary>
public sealed record TicketInfo(
    string Id,
    int AccountIndex,
    DateTime OpenedAt,
    DateTime? ClosedAt = null,
    bool Escalated = false,
    int? Satisfaction = null,
    string? Priority = null);

/// <summary>Kind of survey response.</summary>
public enum SurveyKind
{
    Nps,
    Csat,
}

/// <summary>A survey response (NPS 0-10 or CSAT 1-5).</summary>
public sealed record SurveyInfo(int AccountIndex, int UserIndex, DateTime RespondedAt, SurveyKind Kind, double Score);

/// <summary>A revenue history entry; <see cref="Sequence"/> orders entries of the same date (later import wins).</summary>
public sealed record RevenueEntry(int AccountIndex, DateTime Date, double Mrr, long Sequence = 0);

/// <summary>
/// One row of <c>metrics.csv</c>: an account metric's value at a time. <see cref="Sequence"/> orders rows imported
/// one after the other (of rows at the same time, the last imported counts).
/// </summary>
public readonly record struct MetricRow(int AccountIndex, string Metric, long Ticks, double Value, long Sequence = 0);

/// <summary>
/// One metric's rows grouped by account, each account's sorted by time then import sequence, so the value at T is
/// the last row at or before T (a binary search).
/// </summary>
public sealed class MetricSeries
{
    internal MetricSeries(int accountCount, IEnumerable<MetricRow> rows)
    {
        var sorted = rows.OrderBy(r => r.AccountIndex).ThenBy(r => r.Ticks).ThenBy(r => r.Sequence).ToArray();
        Offsets = new int[accountCount + 1];
        Ticks = new long[sorted.Length];
        Values = new double[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            Offsets[sorted[i].AccountIndex + 1]++;
            Ticks[i] = sorted[i].Ticks;
            Values[i] = sorted[i].Value;
        }

        for (var a = 0; a < accountCount; a++)
        {
            Offsets[a + 1] += Offsets[a];
        }
    }

    /// <summary>Account a's rows are [Offsets[a], Offsets[a + 1]).</summary>
    public int[] Offsets { get; }

    public long[] Ticks { get; }

    public double[] Values { get; }

    /// <summary>
    /// The index of the account's value at <paramref name="asOf"/>: its last row with T - A days &lt; time &lt;= T
    /// (of equal times, the last imported), or -1 when it has none.
    /// </summary>
    public int ValueAt(int accountIndex, long asOf, int maxAgeDays)
    {
        int lo = Offsets[accountIndex], hi = Offsets[accountIndex + 1];
        var first = lo;
        var minTicks = asOf - (maxAgeDays * TimeSpan.TicksPerDay);
        // Scoring "now" reads every account's last row: no search needed when it is at or before T.
        if (hi > lo && Ticks[hi - 1] <= asOf)
        {
            return Ticks[hi - 1] > minTicks ? hi - 1 : -1;
        }

        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Ticks[mid] <= asOf)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var last = lo - 1;
        return last >= first && Ticks[last] > minTicks ? last : -1;
    }
}

/// <summary>
/// A CS manager's override of an account's health (SCORING.md "Overrides"): value V (1-100) from
/// <see cref="From"/> until <see cref="Until"/>, ended early at <see cref="EndedAt"/> when someone ended it.
/// <see cref="Sequence"/> orders overrides set one after the other (the later set wins when two are active).
/// </summary>
public sealed record OverrideInfo(
    int AccountIndex,
    double Value,
    DateTime From,
    DateTime Until,
    string Reason,
    string SetBy,
    DateTime? EndedAt = null,
    long Sequence = 0)
{
    /// <summary>The longest an override may last: <see cref="Until"/> at most this many days after <see cref="From"/>.</summary>
    public const int MaxDays = 90;

    /// <summary>When it stops being active: the expiry, or the early end when that came first.</summary>
    public DateTime EffectiveUntil => EndedAt is { } ended && ended < Until ? ended : Until;

    /// <summary>Active at <paramref name="asOf"/>: From &lt;= T &lt; Until, and not ended at or before T.</summary>
    public bool IsActiveAt(DateTime asOf) => From <= asOf && asOf < EffectiveUntil;
}

/// <summary>
/// Everything scoring reads, in memory, with no I/O: the portfolio as loaded from the store.
/// Usage rows must be in UTC day order with each day's rows at its midnight first (the constructor checks); inside a
/// day the rest may come in any order (a load from the daily roll-up keeps the roll-up's key order, which is what makes
/// <see cref="WindowAggregates"/> walk its arrays in order). Rows sorted by time are in that order. A day inside which
/// a window starts or ends must be sorted by time (the loader reads such days raw and sorts them).
/// The usage array may cover only the span the caller needs (e.g. the window and the trend's window).
/// </summary>
public sealed class PortfolioData
{
    public PortfolioData(
        IReadOnlyList<AccountInfo> accounts,
        IReadOnlyList<UserInfo> users,
        IReadOnlyList<string> eventTypeKeys,
        UsageRow[] usage,
        IReadOnlyList<TicketInfo>? tickets = null,
        IReadOnlyList<SurveyInfo>? surveys = null,
        IReadOnlyList<RevenueEntry>? revenue = null,
        IReadOnlyList<string>? eventTypeNames = null,
        IReadOnlyList<OverrideInfo>? overrides = null,
        IReadOnlyList<MetricRow>? metrics = null)
    {
        Accounts = accounts;
        Users = users;
        EventTypeKeys = eventTypeKeys;
        EventTypeNames = eventTypeNames ?? eventTypeKeys;
        Usage = usage;
        Tickets = tickets ?? [];
        Surveys = surveys ?? [];
        Revenue = revenue ?? [];
        Overrides = overrides ?? [];
        Metrics = metrics ?? [];
        CheckUsageOrder(usage);
        var usersByAccount = new List<int>[accounts.Count];
        for (var a = 0; a < accounts.Count; a++)
        {
            usersByAccount[a] = [];
        }

        for (var u = 0; u < users.Count; u++)
        {
            usersByAccount[users[u].AccountIndex].Add(u);
        }

        UsersByAccount = usersByAccount;
        AccountIndexById = accounts.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
    }

    private PortfolioData(PortfolioData reference, UsageRow[] usage)
    {
        (Accounts, Users, EventTypeKeys, EventTypeNames) = (reference.Accounts, reference.Users, reference.EventTypeKeys, reference.EventTypeNames);
        (Tickets, Surveys, Revenue, Overrides, Metrics) = (reference.Tickets, reference.Surveys, reference.Revenue, reference.Overrides, reference.Metrics);
        Usage = usage;
        CheckUsageOrder(usage);
        (UsersByAccount, AccountIndexById, metricSeries) = (reference.UsersByAccount, reference.AccountIndexById, reference.metricSeries);
        // Sorted once for both: the users' sort is tens of milliseconds at 100,000 users, a good part of a refresh.
        (accountsInIdOrder, usersInIdOrder) = (reference.AccountsInIdOrder, reference.UsersInIdOrder);
    }

    /// <summary>
    /// This portfolio with <paramref name="usage"/> as its usage (in the same order as the constructor's), sharing
    /// everything else and what is derived from it (users by account, the id orders, the metric series): what an
    /// update that only added usage rows makes, at no cost per account or user.
    /// </summary>
    public PortfolioData WithUsage(UsageRow[] usage) => new(this, usage);

    private static void CheckUsageOrder(UsageRow[] usage)
    {
        for (var i = 1; i < usage.Length; i++)
        {
            if (!InUsageOrder(usage[i - 1].Ticks, usage[i].Ticks))
            {
                throw new ArgumentException($"Usage rows must be in UTC day order, each day's midnight rows first (row {i}).", nameof(usage));
            }
        }
    }

    /// <summary>Whether a usage row at <paramref name="next"/> may follow one at <paramref name="previous"/> (see the class remarks).</summary>
    public static bool InUsageOrder(long previous, long next)
    {
        long previousDay = previous / TimeSpan.TicksPerDay, nextDay = next / TimeSpan.TicksPerDay;
        return nextDay > previousDay || (nextDay == previousDay && (next % TimeSpan.TicksPerDay != 0 || previous % TimeSpan.TicksPerDay == 0));
    }

    /// <summary>
    /// First index of <paramref name="rows"/> (in usage order) whose time is after <paramref name="ticks"/> (a binary
    /// search): the window (T - W, T] is [FirstAfter(T - W), FirstAfter(T)). Exact when <paramref name="ticks"/> is a
    /// midnight, the last instant of a day, or lies in a day whose rows are sorted by time: a midnight's rows come first
    /// in its day, the rest of the day after them.
    /// </summary>
    public static int FirstAfter(ReadOnlySpan<UsageRow> rows, long ticks)
    {
        int low = 0, high = rows.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (rows[mid].Ticks <= ticks)
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

    public IReadOnlyList<AccountInfo> Accounts { get; }
    public IReadOnlyList<UserInfo> Users { get; }
    public IReadOnlyList<string> EventTypeKeys { get; }
    public IReadOnlyList<string> EventTypeNames { get; }
    public UsageRow[] Usage { get; }
    public IReadOnlyList<TicketInfo> Tickets { get; }
    public IReadOnlyList<SurveyInfo> Surveys { get; }
    public IReadOnlyList<RevenueEntry> Revenue { get; }

    /// <summary>Every metric row (metrics.csv).</summary>
    public IReadOnlyList<MetricRow> Metrics { get; }

    private Dictionary<string, MetricSeries>? metricSeries;

    /// <summary>The rows of one metric by account, built on first use (thread-safe: a race builds it twice).</summary>
    public MetricSeries SeriesOf(string metric)
    {
        var all = metricSeries;
        if (all is null)
        {
            all = Metrics.GroupBy(m => m.Metric, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new MetricSeries(Accounts.Count, g), StringComparer.Ordinal);
            metricSeries = all;
        }

        return all.TryGetValue(metric, out var series) ? series : EmptySeries ??= new MetricSeries(Accounts.Count, []);
    }

    private MetricSeries? EmptySeries { get; set; }

    /// <summary>The metric keys the data holds, ordered.</summary>
    public IReadOnlyList<string> MetricKeys => Metrics.Select(m => m.Metric).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every override ever set (active or not); scoring picks those active at T.</summary>
    public IReadOnlyList<OverrideInfo> Overrides { get; }

    /// <summary>User indices per account index.</summary>
    public IReadOnlyList<List<int>> UsersByAccount { get; }

    /// <summary>Account index by account id.</summary>
    public IReadOnlyDictionary<string, int> AccountIndexById { get; }

    private int[]? accountsInIdOrder;
    private int[]? usersInIdOrder;

    /// <summary>
    /// Account indices ordered by id (ordinal), sorted on first use (a race sorts twice): each as-of time scored from
    /// this data takes its population from it instead of sorting the ids again.
    /// </summary>
    public int[] AccountsInIdOrder => accountsInIdOrder ??= [.. Enumerable.Range(0, Accounts.Count).OrderBy(i => Accounts[i].Id, StringComparer.Ordinal)];

    /// <summary>User indices ordered by id (ordinal), sorted on first use like <see cref="AccountsInIdOrder"/>.</summary>
    public int[] UsersInIdOrder => usersInIdOrder ??= [.. Enumerable.Range(0, Users.Count).OrderBy(u => Users[u].Id, StringComparer.Ordinal)];
}
