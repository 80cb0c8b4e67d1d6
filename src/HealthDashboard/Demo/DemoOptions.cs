using System.Globalization;

namespace HealthDashboard.Demo;

/// <summary>What demo data set to make.</summary>
public sealed record DemoOptions
{
    /// <summary>Number of accounts, churned ones included (about 13 users each).</summary>
    public int Accounts { get; init; } = 300;

    /// <summary>The same seed (and <see cref="Now"/>) always gives the same data set.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>When the data ends (UTC); null: the clock's now. The usage history covers the 15 months (456 days) before it.</summary>
    public DateTime? Now { get; init; }
}

/// <summary>What the demo generator wrote.</summary>
/// <param name="Accounts">All accounts, churned ones included.</param>
/// <param name="ChurnedAccounts">Accounts whose churned date is in the past.</param>
/// <param name="UsageRows">Usage rows (a daily-export row with count n is one row).</param>
/// <param name="UsageEvents">Sum of the usage rows' counts.</param>
/// <param name="Now">When the data ends.</param>
/// <param name="Elapsed">Time taken to build and write the data.</param>
public sealed record DemoSummary(
    int Accounts, int ChurnedAccounts, int Users, int EventTypes, int UsageRows, long UsageEvents,
    int Tickets, int Surveys, int RevenueEntries, int MetricRows, DateTime Now, TimeSpan Elapsed)
{
    /// <summary>One line for the command line and the import history.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Demo data: {Accounts:N0} accounts ({ChurnedAccounts} churned), {Users:N0} users, {EventTypes} event types, " +
        $"{UsageRows:N0} usage rows ({UsageEvents:N0} events, {DemoDataBuilder.HistoryDays} days to {Now:yyyy-MM-dd HH:mm} UTC), {Tickets:N0} tickets, " +
        $"{Surveys:N0} survey responses, {RevenueEntries:N0} revenue entries, {MetricRows:N0} metric values in {Elapsed.TotalSeconds:0.0} s.");
}
