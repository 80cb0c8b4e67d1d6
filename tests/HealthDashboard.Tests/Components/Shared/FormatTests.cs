using HealthDashboard.Components.Shared;

namespace HealthDashboard.Tests.Components.Shared;

public sealed class FormatTests
{
    [Theory]
    [InlineData(12400, "$12,400")]
    [InlineData(999.5, "$1,000")]
    [InlineData(-250, "-$250")]
    [InlineData(double.PositiveInfinity, "\u2014")]
    [InlineData(double.NaN, "\u2014")]
    [InlineData(2.5e13, "$25T")]
    public void Money(double amount, string expected) => Assert.Equal(expected, Format.Money(amount));

    [Theory]
    [InlineData(9500, "$9,500")]
    [InlineData(12400, "$12.4k")]
    [InlineData(1250000, "$1.25M")]
    [InlineData(3.1e9, "$3.1B")]
    [InlineData(2.5e13, "$25T")]
    [InlineData(1.7e308, ">$999T")]
    [InlineData(double.PositiveInfinity, "\u2014")]
    [InlineData(double.NaN, "\u2014")]
    public void Money_compact(double amount, string expected) => Assert.Equal(expected, Format.MoneyCompact(amount));

    [Fact]
    public void As_of_time_is_utc_with_day_month_year() =>
        Assert.Equal("23 Nov 2026 12:00 UTC", Format.AsOf(new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc)));

    [Theory]
    [InlineData(0.125, "13%")]
    [InlineData(0.5, "50%")]
    [InlineData(double.NaN, "\u2014")]
    [InlineData(double.PositiveInfinity, "\u2014")]
    public void Percent_rounds_half_away_from_zero(double share, string expected) => Assert.Equal(expected, Format.Percent(share));
}
