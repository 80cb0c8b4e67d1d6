using System.Runtime.InteropServices;

namespace HealthDashboard.Scoring;

/// <summary>A customer account (SCORING.md "Account"). Times are UTC.</summary>
public sealed record AccountInfo(
    string Id,
    string Name,
    DateTime CreatedAt,
    DateTime? ChurnedAt = null,
    int Seats = 0,
    double Mrr = 0,
    string? Segment = null,
    string? Plan = null,
    string? Owner = null,
    DateTime? RenewalDate = null);

/// <summary>A user of an account; <see cref="AccountIndex"/> points into <see cref="PortfolioData.Accounts"/>.</summary>
public sealed record UserInfo(string Id, int AccountIndex, DateTime? CreatedAt = null, string? Name = null, string? Email = null);

/// <summary>
/// One usage row: <see cref="Count"/> events of one type at one time, by a user
/// (<see cref="UserIndex"/> into <see cref="PortfolioData.Users"/>) or account-level (-1).
/// </summary>
/// <remarks>Auto layout packs the long first: 24 bytes a row instead of 32, at tens of millions of rows.</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct UsageRow(int AccountIndex, int UserIndex, int EventTypeIndex, long Ticks, int Count);

/// <summary>A support ticket.</summary>
public sealed record TicketInfo(
    string Id,
    int AccountIndex,
    DateTime OpenedAt,
    DateTime? ClosedAt = null,
    bool Escalated = false,
    int? Satisfaction = null,
    string? Priority = null);

/// <summary>Kind of survey response.</summary>
public enum SurveyKind
{
    Nps,
    Csat,
}

/// <summary>A survey response (NPS 0-10 or CSAT 1-5).</summary>
public sealed record SurveyInfo(int AccountIndex, int UserIndex, DateTime RespondedAt, SurveyKind Kind, double Score);

/// <summary>A revenue history entry; <see cref="Sequence"/> orders entries of the same date (later import wins).</summary>
public sealed record RevenueEntry(int AccountIndex, DateTime Date, double Mrr, long Sequence = 0);

/// <summary>
/// Everything scoring reads, in memory, with no I/O: the portfolio as loaded from the store.
/// Usage rows must be sorted by <see cref="UsageRow.Ticks"/> ascending (the constructor checks).
/// The usage array may cover only the span the caller needs (e.g. the window and the trend's window).
/// </summary>
public sealed class PortfolioData
{
    public PortfolioData(
        IReadOnlyList<AccountInfo> accounts,
        IReadOnlyList<UserInfo> users,
        IReadOnlyList<string> eventTypeKeys,
        UsageRow[] usage,
        IReadOnlyList<TicketInfo>? tickets = null,
        IReadOnlyList<SurveyInfo>? surveys = null,
        IReadOnlyList<RevenueEntry>? revenue = null,
        IReadOnlyList<string>? eventTypeNames = null)
    {
        Accounts = accounts;
        Users = users;
        EventTypeKeys = eventTypeKeys;
        EventTypeNames = eventTypeNames ?? eventTypeKeys;
        Usage = usage;
        Tickets = tickets ?? [];
        Surveys = surveys ?? [];
        Revenue = revenue ?? [];
        for (var i = 1; i < usage.Length; i++)
        {
            if (usage[i].Ticks < usage[i - 1].Ticks)
            {
                throw new ArgumentException("Usage rows must be sorted by time.", nameof(usage));
            }
        }

        var usersByAccount = new List<int>[accounts.Count];
        for (var a = 0; a < accounts.Count; a++)
        {
            usersByAccount[a] = [];
        }

        for (var u = 0; u < users.Count; u++)
        {
            usersByAccount[users[u].AccountIndex].Add(u);
        }

        UsersByAccount = usersByAccount;
        AccountIndexById = accounts.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<AccountInfo> Accounts { get; }
    public IReadOnlyList<UserInfo> Users { get; }
    public IReadOnlyList<string> EventTypeKeys { get; }
    public IReadOnlyList<string> EventTypeNames { get; }
    public UsageRow[] Usage { get; }
    public IReadOnlyList<TicketInfo> Tickets { get; }
    public IReadOnlyList<SurveyInfo> Surveys { get; }
    public IReadOnlyList<RevenueEntry> Revenue { get; }

    /// <summary>User indices per account index.</summary>
    public IReadOnlyList<List<int>> UsersByAccount { get; }

    /// <summary>Account index by account id.</summary>
    public IReadOnlyDictionary<string, int> AccountIndexById { get; }
}
