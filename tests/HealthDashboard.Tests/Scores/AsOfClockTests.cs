using HealthDashboard.Scores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace HealthDashboard.Tests.Scores;

public sealed class AsOfClockTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 15, 42, 678, TimeSpan.Zero);

    private static AsOfClock Clock(string? pin) => new(new FakeTimeProvider(Now),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AsOfClock.PinKey] = pin }).Build());

    [Fact]
    public void Without_a_pin_now_is_the_clock_to_the_whole_second_in_utc()
    {
        var now = Clock(null).Now();

        Assert.Equal(new DateTime(2026, 11, 30, 9, 15, 42, DateTimeKind.Utc), now);
        Assert.Equal(DateTimeKind.Utc, now.Kind);
    }

    [Theory]
    [InlineData("2026-06-30T12:00:00Z", "2026-06-30T12:00:00")]
    [InlineData("2026-06-30T14:00:00+02:00", "2026-06-30T12:00:00")]
    [InlineData("2026-06-30", "2026-06-30T00:00:00")]
    public void A_pin_is_now_whatever_the_clock_says(string pin, string expected)
    {
        Assert.Equal(DateTime.SpecifyKind(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc), Clock(pin).Now());
    }

    [Fact]
    public void A_malformed_pin_is_not_a_pin()
    {
        var clock = Clock("yesterday");

        Assert.Null(clock.Pinned);
        Assert.Equal(new DateTime(2026, 11, 30, 9, 15, 42, DateTimeKind.Utc), clock.Now());
    }

    [Fact]
    public void An_explicit_as_of_wins_over_the_pin_and_is_truncated_to_the_second()
    {
        var requested = new DateTime(2026, 3, 31, 12, 0, 0, DateTimeKind.Utc).AddMilliseconds(900);

        Assert.Equal(new DateTime(2026, 3, 31, 12, 0, 0, DateTimeKind.Utc), Clock("2026-06-30").Resolve(requested));
        Assert.Equal(new DateTime(2026, 6, 30, 0, 0, 0, DateTimeKind.Utc), Clock("2026-06-30").Resolve(null));
    }
}
