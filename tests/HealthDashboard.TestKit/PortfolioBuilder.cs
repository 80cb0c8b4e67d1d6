using HealthDashboard.Scoring;

namespace HealthDashboard.TestKit;

/// <summary>
/// The one portfolio builder of the tests: small <see cref="PortfolioData"/> sets by name, so a test reads like
/// the situation it describes. Accounts are created a year before <see cref="T"/> unless told otherwise.
/// </summary>
public sealed class PortfolioBuilder
{
    /// <summary>The as-of time every test scores at unless it says otherwise: midday, so day edges are visible.</summary>
    public static readonly DateTime T = new(2025, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    private readonly List<AccountInfo> accounts = [];
    private readonly List<UserInfo> users = [];
    private readonly List<string> eventTypes = [];
    private readonly List<UsageRow> usage = [];
    private readonly List<TicketInfo> tickets = [];
    private readonly List<SurveyInfo> surveys = [];
    private readonly List<RevenueEntry> revenue = [];
    private readonly List<MetricRow> metrics = [];

    /// <summary>Adds an account; returns its data index.</summary>
    public int Account(string id, int seats = 0, DateTime? created = null, DateTime? churned = null, double mrr = 0, string? segment = null)
    {
        accounts.Add(new AccountInfo(id, id, created ?? T.AddDays(-365), churned, seats, mrr, segment));
        return accounts.Count - 1;
    }

    /// <summary>Adds a user to an account (no created date unless given); returns its data index.</summary>
    public int User(int account, DateTime? created = null, string? id = null)
    {
        users.Add(new UserInfo(id ?? $"{accounts[account].Id}-user{users.Count:D3}", account, created));
        return users.Count - 1;
    }

    /// <summary>The index of an event type, declared on first use.</summary>
    public int EventType(string key)
    {
        var index = eventTypes.IndexOf(key);
        if (index >= 0)
        {
            return index;
        }

        eventTypes.Add(key);
        return eventTypes.Count - 1;
    }

    /// <summary>A usage row by a user.</summary>
    public PortfolioBuilder Use(int account, int user, string eventType, DateTime at, int count = 1)
    {
        this.usage.Add(new UsageRow(account, user, EventType(eventType), at.Ticks, count));
        return this;
    }

    /// <summary>An account-level usage row (no user).</summary>
    public PortfolioBuilder AccountUse(int account, string eventType, DateTime at, int count = 1) =>
        Use(account, -1, eventType, at, count);

    public PortfolioBuilder Ticket(int account, DateTime opened, DateTime? closed = null, bool escalated = false, int? satisfaction = null)
    {
        tickets.Add(new TicketInfo($"t{tickets.Count}", account, opened, closed, escalated, satisfaction));
        return this;
    }

    public PortfolioBuilder Survey(int account, DateTime at, SurveyKind kind, double score)
    {
        surveys.Add(new SurveyInfo(account, -1, at, kind, score));
        return this;
    }

    public PortfolioBuilder Revenue(int account, DateTime date, double mrr, long sequence = 0)
    {
        revenue.Add(new RevenueEntry(account, date, mrr, sequence));
        return this;
    }

    /// <summary>A metrics.csv row; rows added later count as imported later.</summary>
    public PortfolioBuilder Metric(int account, string metric, DateTime at, double value)
    {
        metrics.Add(new MetricRow(account, metric, at.Ticks, value, metrics.Count + 1));
        return this;
    }

    /// <summary>The data, usage sorted by time as <see cref="PortfolioData"/> requires (stable, so equal times keep insertion order).</summary>
    public PortfolioData Build() => new(
        accounts.ToList(),
        users.ToList(),
        eventTypes.ToList(),
        this.usage.OrderBy(row => row.Ticks).ToArray(),
        tickets.ToList(),
        surveys.ToList(),
        revenue.ToList(),
        metrics: metrics.ToList());
}
