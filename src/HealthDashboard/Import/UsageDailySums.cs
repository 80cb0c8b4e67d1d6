using System.Runtime.InteropServices;

namespace HealthDashboard.Import;

/// <summary>
/// The daily roll-up (<see cref="Data.UsageRollup"/>) of the usage rows an import writes, summed in memory as the rows
/// pass: per UTC day, account, event type, user (0 = none) and "exactly at midnight", the count and the latest time.
/// Both engines' writers (<see cref="SqliteUsageWriter"/>, <see cref="PostgresUsageWriter"/>) keep one and write its
/// groups into <c>UsageDaily</c> with an upsert that adds counts and keeps the later time, so a group written twice
/// (by two flushes of one import, or by two imports of the same day) adds up to the same result.
/// </summary>
/// <remarks>
/// Why in memory and not SQL over the new raw rows: a statement that reads the rows back (row by row on SQLite, a
/// <c>GROUP BY</c> on PostgreSQL) was most of an import's time on both engines (bench part 3: 6.0 of 8.1 s on
/// PostgreSQL); the sums here cost one dictionary update per row, and the groups go to the database sorted in the
/// table's key order, so its b-tree takes them as appends.
/// </remarks>
/// <param name="maxGroups">Groups held before <see cref="Full"/> asks for a flush (tests pass a few to flush often).</param>
internal sealed class UsageDailySums(int maxGroups = UsageDailySums.MaxGroups)
{
    /// <summary>Groups held before the writer must flush them (about 40 bytes each): memory stays bounded whatever the file's size.</summary>
    public const int MaxGroups = 1 << 18;

    private readonly Dictionary<RollupKey, RollupSums> groups = [];

    /// <summary>True when the writer should write the groups and <see cref="Clear"/> them.</summary>
    public bool Full => this.groups.Count >= maxGroups;

    /// <summary>The number of groups held.</summary>
    public int Count => this.groups.Count;

    /// <summary>Adds one usage row to its group.</summary>
    public void Add(int accountId, int? userId, int eventTypeId, long ticks, int count)
    {
        var day = ticks / TimeSpan.TicksPerDay;
        var atMidnight = ticks % TimeSpan.TicksPerDay == 0 ? 1L : 0L;
        var key = new RollupKey(day << 32 | (uint)accountId, (long)eventTypeId << 32 | (long)(uint)(userId ?? 0) << 1 | atMidnight);
        ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(this.groups, key, out _);
        sums.Count += count;
        sums.LastTicks = Math.Max(sums.LastTicks, ticks);
    }

    /// <summary>The groups held, in the roll-up table's key order (day, account, event type, user, midnight).</summary>
    public UsageDailyGroup[] InKeyOrder()
    {
        var sorted = new UsageDailyGroup[this.groups.Count];
        var i = 0;
        foreach (var (key, sums) in this.groups)
        {
            sorted[i++] = new UsageDailyGroup(key.DayAndAccount, key.EventTypeUserAndMidnight, sums.Count, sums.LastTicks);
        }

        Array.Sort(sorted, static (a, b) => a.DayAndAccount != b.DayAndAccount
            ? a.DayAndAccount.CompareTo(b.DayAndAccount)
            : a.EventTypeUserAndMidnight.CompareTo(b.EventTypeUserAndMidnight));
        return sorted;
    }

    /// <summary>Forgets the groups (after they were written).</summary>
    public void Clear() => this.groups.Clear();

    /// <summary>The roll-up's key packed in two numbers whose order is the table's key order.</summary>
    private readonly record struct RollupKey(long DayAndAccount, long EventTypeUserAndMidnight);

    private struct RollupSums
    {
        public long Count;
        public long LastTicks;
    }
}

/// <summary>One roll-up group: its key packed as in <see cref="UsageDailySums"/>, its count and its latest time (ticks).</summary>
internal readonly record struct UsageDailyGroup(long DayAndAccount, long EventTypeUserAndMidnight, long Count, long LastTicks)
{
    /// <summary>The UTC day, in days since 0001-01-01.</summary>
    public int Day => (int)(DayAndAccount >> 32);

    public int AccountId => (int)(uint)DayAndAccount;

    public int EventTypeId => (int)(EventTypeUserAndMidnight >> 32);

    /// <summary>The user's id, or 0 for account-level rows.</summary>
    public int UserId => (int)((uint)EventTypeUserAndMidnight >> 1);

    /// <summary>True for the group of rows exactly at 00:00.</summary>
    public bool AtMidnight => (EventTypeUserAndMidnight & 1) != 0;
}
