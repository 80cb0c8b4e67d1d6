namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// PortfolioData's usage order: UTC days in order, each day's midnight rows first, any order otherwise inside a day
/// (what a load from the daily roll-up gives). Scoring at a midnight must not depend on the order inside a day.
/// </summary>
public class UsageOrderTests
{
    private static readonly DateTime Midnight = new(2025, 6, 30, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Rows_of_a_day_out_of_time_order_score_as_the_time_sorted_rows_do()
    {
        var sorted = Portfolio(shuffleInsideDays: false);
        var shuffled = Portfolio(shuffleInsideDays: true);
        Assert.False(sorted.Usage.SequenceEqual(shuffled.Usage));

        foreach (var asOf in new[] { Midnight, Midnight.AddDays(-1), Midnight.AddDays(-7) })
        {
            AggregatesAssert.Equal(WindowAggregates.Build(sorted, asOf, 30), WindowAggregates.Build(shuffled, asOf, 30));
            Assert.Equal(
                Scorer.Score(sorted, asOf, ScoringModelSet.Of(ScoringModel.Default)).Health,
                Scorer.Score(shuffled, asOf, ScoringModelSet.Of(ScoringModel.Default)).Health);
        }
    }

    [Fact]
    public void A_midnight_row_after_another_row_of_its_day_is_refused_and_a_later_day_before_an_earlier_one_too()
    {
        AccountInfo[] accounts = [new("acme", "Acme", Midnight.AddDays(-365), null, 5, 100)];
        var noon = Midnight.AddHours(12).Ticks;
        var error = Assert.Throws<ArgumentException>(() => new PortfolioData(accounts, [], ["login"],
            [new UsageRow(0, -1, 0, noon, 1), new UsageRow(0, -1, 0, Midnight.Ticks, 1)]));
        Assert.Contains("row 1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PortfolioData(accounts, [], ["login"],
            [new UsageRow(0, -1, 0, noon, 1), new UsageRow(0, -1, 0, Midnight.AddHours(-1).Ticks, 1)]));

        // Midnight rows first, then the day's others in any order: accepted, and a window ending at that midnight holds
        // exactly the midnight row of that day.
        var data = new PortfolioData(accounts, [], ["login"],
            [new UsageRow(0, -1, 0, Midnight.Ticks, 2), new UsageRow(0, -1, 0, noon, 1), new UsageRow(0, -1, 0, Midnight.AddHours(3).Ticks, 1)]);
        Assert.Equal(1, PortfolioData.FirstAfter(data.Usage, Midnight.Ticks));
        Assert.Equal(2, WindowAggregates.Build(data, Midnight, 30).AccountEventCounts[0]);
    }

    /// <summary>Three accounts, users with and without created dates, rows on 40 days with some at midnight.</summary>
    private static PortfolioData Portfolio(bool shuffleInsideDays)
    {
        var random = new Random(7);
        var accounts = Enumerable.Range(0, 3).Select(a => new AccountInfo($"a{a}", $"A{a}", Midnight.AddDays(-400), null, 4, 100)).ToList();
        var users = Enumerable.Range(0, 9).Select(u => new UserInfo($"u{u}", u % 3, u == 4 ? Midnight.AddDays(-3) : null)).ToList();
        var rows = new List<UsageRow>();
        for (var day = -40; day < 0; day++)
        {
            for (var i = 0; i < 12; i++)
            {
                var user = random.Next(-1, users.Count);
                var account = user >= 0 ? users[user].AccountIndex : random.Next(accounts.Count);
                var at = Midnight.AddDays(day).AddSeconds(i == 0 ? 0 : random.Next(1, 86_400));
                rows.Add(new UsageRow(account, user, random.Next(3), at.Ticks, random.Next(1, 5)));
            }
        }

        var sorted = rows.OrderBy(r => r.Ticks).ToArray();
        if (shuffleInsideDays)
        {
            // Each day's non-midnight rows reversed (a different order, still after the midnight rows).
            foreach (var day in sorted.GroupBy(r => r.Ticks / TimeSpan.TicksPerDay).ToList())
            {
                var first = Array.IndexOf(sorted, day.First());
                var others = day.Where(r => r.Ticks % TimeSpan.TicksPerDay != 0).Reverse().ToArray();
                others.CopyTo(sorted, first + day.Count() - others.Length);
            }
        }

        return new PortfolioData(accounts, users, ["login", "report", "export"], sorted);
    }
}
