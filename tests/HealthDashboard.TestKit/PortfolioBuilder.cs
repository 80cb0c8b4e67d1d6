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

    private readonly List<AccountInfo> _accounts = [];
    private readonly List<UserInfo> _users = [];
    private readonly List<string> _eventTypes = [];
    private readonly List<UsageRow> _usage = [];
    private readonly List<TicketInfo> _tickets = [];
    private readonly List<SurveyInfo> _surveys = [];
    private readonly List<RevenueEntry> _revenue = [];

    /// <summary>Adds an account; returns its data index.</summary>
    public int Account(string id, int seats = 0, DateTime? created = null, DateTime? churned = null, double mrr = 0)
    {
        _accounts.Add(new AccountInfo(id, id, created ?? T.AddDays(-365), churned, seats, mrr));
        return _accounts.Count - 1;
    }

    /// <summary>Adds a user to an account (no created date unless given); returns its data index.</summary>
    public int User(int account, DateTime? created = null, string? id = null)
    {
        _users.Add(new UserInfo(id ?? $"{_accounts[account].Id}-user{_users.Count:D3}", account, created));
        return _users.Count - 1;
    }

    /// <summary>The index of an event type, declared on first use.</summary>
    public int EventType(string key)
    {
        var index = _eventTypes.IndexOf(key);
        if (index >= 0)
        {
            return index;
        }

        _eventTypes.Add(key);
        return _eventTypes.Count - 1;
    }

    /// <summary>A usage row by a user.</summary>
    public PortfolioBuilder Use(int account, int user, string eventType, DateTime at, int count = 1)
    {
        _usage.Add(new UsageRow(account, user, EventType(eventType), at.Ticks, count));
        return this;
    }

    /// <summary>An account-level usage row (no user).</summary>
    public PortfolioBuilder AccountUse(int account, string eventType, DateTime at, int count = 1) =>
        Use(account, -1, eventType, at, count);

    public PortfolioBuilder Ticket(int account, DateTime opened, DateTime? closed = null, bool escalated = false, int? satisfaction = null)
    {
        _tickets.Add(new TicketInfo($"t{_tickets.Count}", account, opened, closed, escalated, satisfaction));
        return this;
    }

    public PortfolioBuilder Survey(int account, DateTime at, SurveyKind kind, double score)
    {
        _surveys.Add(new SurveyInfo(account, -1, at, kind, score));
        return this;
    }

    public PortfolioBuilder Revenue(int account, DateTime date, double mrr, long sequence = 0)
    {
        _revenue.Add(new RevenueEntry(account, date, mrr, sequence));
        return this;
    }

    /// <summary>The data, usage sorted by time as <see cref="PortfolioData"/> requires (stable, so equal times keep insertion order).</summary>
    public PortfolioData Build() => new(
        _accounts.ToList(),
        _users.ToList(),
        _eventTypes.ToList(),
        _usage.OrderBy(row => row.Ticks).ToArray(),
        _tickets.ToList(),
        _surveys.ToList(),
        _revenue.ToList());
}
