using HealthDashboard.Data;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Backtests;

/// <summary>
/// A small hand-made churn history for the backtest's command-line and component tests. Usage from 2024-11-01 to
/// 2025-05-31 (09:00 daily), the as-of clock at <see cref="AsOf"/>:
/// "busy" and "quiet" (no usage at all) never churn; "fading" stops using the product on 01-20 and churns on
/// 2025-03-20; "surprise" is as busy as "busy" and churns on 2025-02-15.
/// </summary>
/// <remarks>
/// With the default 90 days the default range is 2024-12-01 to 2025-03-01 (T + 90 d at or before 05-31):
/// 12-01 surprise churns within; 01-01 and 02-01 both; 03-01 fading (surprise is gone): 15 pairs, 6 churned.
/// </remarks>
public static class ChurnHistory
{
    /// <summary>The pinned as-of time (the data's end is just before it).</summary>
    public static readonly DateTime AsOf = Utc(2025, 6, 1);

    /// <summary>The default range's evaluation times.</summary>
    public static IReadOnlyList<DateTime> DefaultTimes { get; } = [Utc(2024, 12, 1), Utc(2025, 1, 1), Utc(2025, 2, 1), Utc(2025, 3, 1)];

    public static DateTime Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The data set.</summary>
    public static PortfolioData Build()
    {
        var b = new PortfolioBuilder();
        var created = Utc(2024, 1, 1);
        var busy = b.Account("busy", seats: 1, created: created);
        b.Account("quiet", seats: 1, created: created);
        var fading = b.Account("fading", seats: 1, created: created, churned: Utc(2025, 3, 20));
        var surprise = b.Account("surprise", seats: 1, created: created, churned: Utc(2025, 2, 15));
        int busyUser = b.User(busy), fadingUser = b.User(fading), surpriseUser = b.User(surprise);
        for (var day = Utc(2024, 11, 1).AddHours(9); day < AsOf; day = day.AddDays(1))
        {
            b.Use(busy, busyUser, "login", day);
            if (day < Utc(2025, 1, 20))
            {
                b.Use(fading, fadingUser, "login", day, count: 2);
            }

            if (day < Utc(2025, 2, 15))
            {
                b.Use(surprise, surpriseUser, "login", day, count: 3);
            }
        }

        return b.Build();
    }

    /// <summary>A store holding the data with the default model saved, the as-of clock pinned to <see cref="AsOf"/>.</summary>
    public static Task<TestStore> CreateStoreAsync(DatabaseProvider engine = DatabaseProvider.Sqlite) => TestStore.CreateWithAsync(engine, Build(), ScoringModel.Default, AsOf);
}
