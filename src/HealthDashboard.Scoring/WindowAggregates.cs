using System.Numerics;

namespace HealthDashboard.Scoring;

/// <summary>
/// The scored population at as-of time T and its compact per-account and per-user aggregates
/// over the window W: everything the model's weights, flags, curvature and thresholds act on.
/// Built once from <see cref="PortfolioData"/>; <see cref="Scorer"/> then re-scores under any model
/// with the same window without reading the data again.
/// </summary>
/// <remarks>
/// Readings of SCORING.md made here (a careful analyst's, written down):
/// <list type="bullet">
/// <item>"In window" is T - W days &lt; t &lt;= T on exact times; active days are UTC calendar days of
/// in-window rows, so a window can touch W + 1 calendar days when T is not midnight.</item>
/// <item>Active users, Breadth and Frequency count only scored users (created at or before T);
/// Engagement and Depth count every usage row of the account, user-level or account-level.</item>
/// <item>Recency uses the last usage row at or before T; a row W or more days old scores 0, so only
/// loaded rows matter.</item>
/// <item>Sentiment's 90 days are T - 90 d &lt; t &lt;= T; a rated ticket counts at its closed time and
/// not at all while open.</item>
/// <item>Growth takes, of several revenue entries on the latest date, the one imported last.
/// The MRR shown is that "now" entry, or the account's own MRR without revenue history.</item>
/// </list>
/// </remarks>
public sealed class WindowAggregates
{
    private WindowAggregates(PortfolioData data, DateTime asOf, int windowDays)
    {
        Data = data;
        AsOf = asOf;
        WindowDays = windowDays;
    }

    public PortfolioData Data { get; }
    public DateTime AsOf { get; }
    public int WindowDays { get; }

    /// <summary>Number of event types (E).</summary>
    public int EventTypeCount => Data.EventTypeKeys.Count;

    /// <summary>Scored accounts (indices into <see cref="PortfolioData.Accounts"/>) ordered by id; position = local account index.</summary>
    public int[] Accounts { get; private set; } = [];

    /// <summary>Local account index by data account index, -1 when not scored.</summary>
    public int[] LocalAccountOf { get; private set; } = [];

    /// <summary>Count per local account and event type in window, at [a * E + e].</summary>
    public long[] AccountEventCounts { get; private set; } = [];

    /// <summary>Last in-window time (ticks) per local account and event type, 0 when none, at [a * E + e].</summary>
    public long[] AccountEventLastTicks { get; private set; } = [];

    /// <summary>Scored users with at least one in-window row, per local account.</summary>
    public int[] ActiveUsers { get; private set; } = [];

    /// <summary>Scored users (created at or before T) per local account.</summary>
    public int[] ScoredUserCounts { get; private set; } = [];

    /// <summary>Sum over active users of their active days, per local account.</summary>
    public long[] ActiveUserDays { get; private set; } = [];

    /// <summary>Calendar days with any in-window row of the account (user-level or account-level).</summary>
    public int[] AccountActiveDays { get; private set; } = [];

    /// <summary>Last usage at or before T (ticks) per local account, 0 when none was loaded.</summary>
    public long[] LastUsageTicks { get; private set; } = [];

    /// <summary>Support raw value per local account: (tickets opened in window + 2 x escalated) / max(1, seats).</summary>
    public double[] SupportRaw { get; private set; } = [];

    /// <summary>Tickets opened in window per local account.</summary>
    public int[] TicketsInWindow { get; private set; } = [];

    /// <summary>Escalated tickets among those opened in window, per local account.</summary>
    public int[] EscalatedInWindow { get; private set; } = [];

    /// <summary>Sentiment raw value per local account, NaN when no response or rated ticket in 90 days.</summary>
    public double[] SentimentRaw { get; private set; } = [];

    /// <summary>Number of responses and rated tickets behind <see cref="SentimentRaw"/>.</summary>
    public int[] SentimentCount { get; private set; } = [];

    /// <summary>Growth pct per local account, NaN when missing.</summary>
    public double[] GrowthPct { get; private set; } = [];

    /// <summary>Why Growth is missing per local account (null when present).</summary>
    public string?[] GrowthMissingReason { get; private set; } = [];

    /// <summary>MRR at T per local account (latest revenue entry at or before T, else the account's MRR).</summary>
    public double[] Mrr { get; private set; } = [];

    /// <summary>Scored users (indices into <see cref="PortfolioData.Users"/>) ordered by id; position = local user index.</summary>
    public int[] Users { get; private set; } = [];

    /// <summary>Local user index by data user index, -1 when not scored.</summary>
    public int[] LocalUserOf { get; private set; } = [];

    /// <summary>Local account index of each local user.</summary>
    public int[] UserAccount { get; private set; } = [];

    /// <summary>Active calendar days in window per local user.</summary>
    public int[] UserActiveDays { get; private set; } = [];

    /// <summary>Last usage at or before T per local user (ticks), 0 when none loaded.</summary>
    public long[] UserLastTicks { get; private set; } = [];

    /// <summary>Per-user in-window event counts, compressed rows: user u's entries are [UserEventOffsets[u], UserEventOffsets[u+1]).</summary>
    public int[] UserEventOffsets { get; private set; } = [];

    /// <summary>Event type index of each compressed user entry.</summary>
    public int[] UserEventTypes { get; private set; } = [];

    /// <summary>Count of each compressed user entry.</summary>
    public long[] UserEventCounts { get; private set; } = [];

    /// <summary>Local account indices by account id.</summary>
    public int LocalAccountIndex(string accountId) =>
        Data.AccountIndexById.TryGetValue(accountId, out var i) ? LocalAccountOf[i] : -1;

    /// <summary>
    /// Until the returned scope is disposed, builds reuse one users x event types scratch array (32 MB at 100,000 users
    /// and 40 event types) however many collections run; outside a scope the array is freed by the next full
    /// collection. For callers that build many aggregates in a row (a back-fill of daily snapshots, a backtest).
    /// </summary>
    public static IDisposable ReuseScratch() => UserCountsScratch.Hold();

    /// <summary>Builds the aggregates of the scored population at <paramref name="asOf"/> over a window of <paramref name="windowDays"/> days, on the calling thread.</summary>
    public static WindowAggregates Build(PortfolioData data, DateTime asOf, int windowDays) => Build(data, asOf, windowDays, usageThreads: 1, evenWhenSmall: false);

    /// <summary>
    /// <see cref="Build(PortfolioData, DateTime, int)"/> with the usage rows shared out over up to <paramref name="usageThreads"/>
    /// threads when the window holds <see cref="ParallelUsageRows"/> rows or more. For a build that runs alone (the
    /// live scores, <see cref="AllCores"/>); callers that build several at once in parallel (a backtest's month starts)
    /// build each on one thread, since each of a build's threads walks every row.
    /// </summary>
    public static WindowAggregates Build(PortfolioData data, DateTime asOf, int windowDays, int usageThreads) =>
        Build(data, asOf, windowDays, usageThreads, evenWhenSmall: false);

    /// <summary>The threads a build that runs alone uses: the machine's cores, up to four.</summary>
    public static int AllCores => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// The build on <paramref name="usageThreads"/> threads; with <paramref name="evenWhenSmall"/> (tests) whatever the
    /// number of rows.
    /// </summary>
    internal static WindowAggregates Build(PortfolioData data, DateTime asOf, int windowDays, int usageThreads, bool evenWhenSmall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(usageThreads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        var agg = new WindowAggregates(data, asOf, windowDays);
        agg.BuildPopulation();
        agg.AggregateUsage(usageThreads, evenWhenSmall);
        agg.AggregateTickets();
        agg.AggregateSentiment();
        agg.AggregateRevenue();
        return agg;
    }

    /// <summary>
    /// The aggregates <see cref="Build(PortfolioData, DateTime, int)"/> would make of <paramref name="data"/> at <paramref name="asOf"/>, made from
    /// <paramref name="previous"/>'s (same window) by the rows that changed: those <paramref name="data"/> added
    /// (<paramref name="added"/>), those the moving T brought in and those the moving window start took out. Null when
    /// that cannot be exact and a build is needed: T moved back or to another UTC day, or the scored population changed.
    /// </summary>
    /// <param name="previous">Aggregates of an earlier load of the same reference data (accounts ... metrics).</param>
    /// <param name="data">The new load: <paramref name="previous"/>'s usage after <paramref name="dataFromTicks"/>, plus <paramref name="added"/>.</param>
    /// <param name="added">The usage rows of <paramref name="data"/> that <paramref name="previous"/>'s data did not hold, in any order.</param>
    /// <param name="dataFromTicks">Where <paramref name="data"/>'s usage starts: rows at or before it were dropped from the old data.</param>
    /// <remarks>
    /// Both loads must be exact at the old and the new T and window start (their UTC days held as time-sorted rows;
    /// they are the same days, as T stays in its day). Counts add and subtract; a cell's latest in-window time
    /// stays unless the window start passed it, and then the cell has no in-window row left (the latest is the
    /// largest); the latest time at or before T only grows, except that rows dropped before the data's start are
    /// gone; the day bits keep their offsets (T's day is the same), and only the window start's day is looked at again
    /// for the accounts and users that lost rows. Usage work is in the rows that changed, not the window's millions.
    /// </remarks>
    public static WindowAggregates? Advance(WindowAggregates previous, PortfolioData data, DateTime asOf, ReadOnlySpan<UsageRow> added, long dataFromTicks)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(data);
        long t0 = previous.T, t1 = asOf.Ticks;
        if (t1 < t0 || t1 / TimeSpan.TicksPerDay != t0 / TimeSpan.TicksPerDay || data.EventTypeKeys.Count != previous.EventTypeCount)
        {
            return null;
        }

        var agg = new WindowAggregates(data, asOf, previous.WindowDays);
        agg.BuildPopulation();
        if (!agg.Accounts.AsSpan().SequenceEqual(previous.Accounts) || !agg.Users.AsSpan().SequenceEqual(previous.Users))
        {
            return null;
        }

        agg.AdvanceUsage(previous, added, dataFromTicks);
        agg.AggregateTickets();
        agg.AggregateSentiment();
        agg.AggregateRevenue();
        return agg;
    }

    private void AdvanceUsage(WindowAggregates previous, ReadOnlySpan<UsageRow> added, long dataFromTicks)
    {
        var old = previous.Data.Usage;
        int outFrom = PortfolioData.FirstAfter(old, previous.WindowStart), outEnd = PortfolioData.FirstAfter(old, WindowStart);
        int inFrom = PortfolioData.FirstAfter(old, previous.T), inEnd = PortfolioData.FirstAfter(old, T);
        // Latest times of rows dropped before the data's start are gone with them.
        LastUsageTicks = WithoutTicksUpTo(previous.LastUsageTicks, dataFromTicks);
        UserLastTicks = WithoutTicksUpTo(previous.UserLastTicks, dataFromTicks);
        var addedUpToT = 0;
        foreach (ref readonly var row in added)
        {
            addedUpToT += row.Ticks <= T ? 1 : 0;
        }

        if (outFrom == outEnd && inFrom == inEnd && addedUpToT == 0)
        {
            // No row entered or left the window (e.g. the trend's scoring a month ago after an import of today's
            // events, the clock still): the previous arrays as they are. They are never written after they are made.
            (AccountEventCounts, AccountEventLastTicks, accountDayBits, userDayBits) =
                (previous.AccountEventCounts, previous.AccountEventLastTicks, previous.accountDayBits, previous.userDayBits);
            (AccountActiveDays, ActiveUsers, ActiveUserDays, UserActiveDays) =
                (previous.AccountActiveDays, previous.ActiveUsers, previous.ActiveUserDays, previous.UserActiveDays);
            (UserEventOffsets, UserEventTypes, UserEventCounts) = (previous.UserEventOffsets, previous.UserEventTypes, previous.UserEventCounts);
            return;
        }

        AccountEventCounts = (long[])previous.AccountEventCounts.Clone();
        AccountEventLastTicks = (long[])previous.AccountEventLastTicks.Clone();
        accountDayBits = (ulong[])previous.accountDayBits.Clone();
        userDayBits = (ulong[])previous.userDayBits.Clone();
        if (ReferenceEquals(LastUsageTicks, previous.LastUsageTicks))
        {
            LastUsageTicks = (long[])LastUsageTicks.Clone();
        }

        if (ReferenceEquals(UserLastTicks, previous.UserLastTicks))
        {
            UserLastTicks = (long[])UserLastTicks.Clone();
        }

        // The per-user changes as (user x event type, count) pairs, summed after a sort: cheaper than a dictionary's
        // hashing at a hundred thousand rows, and the merge below wants them sorted anyway.
        var deltas = new UserDeltas((outEnd - outFrom) + (inEnd - inFrom) + addedUpToT);
        AdvanceRows(old, outFrom, outEnd, inFrom, inEnd, added, deltas);
        SummarizeDays();
        MergeUserCounts(previous, deltas);
    }

    /// <summary><paramref name="ticks"/> with every time at or before <paramref name="dataFromTicks"/> set to 0; the array itself when none is.</summary>
    private static long[] WithoutTicksUpTo(long[] ticks, long dataFromTicks)
    {
        foreach (var t in ticks)
        {
            if (t != 0 && t <= dataFromTicks)
            {
                return [.. ticks.Select(x => x > dataFromTicks ? x : 0)];
            }
        }

        return ticks;
    }

    /// <summary>
    /// The usage part of <see cref="AdvanceUsage"/> on its cloned arrays: out go the old rows [<paramref name="outFrom"/>,
    /// <paramref name="outEnd"/>) the window start moved over, in come the old rows [<paramref name="inFrom"/>, <paramref name="inEnd"/>)
    /// the moving T took in and the added rows up to T; the per-user changes go to <paramref name="deltas"/>.
    /// </summary>
    private void AdvanceRows(
        ReadOnlySpan<UsageRow> old, int outFrom, int outEnd, int inFrom, int inEnd, ReadOnlySpan<UsageRow> added, UserDeltas deltas)
    {
        int e = EventTypeCount, words = DayWords;
        long s1 = WindowStart, dayOfT = T / TimeSpan.TicksPerDay;

        // Out: the old rows the window start moved over. Their accounts and users may lose the start day's bit.
        var leftAccounts = new HashSet<int>();
        var leftUsers = new HashSet<int>();
        for (var i = outFrom; i < outEnd; i++)
        {
            var row = old[i];
            var a = LocalAccountOf[row.AccountIndex];
            if (a < 0)
            {
                continue;
            }

            AccountEventCounts[(a * e) + row.EventTypeIndex] -= row.Count;
            leftAccounts.Add(a);
            if (row.UserIndex >= 0 && LocalUserOf[row.UserIndex] is var u and >= 0)
            {
                deltas.Add(((long)u * e) + row.EventTypeIndex, -row.Count);
                leftUsers.Add(u);
            }
        }

        if (outFrom < outEnd)
        {
            for (var cell = 0; cell < AccountEventLastTicks.Length; cell++)
            {
                if (AccountEventLastTicks[cell] <= s1)
                {
                    AccountEventLastTicks[cell] = 0;
                }
            }
        }

        // In: the old rows the moving T took in, and the added rows up to T.
        void In(in UsageRow row)
        {
            var a = LocalAccountOf[row.AccountIndex];
            if (a < 0 || row.Ticks > T)
            {
                return;
            }

            LastUsageTicks[a] = Math.Max(LastUsageTicks[a], row.Ticks);
            var u = row.UserIndex >= 0 ? LocalUserOf[row.UserIndex] : -1;
            if (u >= 0)
            {
                UserLastTicks[u] = Math.Max(UserLastTicks[u], row.Ticks);
            }

            if (row.Ticks <= s1)
            {
                return;
            }

            var cell = (a * e) + row.EventTypeIndex;
            AccountEventCounts[cell] += row.Count;
            AccountEventLastTicks[cell] = Math.Max(AccountEventLastTicks[cell], row.Ticks);
            var offset = (int)(dayOfT - (row.Ticks / TimeSpan.TicksPerDay));
            accountDayBits[(a * words) + (offset >> 6)] |= 1UL << (offset & 63);
            if (u >= 0)
            {
                deltas.Add(((long)u * e) + row.EventTypeIndex, row.Count);
                userDayBits[(u * words) + (offset >> 6)] |= 1UL << (offset & 63);
            }
        }

        for (var i = inFrom; i < inEnd; i++)
        {
            In(old[i]);
        }

        foreach (ref readonly var row in added)
        {
            In(row);
        }

        // The window start's day, for those that lost rows in it: its bit is set again only by a row still in the window.
        if (leftAccounts.Count > 0)
        {
            var startDay = s1 / TimeSpan.TicksPerDay;
            var offset = (int)(dayOfT - startDay);
            var bit = 1UL << (offset & 63);
            foreach (var a in leftAccounts)
            {
                accountDayBits[(a * words) + (offset >> 6)] &= ~bit;
            }

            foreach (var u in leftUsers)
            {
                userDayBits[(u * words) + (offset >> 6)] &= ~bit;
            }

            var usage = Data.Usage;
            for (int i = PortfolioData.FirstAfter(usage, s1), end = PortfolioData.FirstAfter(usage, Math.Min(T, ((startDay + 1) * TimeSpan.TicksPerDay) - 1)); i < end; i++)
            {
                var row = usage[i];
                var a = LocalAccountOf[row.AccountIndex];
                if (a >= 0)
                {
                    accountDayBits[(a * words) + (offset >> 6)] |= bit;
                    if (row.UserIndex >= 0 && LocalUserOf[row.UserIndex] is var u and >= 0)
                    {
                        userDayBits[(u * words) + (offset >> 6)] |= bit;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The per-user changes of an advance: (user x event types + event type, count) pairs, summed per key by
    /// <see cref="Combine"/> into sorted keys without zeros. Plain arrays, not rented: a pool would keep them (a
    /// megabyte or two after a day's import) for the app's life.
    /// </summary>
    private sealed class UserDeltas(int capacity)
    {
        public long[] Keys { get; } = GC.AllocateUninitializedArray<long>(capacity);

        public long[] Values { get; } = GC.AllocateUninitializedArray<long>(capacity);

        /// <summary>Pairs added; after <see cref="Combine"/>, distinct keys with a non-zero sum.</summary>
        public int Count { get; private set; }

        public void Add(long key, long value) => (Keys[Count], Values[Count++]) = (key, value);

        /// <summary>Sorts the pairs by key and sums each key's, leaving out those that sum to 0.</summary>
        public void Combine()
        {
            Array.Sort(Keys, Values, 0, Count);
            var n = 0;
            for (var i = 0; i < Count;)
            {
                var (key, sum) = (Keys[i], 0L);
                for (; i < Count && Keys[i] == key; i++)
                {
                    sum += Values[i];
                }

                if (sum != 0)
                {
                    (Keys[n], Values[n]) = (key, sum);
                    n++;
                }
            }

            Count = n;
        }
    }

    /// <summary>
    /// The per-user counts: <paramref name="previous"/>'s compressed rows with the changes added, entries that reach 0
    /// left out. The users without a change keep their entries, copied a run of users at a time (and shared outright
    /// when nothing changed: the arrays are never written after they are made); a refresh after an import touches a
    /// small part of the millions of entries. The new arrays are counted first and made at their exact size, so the
    /// millions of entries are copied once.
    /// </summary>
    private void MergeUserCounts(WindowAggregates previous, UserDeltas deltas)
    {
        deltas.Combine();
        int userCount = Users.Length, e = EventTypeCount, n = deltas.Count;
        long[] keys = deltas.Keys, values = deltas.Values;
        if (n == 0)
        {
            (UserEventOffsets, UserEventTypes, UserEventCounts) = (previous.UserEventOffsets, previous.UserEventTypes, previous.UserEventCounts);
            return;
        }

        int[] oldOffsets = previous.UserEventOffsets, oldTypes = previous.UserEventTypes;
        var oldCounts = previous.UserEventCounts;
        var entries = oldTypes.Length;
        for (var c = 0; c < n; c++)
        {
            // A change of an existing entry keeps it unless it reaches 0; one of a type the user had none of adds one.
            int user = (int)(keys[c] / e), type = (int)(keys[c] % e), from = oldOffsets[user];
            var at = Array.BinarySearch(oldTypes, from, oldOffsets[user + 1] - from, type);
            entries += at < 0 ? 1 : oldCounts[at] + values[c] == 0 ? -1 : 0;
        }

        var offsets = new int[userCount + 1];
        // Uninitialized: every element is written below (tens of megabytes at a hundred thousand users).
        var types = GC.AllocateUninitializedArray<int>(entries);
        var counts = GC.AllocateUninitializedArray<long>(entries);
        var next = 0;
        var unchangedFrom = 0;
        void CopyUnchanged(int until)
        {
            int from = oldOffsets[unchangedFrom], length = oldOffsets[until] - from, shift = next - from;
            oldTypes.AsSpan(from, length).CopyTo(types.AsSpan(next));
            oldCounts.AsSpan(from, length).CopyTo(counts.AsSpan(next));
            for (var u = unchangedFrom; u < until; u++)
            {
                offsets[u] = oldOffsets[u] + shift;
            }

            next += length;
        }

        for (var c = 0; c < n;)
        {
            var user = (int)(keys[c] / e);
            CopyUnchanged(user);
            offsets[user] = next;
            // The user's entries and changes, both in event type order: a merge.
            int i = oldOffsets[user], end = oldOffsets[user + 1];
            while (i < end || (c < n && keys[c] / e == user))
            {
                long type, count;
                if (c < n && keys[c] / e == user && (i >= end || keys[c] % e <= oldTypes[i]))
                {
                    (type, count) = (keys[c] % e, values[c]);
                    if (i < end && oldTypes[i] == type)
                    {
                        count += oldCounts[i++];
                    }

                    c++;
                }
                else
                {
                    (type, count) = (oldTypes[i], oldCounts[i]);
                    i++;
                }

                if (count != 0)
                {
                    types[next] = (int)type;
                    counts[next] = count;
                    next++;
                }
            }

            unchangedFrom = user + 1;
        }

        CopyUnchanged(userCount);
        offsets[userCount] = next;
        if (next != entries)
        {
            throw new InvalidOperationException($"The per-user counts merged into {next} entries where {entries} were counted.");
        }

        (UserEventOffsets, UserEventTypes, UserEventCounts) = (offsets, types, counts);
    }

    private long T => AsOf.Ticks;

    /// <summary>Words of the day bits per account and user: one bit per calendar day offset from T's day (0..W).</summary>
    private int DayWords => (WindowDays + 1 + 63) / 64;

    // The day bits behind the active-day counts, kept so Advance can take days out of the window again.
    private ulong[] accountDayBits = [];
    private ulong[] userDayBits = [];

    private long WindowStart => T - (WindowDays * TimeSpan.TicksPerDay);

    private void BuildPopulation()
    {
        var accounts = Data.Accounts;
        // The data's id order filtered: the same order as sorting the scored ones, without a sort per as-of time.
        Accounts = Data.AccountsInIdOrder
            .Where(i => accounts[i].CreatedAt <= AsOf && (accounts[i].ChurnedAt is null || accounts[i].ChurnedAt > AsOf))
            .ToArray();
        LocalAccountOf = Enumerable.Repeat(-1, accounts.Count).ToArray();
        for (var a = 0; a < Accounts.Length; a++)
        {
            LocalAccountOf[Accounts[a]] = a;
        }

        var users = Data.Users;
        Users = Data.UsersInIdOrder
            .Where(u => LocalAccountOf[users[u].AccountIndex] >= 0 && (users[u].CreatedAt is null || users[u].CreatedAt <= AsOf))
            .ToArray();
        LocalUserOf = Enumerable.Repeat(-1, users.Count).ToArray();
        UserAccount = new int[Users.Length];
        ScoredUserCounts = new int[Accounts.Length];
        for (var u = 0; u < Users.Length; u++)
        {
            LocalUserOf[Users[u]] = u;
            UserAccount[u] = LocalAccountOf[users[Users[u]].AccountIndex];
            ScoredUserCounts[UserAccount[u]]++;
        }
    }

    private void AggregateUsage(int usageThreads, bool evenWhenSmall)
    {
        int accountCount = Accounts.Length, userCount = Users.Length, e = EventTypeCount;
        AccountEventCounts = new long[accountCount * e];
        AccountEventLastTicks = new long[accountCount * e];
        LastUsageTicks = new long[accountCount];
        UserLastTicks = new long[userCount];

        // One bit per calendar day offset from T's day (0..W) per account and per user.
        accountDayBits = new ulong[accountCount * DayWords];
        userDayBits = new ulong[userCount * DayWords];
        // Scratch of users x event types (32 MB at 100,000 users and 40 types), only read into the compressed rows
        // below. Reused while it lives, and throughout a ReuseScratch scope (UserCountsScratch says why not ArrayPool).
        var cells = checked(userCount * e);
        var userCounts = UserCountsScratch.Take(cells);
        try
        {
            AggregateUsageRows(userCounts, usageThreads, evenWhenSmall);
            CompressUserCounts(userCounts, cells);
        }
        finally
        {
            UserCountsScratch.Return(userCounts);
        }
    }

    /// <summary>
    /// Rows from which <see cref="AggregateUsageRows(long[], int, bool)"/> shares its work out over the cores: below it, starting
    /// the threads costs more than they save.
    /// </summary>
    private const int ParallelUsageRows = 250_000;

    /// <summary>The window's usage rows into the per-account arrays, the day bits and <paramref name="userCounts"/> (users x event types).</summary>
    /// <remarks>
    /// On several threads (a build that runs alone: see Build) each takes a range of the local accounts and a range of the local users
    /// and walks every row, writing only its own accounts' and users' cells: no cell has two writers, and what a cell
    /// gets is a sum, a maximum or bits set, none of which depends on the order of the rows, so the result is the
    /// single-threaded one exactly. The time goes into the scattered writes to the users x event types scratch (32 MB
    /// at scale) rather than into reading the rows, so each thread's share of those writes is what shrinks (bench part 2,
    /// 4.2 million roll-up rows on 2 cores: 145-290 ms alone, 105-225 ms shared).
    /// </remarks>
    private void AggregateUsageRows(long[] userCounts, int usageThreads, bool evenWhenSmall)
    {
        var end = PortfolioData.FirstAfter(Data.Usage, T);
        var threads = end < ParallelUsageRows && !evenWhenSmall ? 1 : usageThreads;
        int accountCount = Accounts.Length, userCount = Users.Length;
        if (threads == 1)
        {
            AggregateUsageRows(userCounts, end, 0, accountCount, 0, userCount);
        }
        else
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part => AggregateUsageRows(
                userCounts, end, accountCount * part / threads, accountCount * (part + 1) / threads, userCount * part / threads, userCount * (part + 1) / threads));
        }

        SummarizeDays();
    }

    /// <summary>
    /// The rows before <paramref name="end"/> into the cells of the local accounts [<paramref name="accountFrom"/>,
    /// <paramref name="accountTo"/>) and of the local users [<paramref name="userFrom"/>, <paramref name="userTo"/>).
    /// </summary>
    private void AggregateUsageRows(long[] userCounts, int end, int accountFrom, int accountTo, int userFrom, int userTo)
    {
        int words = DayWords, e = EventTypeCount;
        var (accountDays, userDays) = (accountDayBits, userDayBits);
        var dayOfT = T / TimeSpan.TicksPerDay;
        uint accountRange = (uint)(accountTo - accountFrom), userRange = (uint)(userTo - userFrom);

        var usage = Data.Usage;
        var windowFrom = PortfolioData.FirstAfter(usage, WindowStart);
        for (var i = 0; i < end; i++)
        {
            var row = usage[i];
            var a = LocalAccountOf[row.AccountIndex];
            // Unsigned compares: an unscored account or user (-1) is outside every range as well.
            var ownAccount = (uint)(a - accountFrom) < accountRange;
            var u = row.UserIndex >= 0 ? LocalUserOf[row.UserIndex] : -1;
            var ownUser = a >= 0 && (uint)(u - userFrom) < userRange;
            if (!ownAccount && !ownUser)
            {
                continue;
            }

            // Within a day rows need not be in time order (PortfolioData): the latest time is the largest.
            if (ownAccount)
            {
                LastUsageTicks[a] = Math.Max(LastUsageTicks[a], row.Ticks);
            }

            if (ownUser)
            {
                UserLastTicks[u] = Math.Max(UserLastTicks[u], row.Ticks);
            }

            if (i < windowFrom)
            {
                continue;
            }

            var offset = (int)(dayOfT - (row.Ticks / TimeSpan.TicksPerDay));
            if (ownAccount)
            {
                var cell = (a * e) + row.EventTypeIndex;
                AccountEventCounts[cell] += row.Count;
                AccountEventLastTicks[cell] = Math.Max(AccountEventLastTicks[cell], row.Ticks);
                accountDays[(a * words) + (offset >> 6)] |= 1UL << (offset & 63);
            }

            if (ownUser)
            {
                userCounts[((long)u * e) + row.EventTypeIndex] += row.Count;
                userDays[(u * words) + (offset >> 6)] |= 1UL << (offset & 63);
            }
        }
    }

    /// <summary>The per-user counts as compressed rows (<see cref="UserEventOffsets"/>): only the non-zero cells of the first <paramref name="cells"/>.</summary>
    private void CompressUserCounts(long[] userCounts, int cells)
    {
        int userCount = Users.Length, e = EventTypeCount;
        var nonZero = 0;
        foreach (var count in userCounts.AsSpan(0, cells))
        {
            if (count != 0)
            {
                nonZero++;
            }
        }

        UserEventOffsets = new int[userCount + 1];
        UserEventTypes = new int[nonZero];
        UserEventCounts = new long[nonZero];
        var next = 0;
        for (var u = 0; u < userCount; u++)
        {
            UserEventOffsets[u] = next;
            for (var t = 0; t < e; t++)
            {
                var count = userCounts[((long)u * e) + t];
                if (count != 0)
                {
                    UserEventTypes[next] = t;
                    UserEventCounts[next] = count;
                    next++;
                }
            }
        }

        UserEventOffsets[userCount] = next;
    }

    /// <summary>The active-day counts of accounts and users, and the active users per account, from the day bits.</summary>
    private void SummarizeDays()
    {
        int accountCount = Accounts.Length, userCount = Users.Length, words = DayWords;
        AccountActiveDays = new int[accountCount];
        for (var a = 0; a < accountCount; a++)
        {
            AccountActiveDays[a] = PopCount(accountDayBits.AsSpan(a * words, words));
        }

        ActiveUsers = new int[accountCount];
        ActiveUserDays = new long[accountCount];
        UserActiveDays = new int[userCount];
        for (var u = 0; u < userCount; u++)
        {
            var days = PopCount(userDayBits.AsSpan(u * words, words));
            UserActiveDays[u] = days;
            if (days > 0)
            {
                ActiveUsers[UserAccount[u]]++;
                ActiveUserDays[UserAccount[u]] += days;
            }
        }
    }

    private void AggregateTickets()
    {
        TicketsInWindow = new int[Accounts.Length];
        EscalatedInWindow = new int[Accounts.Length];
        foreach (var ticket in Data.Tickets)
        {
            var a = LocalAccountOf[ticket.AccountIndex];
            if (a < 0 || !InWindow(ticket.OpenedAt.Ticks))
            {
                continue;
            }

            TicketsInWindow[a]++;
            if (ticket.Escalated)
            {
                EscalatedInWindow[a]++;
            }
        }

        SupportRaw = new double[Accounts.Length];
        for (var a = 0; a < Accounts.Length; a++)
        {
            var seats = Data.Accounts[Accounts[a]].Seats;
            SupportRaw[a] = (TicketsInWindow[a] + (2.0 * EscalatedInWindow[a])) / Math.Max(1, seats);
        }
    }

    private void AggregateSentiment()
    {
        var sums = new double[Accounts.Length];
        SentimentCount = new int[Accounts.Length];
        var from = T - (90 * TimeSpan.TicksPerDay);
        void Add(int accountIndex, DateTime time, double value)
        {
            var a = LocalAccountOf[accountIndex];
            if (a >= 0 && time.Ticks > from && time.Ticks <= T)
            {
                sums[a] += value;
                SentimentCount[a]++;
            }
        }

        foreach (var survey in Data.Surveys)
        {
            Add(survey.AccountIndex, survey.RespondedAt, survey.Kind == SurveyKind.Nps ? survey.Score * 10 : (survey.Score - 1) * 25);
        }

        foreach (var ticket in Data.Tickets)
        {
            if (ticket is { Satisfaction: { } satisfaction, ClosedAt: { } closed })
            {
                Add(ticket.AccountIndex, closed, (satisfaction - 1) * 25.0);
            }
        }

        SentimentRaw = new double[Accounts.Length];
        for (var a = 0; a < Accounts.Length; a++)
        {
            SentimentRaw[a] = SentimentCount[a] > 0 ? sums[a] / SentimentCount[a] : double.NaN;
        }
    }

    private void AggregateRevenue()
    {
        var count = Accounts.Length;
        var now = new RevenueEntry?[count];
        var then = new RevenueEntry?[count];
        var thenCutoff = AsOf.AddDays(-90);
        static bool Later(RevenueEntry candidate, RevenueEntry? current) =>
            current is null || candidate.Date > current.Date || (candidate.Date == current.Date && candidate.Sequence > current.Sequence);

        foreach (var entry in Data.Revenue)
        {
            var a = LocalAccountOf[entry.AccountIndex];
            if (a < 0 || entry.Date > AsOf)
            {
                continue;
            }

            if (Later(entry, now[a]))
            {
                now[a] = entry;
            }

            if (entry.Date <= thenCutoff && Later(entry, then[a]))
            {
                then[a] = entry;
            }
        }

        GrowthPct = new double[count];
        GrowthMissingReason = new string?[count];
        Mrr = new double[count];
        for (var a = 0; a < count; a++)
        {
            Mrr[a] = now[a]?.Mrr ?? Data.Accounts[Accounts[a]].Mrr;
            if (then[a] is not { } old)
            {
                GrowthPct[a] = double.NaN;
                GrowthMissingReason[a] = "no MRR history from 90 days ago";
            }
            else if (old.Mrr == 0)
            {
                GrowthPct[a] = double.NaN;
                GrowthMissingReason[a] = "MRR 90 days ago was 0";
            }
            else
            {
                GrowthPct[a] = (now[a]!.Mrr - old.Mrr) / old.Mrr;
            }
        }
    }

    private bool InWindow(long ticks) => ticks > WindowStart && ticks <= T;


    private static int PopCount(ReadOnlySpan<ulong> bits)
    {
        var total = 0;
        foreach (var word in bits)
        {
            total += BitOperations.PopCount(word);
        }

        return total;
    }
}

/// <summary>
/// The users x event types scratch of <see cref="WindowAggregates"/>' build (32 MB at 100,000 users and 40 event
/// types), one per build running at the same time (the backtest builds on every core), at most
/// <see cref="MaxKept"/>. Between builds they are held only weakly, so the first full collection after them frees them;
/// while a <see cref="WindowAggregates.ReuseScratch"/> scope is open (the snapshot back-fill scores a year of days, the
/// backtest a year of month starts) they are held strongly, so those builds in a row reuse their arrays instead of
/// putting a new one on the large-object heap per build and running a full collection every few builds. Not
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/>: the pool keeps rented arrays for the app's whole life (bench part
/// 18's peak working set), and the app's compacting collection after a load would not give them back.
/// </summary>
internal static class UserCountsScratch
{
    private static readonly int MaxKept = Math.Clamp(Environment.ProcessorCount, 1, 4);
    private static readonly object Gate = new();
    private static readonly List<WeakReference<long[]>> Kept = [];
    private static readonly List<long[]> Held = [];
    private static int scopes;

    /// <summary>A zeroed array of at least <paramref name="length"/> longs: a kept one when one is alive and large enough.</summary>
    public static long[] Take(int length)
    {
        long[]? array = null;
        lock (Gate)
        {
            Kept.RemoveAll(w => !w.TryGetTarget(out _));
            var i = Kept.FindIndex(w => w.TryGetTarget(out var a) && a.Length >= length);
            if (i >= 0)
            {
                // Taken: a build on another thread meanwhile gets another one.
                Kept[i].TryGetTarget(out array);
                Kept.RemoveAt(i);
                Held.Remove(array!);
            }
        }

        if (array is null)
        {
            return new long[length];
        }

        Array.Clear(array, 0, length);
        return array;
    }

    /// <summary>Keeps <paramref name="array"/> for a next build: strongly while a scope is open, else weakly.</summary>
    public static void Return(long[] array)
    {
        lock (Gate)
        {
            Kept.RemoveAll(w => !w.TryGetTarget(out _));
            if (Kept.Count == MaxKept)
            {
                // Full: the smallest kept array makes room for a larger one (a larger portfolio's builds).
                var smallest = Kept.MinBy(w => w.TryGetTarget(out var a) ? a.Length : 0)!;
                if (!smallest.TryGetTarget(out var small) || small.Length >= array.Length)
                {
                    return;
                }

                Kept.Remove(smallest);
                Held.Remove(small);
            }

            Kept.Add(new WeakReference<long[]>(array));
            if (scopes > 0)
            {
                Held.Add(array);
            }
        }
    }

    /// <summary>Holds the kept arrays strongly until the returned scope (and every other open one) is disposed.</summary>
    public static IDisposable Hold()
    {
        lock (Gate)
        {
            if (scopes++ == 0)
            {
                foreach (var weak in Kept)
                {
                    if (weak.TryGetTarget(out var array))
                    {
                        Held.Add(array);
                    }
                }
            }
        }

        return new Scope();
    }

    /// <summary>True while a scope holds a kept array strongly (for tests).</summary>
    internal static bool IsHeld
    {
        get
        {
            lock (Gate)
            {
                return Held.Count > 0;
            }
        }
    }

    private sealed class Scope : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                lock (Gate)
                {
                    if (--scopes == 0)
                    {
                        Held.Clear();
                    }
                }
            }
        }
    }
}
