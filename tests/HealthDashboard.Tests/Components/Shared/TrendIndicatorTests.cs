using Bunit;
using HealthDashboard.Components.Shared;

namespace HealthDashboard.Tests.Components.Shared;

public sealed class TrendIndicatorTests : BunitTestBase
{
    [Theory]
    [InlineData(4.5, "hd-trend-up", "+5", "Up 5 over 30 days")]
    [InlineData(-2.5, "hd-trend-down", "\u22123", "Down 3 over 30 days")]
    [InlineData(0.4, "hd-trend-flat", "0", "Unchanged over 30 days")]
    [InlineData(-0.4, "hd-trend-flat", "0", "Unchanged over 30 days")]
    public void Shows_direction_colour_and_signed_rounded_number(double value, string expectedClass, string expectedText, string expectedLabel)
    {
        var trend = Render<TrendIndicator>(p => p.Add(t => t.Value, value));

        var root = trend.Find(".hd-trend");
        Assert.Contains(expectedClass, root.ClassList);
        Assert.Equal(expectedText, trend.Find(".hd-trend-value").TextContent);
        Assert.Equal(expectedLabel, root.GetAttribute("aria-label"));
        Assert.NotEmpty(trend.FindAll("svg"));
    }

    [Fact]
    public void With_decimals_a_small_change_is_not_flat()
    {
        var trend = Render<TrendIndicator>(p => p.Add(t => t.Value, -0.35).Add(t => t.Digits, 1));

        Assert.Equal(TrendDirection.Down, trend.Instance.Direction);
        Assert.Equal("\u22120.4", trend.Find(".hd-trend-value").TextContent);
    }

    [Fact]
    public void Without_a_value_shows_a_dash_and_no_arrow()
    {
        var trend = Render<TrendIndicator>(p => p.Add(t => t.Value, (double?)null));

        Assert.Equal("—", trend.Find(".hd-trend-value").TextContent);
        Assert.Empty(trend.FindAll("svg"));
        Assert.Equal("No trend yet", trend.Find(".hd-trend").GetAttribute("aria-label"));
    }
}
