namespace HealthDashboard.Demo;

/// <summary>The life an account leads in the demo's 15 months; it shapes usage, tickets, surveys and revenue.</summary>
internal enum AccountStory
{
    Thriving,
    Steady,
    Declining,

    /// <summary>Used the product normally, then stopped 20-60 days ago.</summary>
    Silent,

    /// <summary>Signed in the last 60 days and still ramping up.</summary>
    Onboarding,

    /// <summary>Busy and quiet in turns (a school year, a retail season).</summary>
    Seasonal,

    /// <summary>Declined and left: churned_at is in the past.</summary>
    Churned,
}

internal sealed record DemoAccount(
    string Id, string Name, string Domain, string Segment, string Plan, int Seats, double Mrr,
    DateTime? RenewalDate, string Owner, DateTime CreatedAt, DateTime? ChurnedAt, AccountStory Story);

internal sealed record DemoUser(string Id, int Account, string Name, string Email, DateTime CreatedAt);

/// <summary>One usage row; <see cref="User"/> is -1 for an account-level row. Indices point into the data set's lists.</summary>
internal readonly record struct DemoUsage(long Ticks, int Account, int User, int EventType, int Count) : IComparable<DemoUsage>
{
    /// <summary>Time first, then the rest, so the order (and thus the stored ids) never depends on the sort algorithm.</summary>
    public int CompareTo(DemoUsage other)
    {
        var c = Ticks.CompareTo(other.Ticks);
        if (c == 0)
        {
            c = Account.CompareTo(other.Account);
        }

        if (c == 0)
        {
            c = User.CompareTo(other.User);
        }

        if (c == 0)
        {
            c = EventType.CompareTo(other.EventType);
        }

        return c != 0 ? c : Count.CompareTo(other.Count);
    }
}

internal sealed record DemoTicket(string Id, int Account, DateTime OpenedAt, DateTime? ClosedAt, string Priority, bool Escalated, int? Satisfaction);

/// <summary>A survey response; <see cref="User"/> is -1 for an anonymous one.</summary>
internal sealed record DemoSurvey(int Account, int User, DateTime RespondedAt, string Kind, int Score);

internal sealed record DemoRevenue(int Account, DateTime Date, double Mrr);

/// <summary>One <c>metrics.csv</c> row (a custom indicator's input).</summary>
internal sealed record DemoMetric(int Account, string Metric, DateTime Time, double Value);

/// <summary>The whole demo data set in memory, before it goes to the database or to CSV files.</summary>
internal sealed class DemoDataSet
{
    public required DateTime Now { get; init; }
    public IReadOnlyList<DemoEventType> EventTypes { get; init; } = DemoCatalog.EventTypes;
    public List<DemoAccount> Accounts { get; } = [];
    public List<DemoUser> Users { get; } = [];
    public DemoUsage[] Usage { get; set; } = [];
    public List<DemoTicket> Tickets { get; } = [];
    public List<DemoSurvey> Surveys { get; } = [];
    public List<DemoRevenue> Revenue { get; } = [];
    public List<DemoMetric> Metrics { get; } = [];
}
