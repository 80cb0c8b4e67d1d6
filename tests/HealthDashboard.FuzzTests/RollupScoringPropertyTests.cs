using CsCheck;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.FuzzTests;

/// <summary>
/// The daily roll-up (UsageDaily) changes nothing SCORING.md defines: random portfolios stored in SQLite and
/// loaded by the <see cref="PortfolioLoader"/> (whole days from the roll-up, raw rows for the days a window edge
/// cuts) score exactly like the same usage rows held raw in memory, indicator by indicator, at random as-of
/// times (midnights, arbitrary instants, instants exactly on a row's time or a window's length after it) and
/// windows of 1 to 60 days. The portfolios have rows exactly at midnight, several rows at one time,
/// account-level rows and users created after some as-of times.
/// </summary>
public abstract class RollupScoringPropertyTests(DatabaseProvider engine)
{
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private sealed record Case(
        (int CreatedDay, int ChurnDay, int Seats)[] Accounts,
        (int Account, int CreatedDay)[] Users,
        int EventTypes,
        (int Account, int User, int EventType, int Day, int TimeKind, int Second, int Count)[] Usage,
        (int Kind, int Day, int Second, int Row, int WindowDays)[] AsOfs);

    private static readonly Gen<Case> Cases =
        from accounts in Gen.Select(Gen.Int[-30, 60], Gen.Int[-1, 130], Gen.Int[0, 5]).Array[1, 5]
        from users in Gen.Select(Gen.Int[0, 99], Gen.Int[-1, 110]).Array[0, 8]
        from eventTypes in Gen.Int[1, 4]
        from usage in Gen.Select(Gen.Select(Gen.Int[0, 99], Gen.Int[-3, 99], Gen.Int[0, 3]), Gen.Int[0, 100], Gen.Int[0, 3], Gen.Int[0, 86_399], Gen.Int[1, 5])
            .Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item1.Item3, t.Item2, t.Item3, t.Item4, t.Item5)).Array[0, 150]
        from asOfs in Gen.Select(Gen.Int[0, 3], Gen.Int[0, 102], Gen.Int[0, 86_399], Gen.Int[0, 999], Gen.Int[1, 60]).Array[1, 4]
        select new Case(accounts, users, eventTypes, usage, asOfs);

    [Fact]
    public async Task Scores_from_the_rollup_equal_scores_from_the_raw_rows_at_any_as_of_time()
    {
        // Each case builds a SQLite store; a tenth of the fuzz budget keeps CI within its minutes.
        await Cases.SampleAsync(async c =>
        {
            var data = Build(c, out var rowTimes);
            var asOfs = c.AsOfs.Select(a => (AsOf: AsOfOf(a, rowTimes), a.WindowDays)).ToList();
            var latest = asOfs.Max(a => a.AsOf);
            var model = Model(c.EventTypes, asOfs[0].WindowDays);
            await using var store = await TestStore.CreateWithAsync(engine, data, model, latest);
            var loader = store.Get<PortfolioLoader>();

            // Each as-of time alone, as ScoringService.ScoreAtAsync loads it.
            foreach (var (asOf, windowDays) in asOfs)
            {
                var windowModel = model with { WindowDays = windowDays };
                var from = asOf.AddDays(-windowDays);
                var loaded = await loader.LoadAsync(from, asOf);
                AssertSameScores(Within(data, from, asOf), loaded, asOf, windowModel, $"alone at {asOf:O}, W {windowDays}");
            }

            // All of them from one load of the longest span, as the ScoreBoard loads now and 30 days ago,
            // plus the midnights between (the snapshots), which need no raw rows.
            var spanFrom = asOfs.Min(a => a.AsOf.AddDays(-a.WindowDays));
            var shared = await loader.LoadAsync(spanFrom, latest, asOfs.SelectMany(a => PortfolioLoader.WindowEdges(a.AsOf, a.WindowDays)));
            var reference = Within(data, spanFrom, latest);
            foreach (var (asOf, windowDays) in asOfs.Where(a => a.AsOf.AddDays(-a.WindowDays) >= spanFrom))
            {
                AssertSameScores(reference, shared, asOf, model with { WindowDays = windowDays }, $"shared at {asOf:O}, W {windowDays}");
            }

            for (var midnight = spanFrom.Date.AddDays(1); midnight <= latest; midnight = midnight.AddDays(7))
            {
                var windowDays = (int)Math.Min(30, (midnight - spanFrom).TotalDays);
                if (windowDays >= 1)
                {
                    AssertSameScores(reference, shared, midnight, model with { WindowDays = windowDays }, $"midnight {midnight:O}, W {windowDays}");
                }
            }
        }, iter: Math.Max(20, Fuzz.Iterations / 10), threads: 1, seed: Fuzz.Seed, print: c => $"{c.Accounts.Length} accounts, {c.Users.Length} users, {c.Usage.Length} rows, as-of {string.Join(' ', c.AsOfs)}");
    }

    private static void AssertSameScores(PortfolioData raw, PortfolioData loaded, DateTime asOf, ScoringModel model, string where)
    {
        var expected = ScoringService.Score(raw, asOf, model, 0);
        var actual = ScoringService.Score(loaded, asOf, model, 0);
        WindowAggregates e = expected.Aggregates, a = actual.Aggregates;
        Assert.True(e.Accounts.SequenceEqual(a.Accounts), $"{where}: scored accounts");
        Assert.True(e.Users.SequenceEqual(a.Users), $"{where}: scored users");
        Assert.True(e.AccountEventCounts.SequenceEqual(a.AccountEventCounts), $"{where}: counts per account and event type");
        Assert.True(e.AccountEventLastTicks.SequenceEqual(a.AccountEventLastTicks), $"{where}: last time per account and event type (value moments)");
        Assert.True(e.LastUsageTicks.SequenceEqual(a.LastUsageTicks), $"{where}: last usage per account");
        Assert.True(e.UserLastTicks.SequenceEqual(a.UserLastTicks), $"{where}: last usage per user");
        Assert.True(e.AccountActiveDays.SequenceEqual(a.AccountActiveDays), $"{where}: active days per account");
        Assert.True(e.UserActiveDays.SequenceEqual(a.UserActiveDays), $"{where}: active days per user");
        Assert.True(e.ActiveUsers.SequenceEqual(a.ActiveUsers), $"{where}: active users");
        for (var account = 0; account < expected.Scores.AccountCount; account++)
        {
            foreach (var indicator in Enum.GetValues<Indicator>())
            {
                Assert.True(
                    Same(expected.Scores.Value(account, indicator), actual.Scores.Value(account, indicator))
                    && Same(expected.Scores.RawValue(account, indicator), actual.Scores.RawValue(account, indicator)),
                    $"{where}: {indicator} of account {raw.Accounts[e.Accounts[account]].Id}: raw rows {expected.Scores.Value(account, indicator)} "
                    + $"({expected.Scores.RawValue(account, indicator)}), roll-up {actual.Scores.Value(account, indicator)} ({actual.Scores.RawValue(account, indicator)})");
            }
        }

        Assert.True(expected.Scores.Health.SequenceEqual(actual.Scores.Health), $"{where}: health");
        Assert.True(expected.Scores.UserEngagement.SequenceEqual(actual.Scores.UserEngagement), $"{where}: user engagement");
    }

    private static bool Same(double? x, double? y) => x is null ? y is null : y is not null && x.Value.Equals(y.Value);

    private static ScoringModel Model(int eventTypes, int windowDays)
    {
        var model = ScoringModel.Default with { WindowDays = windowDays };
        for (var e = 0; e < eventTypes; e++)
        {
            model = model.WithEventType(Key(e), new EventTypeSettings(1 + (e * 2), KeyFeature: e % 2 == 0, ValueMoment: e == 1));
        }

        return model;
    }

    // Event type keys sort like their indices: the loader orders event types by key.
    private static string Key(int e) => $"e{e}";

    private static PortfolioData Build(Case c, out long[] rowTimes)
    {
        var accounts = c.Accounts.Select((a, i) => new AccountInfo(
            $"A{i}", $"Account {i}", Origin.AddDays(a.CreatedDay), a.ChurnDay < 0 ? null : Origin.AddDays(a.ChurnDay).AddHours(5), a.Seats)).ToList();
        var users = c.Users.Select((u, i) => new UserInfo(
            $"U{i}", u.Account % accounts.Count, u.CreatedDay < 0 ? null : Origin.AddDays(u.CreatedDay).AddHours(12))).ToList();
        var usage = new List<UsageRow>();
        foreach (var r in c.Usage)
        {
            var account = r.Account % accounts.Count;
            var ownUsers = Enumerable.Range(0, users.Count).Where(u => users[u].AccountIndex == account).ToList();
            // Negative draws (and accounts without users) give account-level rows.
            var user = r.User < 0 || ownUsers.Count == 0 ? -1 : ownUsers[r.User % ownUsers.Count];
            var dayStart = Origin.AddDays(r.Day).Ticks;
            var ticks = r.TimeKind switch
            {
                0 => dayStart,
                1 => dayStart + (r.Second * TimeSpan.TicksPerSecond) + 1234,
                2 when usage.Count > 0 => usage[^1].Ticks,
                _ => dayStart + TimeSpan.TicksPerDay - 1,
            };
            usage.Add(new UsageRow(account, user, r.EventType % c.EventTypes, ticks, r.Count));
        }

        var sorted = usage.OrderBy(r => r.Ticks).ToArray();
        rowTimes = [.. sorted.Select(r => r.Ticks)];
        return new PortfolioData(accounts, users, [.. Enumerable.Range(0, c.EventTypes).Select(Key)], sorted);
    }

    private static DateTime AsOfOf((int Kind, int Day, int Second, int Row, int WindowDays) a, long[] rowTimes)
    {
        var midnight = Origin.AddDays(a.Day);
        return a.Kind switch
        {
            0 => midnight,
            1 => midnight.AddSeconds(a.Second),
            // Exactly on a row: the row is in the window; W days later it has just left it.
            2 when rowTimes.Length > 0 => new DateTime(rowTimes[a.Row % rowTimes.Length], DateTimeKind.Utc),
            3 when rowTimes.Length > 0 => new DateTime(rowTimes[a.Row % rowTimes.Length], DateTimeKind.Utc).AddDays(a.WindowDays),
            _ => midnight.AddTicks(TimeSpan.TicksPerDay - 1),
        };
    }

    /// <summary>The portfolio with only the usage rows in (<paramref name="from"/>, <paramref name="to"/>], as the loader's span has them.</summary>
    private static PortfolioData Within(PortfolioData data, DateTime from, DateTime to) =>
        new(data.Accounts, data.Users, data.EventTypeKeys, [.. data.Usage.ToArray().Where(r => r.Ticks > from.Ticks && r.Ticks <= to.Ticks)], eventTypeNames: data.EventTypeNames);
}

public sealed class RollupScoringPropertySqliteTests() : RollupScoringPropertyTests(DatabaseProvider.Sqlite);

/// <summary>
/// On PostgreSQL, where the loader also has the database aggregate the edge days (GROUP BY within the stretches
/// between window edges): the same raw-row reference, so PostgreSQL and SQLite score the same data identically.
/// </summary>
public sealed class RollupScoringPropertyPostgresTests() : RollupScoringPropertyTests(DatabaseProvider.Postgres);
