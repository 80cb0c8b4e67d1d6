using CsCheck;

namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// <see cref="WindowAggregates.Build(PortfolioData, DateTime, int, int)"/> shares the usage rows out over threads at scale (each
/// thread a range of accounts and of users): on any data, any number of threads gives exactly the single thread's
/// aggregates. Random rows before, inside and after the window, at midnights, account-level rows, rows of accounts
/// created after T or churned before it (not scored), users created after T, a user's rows under another account, and
/// more threads than accounts or users.
/// </summary>
public class ParallelBuildTests
{
    private static readonly DateTime Day = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);

    private sealed record Case(
        int WindowDays,
        int TSecond,
        int Accounts,
        int[] UserAccounts,
        int[] UserCreatedSecond,
        (int Account, int User, int EventType, int Day, int Second, int Count)[] Rows,
        int Threads);

    private static readonly Gen<Case> Cases =
        from windowDays in Gen.OneOf(Gen.Int[1, 3], Gen.Int[1, 70])
        from t in Gen.OneOf(Gen.Const(0), Gen.Int[0, 86_399])
        from accounts in Gen.Int[1, 6]
        from userAccounts in Gen.Int[0, accounts - 1].Array[0, 12]
        from created in Gen.OneOf(Gen.Const(-1), Gen.Int[-86_400, 86_399]).Array[userAccounts.Length]
        from rows in Gen.Select(
            Gen.Int[0, accounts - 1], Gen.Int[-1, userAccounts.Length - 1], Gen.Int[0, 2], Gen.Int[-80, 1], Gen.OneOf(Gen.Const(0), Gen.Int[0, 86_399]), Gen.Int[1, 9])
            .Array[0, 150]
        from threads in Gen.Int[2, 8]
        select new Case(windowDays, t, accounts, userAccounts, created, rows, threads);

    [Fact]
    public void Aggregates_built_on_several_threads_equal_those_built_on_one()
    {
        Cases.Sample(c =>
        {
            var asOf = Day.AddSeconds(c.TSecond);
            var data = Portfolio(c);
            var single = WindowAggregates.Build(data, asOf, c.WindowDays);
            var shared = WindowAggregates.Build(data, asOf, c.WindowDays, c.Threads, evenWhenSmall: true);
            AggregatesAssert.Equal(single, shared);
            Assert.Equal(single.UserActiveDays, shared.UserActiveDays);
        }, iter: 2_000);
    }

    [Fact]
    public void A_build_on_every_core_is_the_single_threads_on_data_large_enough_to_share_out()
    {
        // Over the row count from which a build shares its rows out: what the app's scoring of a large store runs.
        var random = new Random(7);
        var users = Enumerable.Range(0, 2_000).Select(u => new UserInfo($"u{u}", u % 300, u % 97 == 0 ? Day.AddDays(5) : Day.AddDays(-200))).ToList();
        var rows = Enumerable.Range(0, 300_000)
            .Select(_ => random.Next(users.Count + 1) is var u && u == users.Count
                ? new UsageRow(random.Next(300), -1, random.Next(3), Day.AddDays(-random.Next(40)).AddSeconds(random.Next(86_400)).Ticks, 1)
                : new UsageRow(users[u].AccountIndex, u, random.Next(3), Day.AddDays(-random.Next(40)).AddSeconds(random.Next(86_400)).Ticks, random.Next(1, 4)))
            .OrderBy(r => r.Ticks)
            .ToArray();
        var accounts = Enumerable.Range(0, 300).Select(a => new AccountInfo($"a{a}", $"A{a}", Day.AddDays(a % 50 == 0 ? 1 : -400), null, a % 7, 100)).ToList();
        var data = new PortfolioData(accounts, users, ["login", "export", "share"], rows);
        var asOf = Day.AddHours(9);

        AggregatesAssert.Equal(WindowAggregates.Build(data, asOf, 30), WindowAggregates.Build(data, asOf, 30, usageThreads: 2));
    }

    private static PortfolioData Portfolio(Case c)
    {
        // Account 0 is created after T and account 1 churned before it when there are that many: neither is scored.
        var accounts = Enumerable.Range(0, c.Accounts).Select(a => new AccountInfo(
            $"a{a}", $"A{a}", a == 0 && c.Accounts > 2 ? Day.AddDays(1) : Day.AddDays(-400), a == 1 && c.Accounts > 2 ? Day.AddDays(-3) : null, a, 10 * a)).ToList();
        var users = c.UserAccounts.Select((a, u) => new UserInfo($"u{u}", a, c.UserCreatedSecond[u] < 0 ? null : Day.AddSeconds(c.UserCreatedSecond[u]))).ToList();
        UsageRow[] usage = [.. c.Rows
            .Select(r => new UsageRow(r.Account, r.User, r.EventType, Day.AddDays(r.Day).AddSeconds(r.Second).Ticks, r.Count))
            .OrderBy(r => r.Ticks)];
        return new PortfolioData(accounts, users, ["login", "export", "share"], usage);
    }
}
