using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>How a user's recent activity reads on the account page.</summary>
public enum UserStatus
{
    /// <summary>Used the product in the last <see cref="UserActivity.QuietDays"/> days.</summary>
    Active,

    /// <summary>Used the product before, but not in the last <see cref="UserActivity.QuietDays"/> days.</summary>
    GoneQuiet,

    /// <summary>No usage at all in the loaded history.</summary>
    NeverActive,
}

/// <summary>One event type a user used in the window.</summary>
public sealed record UserEventUse(string Key, string Name, long Count);

/// <summary>Per-user readings of the window aggregates (event types used, quiet users).</summary>
public static class UserActivity
{
    /// <summary>Days without usage after which an earlier active user has "gone quiet".</summary>
    public const int QuietDays = 14;

    /// <summary>Whether local user <paramref name="user"/> used event type <paramref name="eventType"/> in the window.</summary>
    public static bool Used(WindowAggregates agg, int user, int eventType)
    {
        for (var i = agg.UserEventOffsets[user]; i < agg.UserEventOffsets[user + 1]; i++)
        {
            if (agg.UserEventTypes[i] == eventType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The event types local user <paramref name="user"/> used in the window, most used first.</summary>
    public static IReadOnlyList<UserEventUse> EventTypes(WindowAggregates agg, int user, int top = int.MaxValue)
    {
        var uses = new List<UserEventUse>();
        for (var i = agg.UserEventOffsets[user]; i < agg.UserEventOffsets[user + 1]; i++)
        {
            var t = agg.UserEventTypes[i];
            uses.Add(new UserEventUse(agg.Data.EventTypeKeys[t], agg.Data.EventTypeNames[t], agg.UserEventCounts[i]));
        }

        return [.. uses.OrderByDescending(u => u.Count).ThenBy(u => u.Key, StringComparer.Ordinal).Take(top)];
    }

    /// <summary>
    /// Active, gone quiet (last seen <see cref="QuietDays"/> or more days before <paramref name="asOf"/>)
    /// or never active.
    /// </summary>
    public static UserStatus StatusOf(UserSummary user, DateTime asOf) => user.LastSeen switch
    {
        null => UserStatus.NeverActive,
        { } seen when seen <= asOf.AddDays(-QuietDays) => UserStatus.GoneQuiet,
        _ => UserStatus.Active,
    };
}

/// <summary>A user row of the account page: the score, how they use the product, and whether they went quiet.</summary>
/// <param name="User">The scored user.</param>
/// <param name="Status">Active, gone quiet or never active.</param>
/// <param name="TopEventTypes">Their most used event types in the window (up to three).</param>
/// <param name="Share">Their share of the account's engagement points (0-1).</param>
public sealed record AccountUserRow(UserSummary User, UserStatus Status, IReadOnlyList<UserEventUse> TopEventTypes, double Share);

/// <summary>The user rows of one account.</summary>
public static class AccountUsers
{
    /// <summary>
    /// The users of local account <paramref name="accountIndex"/>, most engaged first (the score saturates at 100,
    /// so ties go to the higher raw points, then the id), with their
    /// status at the view's as-of time.
    /// </summary>
    public static IReadOnlyList<AccountUserRow> For(PortfolioView view, int accountIndex)
    {
        var agg = view.Scored.Aggregates;
        var total = view.Scored.Scores.RawValue(accountIndex, Indicator.Engagement) ?? 0;
        return [.. view.UsersOf(accountIndex)
            .OrderByDescending(u => u.Engagement).ThenByDescending(u => u.EngagementRaw).ThenBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => new AccountUserRow(u, UserActivity.StatusOf(u, view.AsOf), UserActivity.EventTypes(agg, u.Index, top: 3),
                total > 0 ? u.EngagementRaw / total : 0))];
    }
}
