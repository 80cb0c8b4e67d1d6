using HealthDashboard.Bench.Synthetic;

namespace HealthDashboard.Bench;

/// <summary>The sizes and repetitions of one bench run: the issues' full scale, or a small one that runs in seconds.</summary>
/// <param name="Portfolio">The portfolio of the scoring, preview and Accounts page parts.</param>
/// <param name="Import">The portfolio whose usage.csv the import part imports (its row count is the CSV's).</param>
/// <param name="Warmups">Untimed runs before the timed runs of a fast operation.</param>
/// <param name="Runs">Timed runs of a fast operation (milliseconds each).</param>
/// <param name="SlowRuns">Timed runs of an operation that takes seconds (after one warm-up).</param>
public sealed record Scale(bool Quick, PortfolioSpec Portfolio, PortfolioSpec Import, int Warmups, int Runs, int SlowRuns)
{
    public static Scale Full { get; } = new(false,
        Portfolio: new(Accounts: 10_000, Users: 100_000, EventTypes: 40, UsageRows: 10_000_000),
        Import: new(Accounts: 10_000, Users: 100_000, EventTypes: 40, UsageRows: 1_000_000),
        Warmups: 5, Runs: 50, SlowRuns: 3);

    public static Scale Small { get; } = new(true,
        Portfolio: new(Accounts: 500, Users: 5_000, EventTypes: 40, UsageRows: 100_000),
        Import: new(Accounts: 500, Users: 5_000, EventTypes: 40, UsageRows: 50_000),
        Warmups: 2, Runs: 10, SlowRuns: 2);
}
