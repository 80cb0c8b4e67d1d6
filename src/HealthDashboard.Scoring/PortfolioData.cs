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
        IReadOnlyList<MetricRow>? metrics = null,
        int? usageRows = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        Accounts = accounts;
        Users = users;
        EventTypeKeys = eventTypeKeys;
        EventTypeNames = eventTypeNames ?? eventTypeKeys;
        var length = usageRows ?? usage.Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)usage.Length, nameof(usageRows));
        (usageBuffer, usageStart, usageLength) = (new UsageBuffer(usage, length), 0, length);
        Tickets = tickets ?? [];
        Surveys = surveys ?? [];
        Revenue = revenue ?? [];
        Overrides = overrides ?? [];
        Metrics = metrics ?? [];
        CheckUsageOrder(Usage, 1);
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

    private PortfolioData(PortfolioData reference, UsageBuffer buffer, int start, int length, int checkFrom)
    {
        (Accounts, Users, EventTypeKeys, EventTypeNames) = (reference.Accounts, reference.Users, reference.EventTypeKeys, reference.EventTypeNames);
        (Tickets, Surveys, Revenue, Overrides, Metrics) = (reference.Tickets, reference.Surveys, reference.Revenue, reference.Overrides, reference.Metrics);
        (usageBuffer, usageStart, usageLength) = (buffer, start, length);
        CheckUsageOrder(Usage, checkFrom);
        (UsersByAccount, AccountIndexById, metricSeries) = (reference.UsersByAccount, reference.AccountIndexById, reference.metricSeries);
        // Sorted once for both: the users' sort is tens of milliseconds at 100,000 users, a good part of a refresh.
        (accountsInIdOrder, usersInIdOrder) = (reference.AccountsInIdOrder, reference.UsersInIdOrder);
    }

    /// <summary>
    /// This portfolio with <paramref name="usage"/> as its usage (in the same order as the constructor's), sharing
    /// everything else and what is derived from it (users by account, the id orders, the metric series): what an
    /// update that only added usage rows makes, at no cost per account or user.
    /// </summary>
    public PortfolioData WithUsage(UsageRow[] usage) => new(this, new UsageBuffer(usage, usage.Length), 0, usage.Length, 1);

    /// <summary>
    /// This portfolio (everything but usage, as <see cref="WithUsage"/>) with <paramref name="source"/>'s usage from
    /// index <paramref name="keepFrom"/> on and then <paramref name="added"/>, which must be sorted by time and at or
    /// after the last kept row's time (so a day that was sorted by time, as a day a window edge cuts must be, stays
    /// sorted; usage order alone would let a row go after a later row of its day). The kept rows are not copied when
    /// <paramref name="source"/>'s rows end where its buffer's written rows end (nothing was appended after them: it
    /// is the newest data over that buffer) and the buffer has room: <paramref name="added"/> is written after them
    /// in place. Every other data over the buffer keeps its own start and length, so it never sees rows written past
    /// its end. Otherwise (no room, or the buffer already went on past <paramref name="source"/>'s end: a branch) the
    /// kept and added rows are copied into a new buffer with room for more (an eighth more: amortised, a refresh that
    /// appends a day's import copies the window's millions of rows once every several imports instead of each time).
    /// </summary>
    /// <exception cref="ArgumentException">The added rows are not in time order after the kept ones.</exception>
    public PortfolioData WithUsageAppended(PortfolioData source, int keepFrom, ReadOnlySpan<UsageRow> added)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)keepFrom, (uint)source.usageLength, nameof(keepFrom));
        var buffer = source.usageBuffer;
        int start = source.usageStart + keepFrom, end = source.usageStart + source.usageLength, kept = end - start;
        // Checked before anything is written: the kept rows are in order already, so only the added ones and the seam.
        // Time order implies usage order.
        for (var i = 0; i < added.Length; i++)
        {
            var previous = i > 0 ? added[i - 1].Ticks : kept > 0 ? buffer.Rows[end - 1].Ticks : long.MinValue;
            if (added[i].Ticks < previous)
            {
                throw new ArgumentException($"Appended usage rows must be sorted by time, at or after the last kept row's (row {kept + i}).", nameof(added));
            }
        }

        var rows = kept + added.Length;
        if (buffer.TryAppend(end, added))
        {
            return new PortfolioData(this, buffer, start, rows, rows);
        }

        var copy = GC.AllocateUninitializedArray<UsageRow>(checked(rows + UsageBuffer.Room(rows)));
        buffer.Rows.AsSpan(start, kept).CopyTo(copy);
        added.CopyTo(copy.AsSpan(kept));
        return new PortfolioData(this, new UsageBuffer(copy, rows), 0, rows, rows);
    }

    /// <summary>
    /// Rows of room to leave after <paramref name="rows"/> usage rows in an array that updates will append to (see
    /// <see cref="WithUsageAppended"/> and the constructor's <c>usageRows</c>).
    /// </summary>
    public static int UsageRoom(int rows) => UsageBuffer.Room(rows);

    /// <summary>
    /// Checks that <paramref name="usage"/> is in usage order from the pair ending at index <paramref name="from"/> on; a
    /// row out of order is named by its index plus <paramref name="rowOffset"/> (its index in the whole usage).
    /// </summary>
    private static void CheckUsageOrder(ReadOnlySpan<UsageRow> usage, int from, int rowOffset = 0)
    {
        for (var i = Math.Max(1, from); i < usage.Length; i++)
        {
            if (!InUsageOrder(usage[i - 1].Ticks, usage[i].Ticks))
            {
                throw OutOfOrder(rowOffset + i, nameof(usage));
            }
        }
    }

    private static ArgumentException OutOfOrder(int row, string parameter) =>
        new($"Usage rows must be in UTC day order, each day's midnight rows first (row {row}).", parameter);

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
    /// <summary>The usage rows (a view of a buffer that may be shared with other data; see <see cref="WithUsageAppended"/>).</summary>
    public ReadOnlySpan<UsageRow> Usage => new(usageBuffer.Rows, usageStart, usageLength);

    private readonly UsageBuffer usageBuffer;
    private readonly int usageStart;
    private readonly int usageLength;

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

/// <summary>
/// The array behind one or more <see cref="PortfolioData"/>'s usage and how many of its rows are written: rows are only
/// ever written past <see cref="Written"/>, so every data over the array (each with its own start and length) sees
/// rows that never change.
/// </summary>
internal sealed class UsageBuffer(UsageRow[] rows, int written)
{
    private int written = written;

    public UsageRow[] Rows { get; } = rows;

    /// <summary>The rows written so far; past them the array is room for appends.</summary>
    public int Written => Volatile.Read(ref written);

    /// <summary>Room to leave after <paramref name="rows"/> rows in a new buffer: an eighth more.</summary>
    public static int Room(int rows) => Math.Max(rows / 8, 1024);

    /// <summary>
    /// Writes <paramref name="added"/> after the first <paramref name="end"/> rows when those are all the rows written
    /// so far and the array has room; false (nothing written) otherwise. The rows are reserved before they are written
    /// (a compare-and-swap of <see cref="Written"/>), so of two appends after the same rows only one writes in place.
    /// </summary>
    public bool TryAppend(int end, ReadOnlySpan<UsageRow> added)
    {
        if (added.IsEmpty)
        {
            // Nothing to write: the new data is a view of rows already written.
            return true;
        }

        if (added.Length > Rows.Length - end || Interlocked.CompareExchange(ref written, end + added.Length, end) != end)
        {
            return false;
        }

        added.CopyTo(Rows.AsSpan(end));
        return true;
    }
}
