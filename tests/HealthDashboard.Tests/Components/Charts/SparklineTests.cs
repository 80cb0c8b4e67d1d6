using Bunit;
using HealthDashboard.Components.Charts;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Charts;

public sealed class SparklineTests : BunitTestBase
{
    [Fact]
    public void Draws_a_polyline_in_the_band_colour_on_a_fixed_0_to_100_scale_without_javascript()
    {
        var line = Render<Sparkline>(p => p.Add(s => s.Values, [100.0, 50.0, 0.0]).Add(s => s.Band, Band.Red));

        var svg = line.Find("svg.hd-sparkline");
        Assert.Contains("hd-band-red", svg.GetAttribute("class"), StringComparison.Ordinal);
        // Width 96, height 28: y = 2 + 24 (1 - v / 100), so 100 -> 2, 50 -> 14, 0 -> 26.
        Assert.Equal("0,2 48,14 96,26", line.Find("polyline").GetAttribute("points"));
        Assert.Empty(JSInterop.Invocations);
    }

    [Fact]
    public void Without_the_fixed_scale_the_line_spans_the_data()
    {
        var line = Render<Sparkline>(p => p.Add(s => s.Values, [40.0, 60.0]).Add(s => s.Band, Band.Green).Add(s => s.FullScale, false));

        Assert.Equal("0,26 96,2", line.Find("polyline").GetAttribute("points"));
    }

    [Fact]
    public void With_fewer_than_two_values_shows_a_dash_and_no_line()
    {
        var line = Render<Sparkline>(p => p.Add(s => s.Values, [50.0]).Add(s => s.Band, Band.Yellow));

        Assert.Equal("—", line.Find(".hd-sparkline-empty").TextContent);
        Assert.Empty(line.FindAll("svg"));
    }
}
