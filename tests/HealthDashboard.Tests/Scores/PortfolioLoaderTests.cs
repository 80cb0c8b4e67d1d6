using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Scores;

/// <summary>
/// The loader's usage read puts every row where PortfolioData's usage order wants it: the span's days in order, each
/// piece of the read (ranges of roll-up days, days read raw) in its own place of the one array it fills, also when a
/// roll-up row's count passes int.MaxValue and becomes more rows than the piece's count said.
/// </summary>
public abstract class PortfolioLoaderTests(DatabaseProvider engine)
{
    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public async Task Loads_every_day_of_the_span_in_day_order_with_day_sums_over_int_max_split(int asOfHour)
    {
        var data = TestPortfolio.Data();
        var asOf = TestPortfolio.AsOf.Date.AddHours(asOfHour);
        // Three rows of a billion on one group and day, in the middle of the span: a roll-up count of three billion.
        var heavyDay = asOf.Date.AddDays(-20);
        UsageRow[] heavy = [.. Enumerable.Range(0, 3).Select(i => new UsageRow(1, 3, 0, heavyDay.AddHours(5 + i).Ticks, 1_000_000_000))];
        data = new PortfolioData(data.Accounts, data.Users, data.EventTypeKeys, SortedByTime([.. data.Usage, .. heavy]), data.Tickets, data.Surveys, data.Revenue,
            data.EventTypeNames, data.Overrides, data.Metrics);
        await using var store = await TestStore.CreateWithAsync(engine, data, TestPortfolio.Model(), asOf);
        var loader = store.Get<PortfolioLoader>();
        DateTime from = asOf.AddDays(-45), monthAgo = asOf.AddDays(-30);

        // Edges inside the span (read raw when not at midnight) between the ranges read from the roll-up.
        var fromStore = await loader.LoadAsync(from, asOf, PortfolioLoader.WindowEdges(monthAgo, 7));
        var loaded = fromStore.Usage.ToArray();

        var days = loaded.Select(r => r.Ticks / TimeSpan.TicksPerDay).ToArray();
        Assert.True(days.Zip(days.Skip(1), (a, b) => a <= b).All(inOrder => inOrder), "the usage is in UTC day order");
        Assert.All(loaded, r => Assert.InRange(r.Ticks, from.Ticks + 1, asOf.Ticks));
        var expected = data.Usage.ToArray().Where(r => r.Ticks > from.Ticks && r.Ticks <= asOf.Ticks).ToArray();
        Assert.Equal(DaySums(data, expected), DaySums(fromStore, loaded));
        var heavyGroup = (heavyDay.Ticks / TimeSpan.TicksPerDay, 1, 3, "login");
        Assert.True(DaySums(fromStore, loaded)[heavyGroup] > 3_000_000_000L);

        // Every as-of time this load is exact for scores like the raw rows.
        foreach (var at in new[] { asOf, monthAgo })
        {
            var model = TestPortfolio.Model() with { WindowDays = 7 };
            var scored = Scorer.Score(WindowAggregates.Build(fromStore, at, 7), model);
            var fromRows = Scorer.Score(WindowAggregates.Build(WithUsage(data, SortedByTime(expected)), at, 7), model);
            Assert.Equal(fromRows.Health, scored.Health);
        }
    }

    /// <summary>Summed count per UTC day, account, user and event type (by key: the loader orders event types by key).</summary>
    private static Dictionary<(long Day, int Account, int User, string EventType), long> DaySums(PortfolioData data, IEnumerable<UsageRow> rows) =>
        rows.GroupBy(r => (r.Ticks / TimeSpan.TicksPerDay, r.AccountIndex, r.UserIndex, data.EventTypeKeys[r.EventTypeIndex]))
            .ToDictionary(g => g.Key, g => g.Sum(r => (long)r.Count));

    private static UsageRow[] SortedByTime(UsageRow[] rows) => [.. rows.OrderBy(r => r.Ticks)];

    private static PortfolioData WithUsage(PortfolioData d, UsageRow[] usage) =>
        new(d.Accounts, d.Users, d.EventTypeKeys, usage, d.Tickets, d.Surveys, d.Revenue, d.EventTypeNames, d.Overrides, d.Metrics);
}

public sealed class PortfolioLoaderSqliteTests() : PortfolioLoaderTests(DatabaseProvider.Sqlite);

public sealed class PortfolioLoaderPostgresTests() : PortfolioLoaderTests(DatabaseProvider.Postgres);
