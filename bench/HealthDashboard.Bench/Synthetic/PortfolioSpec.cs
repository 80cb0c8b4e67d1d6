namespace HealthDashboard.Bench.Synthetic;

/// <summary>
/// The size of a synthetic portfolio and the seed that makes it repeatable. Every part of the bench
/// scores at <see cref="AsOf"/> with a <see cref="WindowDays"/>-day window, and every generated usage
/// row falls inside that window.
/// </summary>
public sealed record PortfolioSpec(int Accounts, int Users, int EventTypes, int UsageRows, int Seed = 20261101)
{
    /// <summary>Bump when the generator changes, so cached files made by an older generator are not reused.</summary>
    public const int GeneratorVersion = 2; // 2: the SQLite file carries the usage roll-up (UsageDaily)

    public const int WindowDays = 30;

    /// <summary>Midnight, so the window is exactly the 30 calendar days before it.</summary>
    public static DateTime AsOf { get; } = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Names a cached file made from this spec.</summary>
    public string Key => $"a{Accounts}-u{Users}-e{EventTypes}-r{UsageRows}-s{Seed}-g{GeneratorVersion}";
}
