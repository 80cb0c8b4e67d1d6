using HealthDashboard.Queries;

namespace HealthDashboard.Tests.Queries;

public class RelativeTimeTests
{
    private static readonly DateTime AsOf = new(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(5 * 60, "5 minutes ago")]
    [InlineData(60 * 60, "1 hour ago")]
    [InlineData(23 * 3600, "23 hours ago")]
    [InlineData(24 * 3600, "yesterday")]
    [InlineData(3 * 86400, "3 days ago")]
    [InlineData(29 * 86400, "29 days ago")]
    [InlineData(65 * 86400, "2 months ago")]
    [InlineData(400 * 86400, "1 year ago")]
    public void Ago_reads_like_a_person(int secondsBefore, string expected)
    {
        Assert.Equal(expected, RelativeTime.Ago(AsOf.AddSeconds(-secondsBefore), AsOf));
    }

    [Fact]
    public void Ago_without_a_time_is_never()
    {
        Assert.Equal("never", RelativeTime.Ago(null, AsOf));
    }

    [Theory]
    [InlineData(0, "today")]
    [InlineData(1, "tomorrow")]
    [InlineData(12, "in 12 days")]
    [InlineData(-1, "yesterday")]
    [InlineData(-4, "4 days ago")]
    public void Days_reads_a_calendar_distance(int days, string expected)
    {
        Assert.Equal(expected, RelativeTime.Days(days));
    }
}
