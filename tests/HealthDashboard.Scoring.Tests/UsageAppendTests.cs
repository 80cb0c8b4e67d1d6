using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// <see cref="PortfolioData.WithUsageAppended"/>: a refresh's new rows written after the kept rows in the same buffer
/// when the data is the buffer's newest and it has room, a copy otherwise; data made before never see what was
/// written after them.
/// </summary>
public class UsageAppendTests
{
    private static readonly DateTime Day = new(2026, 6, 30, 0, 0, 0, DateTimeKind.Utc);
    private static readonly AccountInfo[] Accounts = [new("acme", "Acme", Day.AddDays(-365), null, 5, 100)];

    [Fact]
    public void Rows_appended_in_place_share_the_kept_rows_and_an_older_data_still_sees_only_its_own()
    {
        var old = Data([Row(-3, 1), Row(-2, 2), Row(-1, 3)], room: 10);
        var before = old.Usage.ToArray();

        var newer = old.WithUsageAppended(old, 1, [Row(1, 4), Row(2, 5)]);

        Assert.Equal([Row(-2, 2), Row(-1, 3), Row(1, 4), Row(2, 5)], newer.Usage.ToArray());
        Assert.True(SameMemory(old.Usage[1..], newer.Usage[..2]), "the kept rows were not copied");
        Assert.Equal(before, old.Usage.ToArray());
        // Scores of the old data are those of its own rows, not of what was appended after them.
        Assert.Equal(6, WindowAggregates.Build(old, Day.AddHours(3), 30).AccountEventCounts[0]);
        Assert.Equal(14, WindowAggregates.Build(newer, Day.AddHours(3), 30).AccountEventCounts[0]);

        // The newest goes on appending in place.
        var newest = newer.WithUsageAppended(newer, 0, [Row(3, 6)]);
        Assert.True(SameMemory(newer.Usage, newest.Usage[..newer.Usage.Length]));
        Assert.Equal([.. newer.Usage.ToArray(), Row(3, 6)], newest.Usage.ToArray());
    }

    [Fact]
    public void A_second_append_after_the_same_data_branches_into_a_copy_and_neither_sees_the_others_rows()
    {
        var old = Data([Row(-2, 1), Row(-1, 2)], room: 10);
        var first = old.WithUsageAppended(old, 0, [Row(1, 10)]);
        // The buffer already went on past old's end (first's row): this one must not write over it.
        var second = old.WithUsageAppended(old, 0, [Row(2, 20), Row(3, 30)]);

        Assert.Equal([Row(-2, 1), Row(-1, 2), Row(1, 10)], first.Usage.ToArray());
        Assert.Equal([Row(-2, 1), Row(-1, 2), Row(2, 20), Row(3, 30)], second.Usage.ToArray());
        Assert.True(SameMemory(old.Usage, first.Usage[..2]));
        Assert.False(SameMemory(old.Usage, second.Usage[..2]), "the branch copied the kept rows");
        Assert.Equal([Row(-2, 1), Row(-1, 2)], old.Usage.ToArray());

        // The copy has room of its own: the branch's next append goes in place there.
        var third = second.WithUsageAppended(second, 0, [Row(4, 40)]);
        Assert.True(SameMemory(second.Usage, third.Usage[..4]));
    }

    [Fact]
    public void A_full_buffer_or_a_callers_array_is_copied_and_the_callers_array_is_never_written()
    {
        UsageRow[] callers = [Row(-2, 1), Row(-1, 2)];
        var data = new PortfolioData(Accounts, [], ["login"], callers);
        var appended = data.WithUsageAppended(data, 0, [Row(1, 3)]);
        Assert.Equal([Row(-2, 1), Row(-1, 2), Row(1, 3)], appended.Usage.ToArray());
        Assert.Equal([Row(-2, 1), Row(-1, 2)], callers);
        Assert.False(SameMemory(callers, appended.Usage[..2]));

        // Room for one more row: two do not fit, so they are copied (kept rows and added) into a bigger buffer.
        var tight = Data([Row(-1, 1)], room: 1);
        var grown = tight.WithUsageAppended(tight, 0, [Row(1, 2), Row(2, 3)]);
        Assert.Equal([Row(-1, 1), Row(1, 2), Row(2, 3)], grown.Usage.ToArray());
        Assert.False(SameMemory(tight.Usage, grown.Usage[..1]));
    }

    [Fact]
    public void Added_rows_before_the_last_kept_row_are_refused_and_nothing_is_written()
    {
        var old = Data([Row(-1, 1), Row(2, 2)], room: 10);
        // An earlier row of the last kept row's day: in usage order, but the day would no longer be sorted by time,
        // which a day a window edge cuts must be.
        var error = Assert.Throws<ArgumentException>(() => old.WithUsageAppended(old, 0, [Row(1, 3)]));
        Assert.Contains("row 2", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => old.WithUsageAppended(old, 0, [Row(4, 3), Row(3, 3)]));
        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
        Assert.Equal([Row(-1, 1), Row(2, 2)], old.Usage.ToArray());
        // The buffer did not go on either: the next append in order still writes in place.
        var next = old.WithUsageAppended(old, 0, [Row(3, 3)]);
        Assert.True(SameMemory(old.Usage, next.Usage[..2]));
    }

    [Fact]
    public void Appending_nothing_shares_the_rows_even_from_an_older_data()
    {
        var old = Data([Row(-2, 1), Row(-1, 2)], room: 10);
        _ = old.WithUsageAppended(old, 0, [Row(1, 10)]);
        var trimmed = old.WithUsageAppended(old, 1, []);
        Assert.Equal([Row(-1, 2)], trimmed.Usage.ToArray());
        Assert.True(SameMemory(old.Usage[1..], trimmed.Usage));
    }

    /// <summary>Data over an array of <paramref name="rows"/> and <paramref name="room"/> unused rows after them.</summary>
    private static PortfolioData Data(UsageRow[] rows, int room) =>
        new(Accounts, [], ["login"], [.. rows, .. new UsageRow[room]], usageRows: rows.Length);

    /// <summary>A row of count <paramref name="count"/>, <paramref name="hours"/> hours after the day's midnight.</summary>
    private static UsageRow Row(int hours, int count) => new(0, -1, 0, Day.AddHours(hours).Ticks, count);

    private static bool SameMemory(ReadOnlySpan<UsageRow> a, ReadOnlySpan<UsageRow> b) =>
        a.Length == b.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b));
}
