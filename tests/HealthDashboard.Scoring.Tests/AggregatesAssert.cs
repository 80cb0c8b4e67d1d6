namespace HealthDashboard.Scoring.Tests;

/// <summary>Field-by-field equality of two <see cref="WindowAggregates"/> (the record holds arrays, so <c>==</c> compares references).</summary>
internal static class AggregatesAssert
{
    public static void Equal(WindowAggregates expected, WindowAggregates actual)
    {
        Assert.Equal(expected.Accounts, actual.Accounts);
        Assert.Equal(expected.Users, actual.Users);
        Assert.Equal(expected.AccountEventCounts, actual.AccountEventCounts);
        Assert.Equal(expected.AccountEventLastTicks, actual.AccountEventLastTicks);
        Assert.Equal(expected.LastUsageTicks, actual.LastUsageTicks);
        Assert.Equal(expected.UserLastTicks, actual.UserLastTicks);
        Assert.Equal(expected.AccountActiveDays, actual.AccountActiveDays);
        Assert.Equal(expected.UserActiveDays, actual.UserActiveDays);
        Assert.Equal(expected.ActiveUsers, actual.ActiveUsers);
        Assert.Equal(expected.ActiveUserDays, actual.ActiveUserDays);
        Assert.Equal(expected.UserEventOffsets, actual.UserEventOffsets);
        Assert.Equal(expected.UserEventTypes, actual.UserEventTypes);
        Assert.Equal(expected.UserEventCounts, actual.UserEventCounts);
        Assert.Equal(expected.SupportRaw, actual.SupportRaw);
        Assert.Equal(expected.Mrr, actual.Mrr);
    }
}
