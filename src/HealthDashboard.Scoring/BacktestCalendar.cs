namespace HealthDashboard.Scoring;

/// <summary>
/// The evaluation times of a backtest (SCORING.md "Backtest"): the first day of each month, 00:00 UTC.
/// </summary>
/// <remarks>
/// Readings made here (a careful analyst's, written down):
/// <list type="bullet">
/// <item>A <c>from</c> that is not a month start means the first month start at or after it; a <c>to</c>
/// that is not one means the last month start at or before it (both ends inclusive, so a range never
/// holds a time outside what was asked).</item>
/// <item>The default range is the last <see cref="DefaultCount"/> month starts T whose full horizon lies
/// inside the data, T + horizon &lt;= the data's end, and that are not before the data's start (an
/// evaluation time with no account yet says nothing). With a shorter history the range is shorter.</item>
/// </list>
/// </remarks>
public static class BacktestCalendar
{
    /// <summary>Number of month starts in the default range.</summary>
    public const int DefaultCount = 12;

    /// <summary>Default horizon in days.</summary>
    public const int DefaultHorizonDays = 90;

    /// <summary>The month start at or after <paramref name="time"/>.</summary>
    public static DateTime MonthStartAtOrAfter(DateTime time)
    {
        var start = MonthStartAtOrBefore(time);
        return start == time ? start : start.AddMonths(1);
    }

    /// <summary>The month start at or before <paramref name="time"/>.</summary>
    public static DateTime MonthStartAtOrBefore(DateTime time) => new(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The month starts from <paramref name="from"/> to <paramref name="to"/>, both inclusive (empty when none lies between).</summary>
    public static IReadOnlyList<DateTime> MonthStarts(DateTime from, DateTime to)
    {
        var times = new List<DateTime>();
        for (var t = MonthStartAtOrAfter(from); t <= to; t = t.AddMonths(1))
        {
            times.Add(t);
        }

        return times;
    }

    /// <summary>
    /// The default range over data from <paramref name="dataStart"/> to <paramref name="dataEnd"/>: the last
    /// <paramref name="count"/> month starts T with dataStart &lt;= T and T + horizon &lt;= dataEnd.
    /// </summary>
    public static IReadOnlyList<DateTime> DefaultRange(DateTime dataStart, DateTime dataEnd, int horizonDays, int count = DefaultCount)
    {
        var all = MonthStarts(dataStart, dataEnd.AddDays(-horizonDays));
        return all.Skip(Math.Max(0, all.Count - count)).ToList();
    }

    /// <summary>How many of <paramref name="times"/> evaluation times are training times: floor(2n/3).</summary>
    public static int TrainingCount(int times) => 2 * times / 3;
}
