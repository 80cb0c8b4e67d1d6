using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.TestKit;

/// <summary>
/// A small, varied portfolio scored in memory by the real scoring core (no database): a thriving,
/// a steady, a declining, a silent and a brand-new account, so every band appears. For component tests.
/// </summary>
public static class TestPortfolio
{
    /// <summary>The as-of time of the test portfolio.</summary>
    public static readonly DateTime AsOf = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>Builds the data set.</summary>
    public static PortfolioData Data()
    {
        var accounts = new List<AccountInfo>
        {
            new("ACC-1", "Northwind Logistics", AsOf.AddDays(-400), Seats: 4, Mrr: 5000, Segment: "Enterprise", Plan: "Business", Owner: "Maya Chen", RenewalDate: AsOf.AddDays(20)),
            new("ACC-2", "Bluepeak Analytics", AsOf.AddDays(-300), Seats: 4, Mrr: 1200, Segment: "Mid-Market", Plan: "Growth", Owner: "Liam Ortiz", RenewalDate: AsOf.AddDays(200)),
            new("ACC-3", "Cedar & Pine Studio", AsOf.AddDays(-500), Seats: 5, Mrr: 800, Segment: "SMB", Plan: "Starter", Owner: "Maya Chen", RenewalDate: AsOf.AddDays(45)),
            new("ACC-4", "Harborview Health", AsOf.AddDays(-250), Seats: 10, Mrr: 9000, Segment: "Enterprise", Plan: "Enterprise", Owner: "Liam Ortiz", RenewalDate: AsOf.AddDays(10)),
            new("ACC-5", "Quillon Labs", AsOf.AddDays(-20), Seats: 3, Mrr: 300, Segment: "SMB", Plan: "Starter", Owner: "Ana Silva"),
            new("ACC-6", "Gone Corp", AsOf.AddDays(-600), AsOf.AddDays(-5), Seats: 2, Mrr: 100),
        };
        var users = new List<UserInfo>();
        for (var a = 0; a < accounts.Count; a++)
        {
            for (var u = 0; u < 3; u++)
            {
                users.Add(new UserInfo($"U-{a + 1}{u + 1}", a, AsOf.AddDays(-400), $"User {a + 1}.{u + 1}", $"user{a + 1}{u + 1}@example.com"));
            }
        }

        string[] eventTypes = ["login", "report_created", "dashboard_shared"];
        var usage = new List<UsageRow>();
        void Daily(int account, int user, int eventType, int fromDaysAgo, int toDaysAgo, int count)
        {
            for (var d = fromDaysAgo; d >= toDaysAgo; d--)
            {
                usage.Add(new UsageRow(account, user, eventType, AsOf.AddDays(-d).AddHours(-1).Ticks, count));
            }
        }

        // Thriving: every user, every day, key features.
        for (var u = 0; u < 3; u++)
        {
            Daily(0, u, 0, 60, 0, 5);
            Daily(0, u, 1, 60, 0, 3);
            Daily(0, u, 2, 60, 0, 2);
        }

        // Steady: two users, some days.
        Daily(1, 3, 0, 60, 0, 2);
        Daily(1, 4, 1, 40, 2, 1);
        // Declining: one user, only long ago plus a trickle.
        Daily(2, 6, 0, 60, 25, 1);
        // Silent: active until 45 days ago (user 9 went quiet 20 days ago).
        Daily(3, 9, 0, 60, 45, 4);
        Daily(3, 10, 0, 60, 20, 1);
        // New: a little onboarding usage.
        Daily(4, 12, 0, 10, 0, 1);
        usage.Sort((x, y) => x.Ticks.CompareTo(y.Ticks));

        var tickets = new List<TicketInfo>
        {
            new("T-1", 3, AsOf.AddDays(-3), Escalated: true),
            new("T-2", 3, AsOf.AddDays(-4), AsOf.AddDays(-2), Satisfaction: 1),
            new("T-3", 2, AsOf.AddDays(-10), AsOf.AddDays(-9), Satisfaction: 2),
        };
        var surveys = new List<SurveyInfo>
        {
            new(0, 0, AsOf.AddDays(-15), SurveyKind.Nps, 10),
            new(3, -1, AsOf.AddDays(-15), SurveyKind.Nps, 2),
        };
        var revenue = new List<RevenueEntry>
        {
            new(0, AsOf.AddDays(-200), 4000, 1),
            new(0, AsOf.AddDays(-10), 5000, 2),
            new(3, AsOf.AddDays(-200), 12000, 3),
            new(3, AsOf.AddDays(-10), 9000, 4),
        };
        return new PortfolioData(accounts, users, eventTypes, [.. usage], tickets, surveys, revenue,
            ["Logged in", "Report created", "Dashboard shared"]);
    }

    /// <summary>The default model with dashboard_shared as a key feature.</summary>
    public static ScoringModel Model() => ScoringModel.Default
        .WithEventType("login", new EventTypeSettings(1))
        .WithEventType("report_created", new EventTypeSettings(5, KeyFeature: true))
        .WithEventType("dashboard_shared", new EventTypeSettings(7, KeyFeature: true, ValueMoment: true));

    /// <summary>The data scored at <see cref="AsOf"/> (and 30 days before, for trends) as pages see it.</summary>
    public static PortfolioView View(ScoringModel? model = null)
    {
        model ??= Model();
        var data = Data();
        ScoredPortfolio Score(DateTime asOf)
        {
            var aggregates = WindowAggregates.Build(data, asOf, model.WindowDays);
            return new ScoredPortfolio(1, model, aggregates, Scorer.Score(aggregates, model));
        }

        var history = Enumerable.Range(0, 10)
            .Select(i => new PortfolioDay(AsOf.Date.AddDays(i - 9), 55 + i, 2, 1, 2))
            .ToList();
        return new PortfolioView(Score(AsOf), Score(AsOf.AddDays(-30)), new Dictionary<string, IReadOnlyList<double>>(), history);
    }
}
