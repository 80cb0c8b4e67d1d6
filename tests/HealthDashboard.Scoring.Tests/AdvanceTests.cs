using CsCheck;

namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// <see cref="WindowAggregates.Advance"/> (the score board's refresh after an import) gives exactly what
/// <see cref="WindowAggregates.Build(PortfolioData, DateTime, int)"/> gives on the new data: random old rows, rows added before, inside and after
/// the window, T moving on inside its UTC day (from its midnight, too), the window start moving over rows, rows dropped
/// before the new data's start, users created between the two as-of times (then it declines), windows of 1 to 70 days;
/// and chains of refreshes whose T passes rows already loaded, each advancing the last one's aggregates.
/// </summary>
public class AdvanceTests
{
    private static readonly DateTime Day = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);

    private sealed record Case(
        int WindowDays,
        int T0Second,
        int MoveSeconds,
        int DropDaysBeforeWindow,
        (int Account, int User, int EventType, int Day, int Second, int Count)[] Old,
        (int Account, int User, int EventType, int Day, int Second, int Count)[] Added,
        int[] UserCreatedSecond);

    private static readonly Gen<(int, int, int, int, int, int)> Rows =
        Gen.Select(Gen.Int[0, 3], Gen.Int[-1, 7], Gen.Int[0, 2], Gen.OneOf(Gen.Int[-75, 0], Gen.Int[-3, 0]), Gen.OneOf(Gen.Const(0), Gen.Int[0, 86_399]), Gen.Int[1, 4]);

    private static readonly Gen<Case> Cases =
        from windowDays in Gen.OneOf(Gen.Int[1, 3], Gen.Int[1, 70])
        from t0 in Gen.OneOf(Gen.Const(0), Gen.Int[0, 86_399])
        from move in Gen.OneOf(Gen.Const(0), Gen.Int[0, 3_600], Gen.Int[0, 86_399])
        from drop in Gen.OneOf(Gen.Const(-1), Gen.Int[0, 3])
        from old in Rows.Array[0, 120]
        from added in Rows.Array[0, 40]
        from created in Gen.OneOf(Gen.Const(-1), Gen.Int[0, 86_399]).Array[8]
        select new Case(windowDays, t0, move, drop, old, added, created);

    [Fact]
    public void Advanced_aggregates_equal_aggregates_built_from_the_new_data()
    {
        // Many small cases: what matters is rows right at the moving window start.
        Cases.Sample(c =>
        {
            DateTime t0 = Day.AddSeconds(c.T0Second), t1 = t0.AddSeconds(Math.Min(c.MoveSeconds, 86_399 - c.T0Second));
            // Where the new data starts: before the window start by some days, or nothing dropped.
            var dataFrom = c.DropDaysBeforeWindow < 0 ? long.MinValue : t1.AddDays(-c.WindowDays - c.DropDaysBeforeWindow).AddSeconds(-1).Ticks;
            var oldRows = Usage(c.Old);
            var addedRows = Usage(c.Added).Where(r => r.Ticks > dataFrom).ToArray();
            var users = Enumerable.Range(0, 8).Select(u => new UserInfo($"u{u}", u % 4, c.UserCreatedSecond[u] < 0 ? null : Day.AddSeconds(c.UserCreatedSecond[u]))).ToList();
            var before = Portfolio(users, oldRows);
            var after = Portfolio(users, [.. oldRows.Where(r => r.Ticks > dataFrom), .. addedRows]);

            var previous = WindowAggregates.Build(before, t0, c.WindowDays);
            var expected = WindowAggregates.Build(after, t1, c.WindowDays);
            var advanced = WindowAggregates.Advance(previous, after, t1, addedRows, dataFrom);
            if (advanced is null)
            {
                // Only when a user was created between the two as-of times.
                Assert.False(expected.Users.AsSpan().SequenceEqual(previous.Users));
                return;
            }

            AggregatesAssert.Equal(expected, advanced);
            Assert.Equal(Scorer.Score(expected, ScoringModel.Default with { WindowDays = c.WindowDays }).Health,
                Scorer.Score(advanced, ScoringModel.Default with { WindowDays = c.WindowDays }).Health);
        }, iter: 3_000);
    }

    /// <summary>A refresh: T moves on by <c>MoveSeconds</c>, and an import added <c>Added</c>.</summary>
    private sealed record Step(int MoveSeconds, (int Account, int User, int EventType, int Day, int Second, int Count)[] Added);

    private sealed record Chain(int WindowDays, int T0Second, (int Account, int User, int EventType, int Day, int Second, int Count)[] Old, Step[] Steps);

    /// <summary>
    /// Rows where the moving T takes them in: on T's day within seconds of the as-of times the chain passes through
    /// (exactly at one, one second either side), on the window start's day, and anywhere in or before the window.
    /// </summary>
    private static Gen<(int, int, int, int, int, int)> RowsAround(int windowDays, int t0Second) =>
        Gen.Select(
            Gen.Int[0, 3],
            Gen.Int[-1, 7],
            Gen.Int[0, 2],
            Gen.OneOf(Gen.Const(0), Gen.Const(0), Gen.Const(-windowDays), Gen.Int[-windowDays - 2, 0]),
            Gen.OneOf(Gen.Int[Math.Max(0, t0Second - 2), Math.Min(86_399, t0Second + 7_300)], Gen.Const(t0Second), Gen.Int[0, 86_399]),
            Gen.Int[1, 4]);

    private static readonly Gen<Chain> Chains =
        from windowDays in Gen.OneOf(Gen.Int[1, 3], Gen.Int[1, 40])
        from t0 in Gen.OneOf(Gen.Const(0), Gen.Int[0, 79_000])
        from old in RowsAround(windowDays, t0).Array[0, 150]
        from steps in Gen.Select(Gen.OneOf(Gen.Const(0), Gen.Const(1), Gen.Int[0, 1_800]), RowsAround(windowDays, t0).Array[0, 20], (move, added) => new Step(move, added)).Array[1, 5]
        select new Chain(windowDays, t0, old, steps);

    [Fact]
    public void A_chain_of_refreshes_advancing_T_over_rows_already_loaded_equals_a_build_at_every_step()
    {
        // The step "rows the moving T takes in" on its own: the data already holds rows after T (loaded or imported
        // earlier), and each refresh's T passes some of them, lands exactly on one or stops a second short. Each
        // step advances the previous step's advanced aggregates, as the score board does refresh after refresh.
        Chains.Sample(c =>
        {
            var users = Enumerable.Range(0, 8).Select(u => new UserInfo($"u{u}", u % 4, Day.AddDays(-100))).ToList();
            var model = ScoringModel.Default with { WindowDays = c.WindowDays };
            var rows = Usage(c.Old);
            var t = Day.AddSeconds(c.T0Second);
            // With room after the rows, as the loader makes them: steps whose rows all come after the held ones are
            // appended in place (PortfolioData.WithUsageAppended), the others sorted into new data.
            var data = Portfolio(users, rows, room: 8);
            var aggregates = WindowAggregates.Build(data, t, c.WindowDays);
            foreach (var step in c.Steps)
            {
                t = t.AddSeconds(Math.Min(step.MoveSeconds, 86_399 - ((t.Ticks / TimeSpan.TicksPerSecond) % 86_400)));
                var added = Usage(step.Added).OrderBy(r => r.Ticks).ToArray();
                rows = [.. rows, .. added];
                var previousData = data;
                var held = previousData.Usage;
                data = held.IsEmpty || added.Length == 0 || added[0].Ticks >= held[^1].Ticks
                    ? previousData.WithUsageAppended(previousData, 0, added)
                    : Portfolio(users, rows, room: 8);
                var advanced = WindowAggregates.Advance(aggregates, data, t, added, long.MinValue)
                    ?? throw new InvalidOperationException("Advance declined a move forward within the day with the same users.");
                var expected = WindowAggregates.Build(data, t, c.WindowDays);
                AggregatesAssert.Equal(expected, advanced);
                Assert.Equal(Scorer.Score(expected, model).Health, Scorer.Score(advanced, model).Health);
                // The previous data's view is what it was: a build from it still gives the previous aggregates.
                AggregatesAssert.Equal(WindowAggregates.Build(previousData, aggregates.AsOf, c.WindowDays), aggregates);
                aggregates = advanced;
            }
        }, iter: 2_000);
    }

    [Fact]
    public void It_declines_when_T_moves_back_or_into_another_day()
    {
        var data = Portfolio([new UserInfo("u0", 0)], Usage([(0, 0, 0, -1, 3_600, 1)]));
        var previous = WindowAggregates.Build(data, Day.AddHours(10), 7);
        Assert.Null(WindowAggregates.Advance(previous, data, Day.AddHours(9), [], long.MinValue));
        Assert.Null(WindowAggregates.Advance(previous, data, Day.AddDays(1), [], long.MinValue));
        Assert.NotNull(WindowAggregates.Advance(previous, data, Day.AddHours(11), [], long.MinValue));
    }

    private static UsageRow[] Usage((int Account, int User, int EventType, int Day, int Second, int Count)[] rows) =>
        [.. rows.Select(r => new UsageRow(r.User >= 0 ? r.User % 4 : r.Account, r.User, r.EventType, Day.AddDays(r.Day).AddSeconds(r.Second).Ticks, r.Count))];

    /// <summary>Four accounts (one created and one churned on the as-of day, so the population at T0 and T1 may differ only by users).</summary>
    private static PortfolioData Portfolio(List<UserInfo> users, UsageRow[] usage, int room = 0)
    {
        List<AccountInfo> accounts =
        [
            new("a0", "A0", Day.AddDays(-400), null, 3, 100),
            new("a1", "A1", Day.AddDays(-400), null, 0, 50),
            new("a2", "A2", Day.AddDays(-400), Day.AddDays(2), 5, 10),
            new("a3", "A3", Day.AddDays(-30), null, 1, 0),
        ];
        UsageRow[] sorted = [.. usage.OrderBy(r => r.Ticks), .. new UsageRow[room]];
        return new PortfolioData(accounts, users, ["login", "export", "share"], sorted, usageRows: usage.Length);
    }
}
