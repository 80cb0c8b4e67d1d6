using System.Text.Json;
using Bunit;
using HealthDashboard.Components.Charts;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;

namespace HealthDashboard.Tests.Components.Charts;

public sealed class SparklineTests : BunitTestBase
{
    [Fact]
    public void Draws_a_bare_line_in_the_band_colour_on_a_fixed_0_to_100_scale()
    {
        var module = ChartModule;

        Render<Sparkline>(p => p.Add(s => s.Values, [40.04, 38.96, 35.5]).Add(s => s.Band, Band.Red));

        var create = Assert.Single(module.Invocations, i => i.Identifier == "create");
        using var json = JsonDocument.Parse((string)create.Arguments[1]!);
        var root = json.RootElement;
        Assert.True(root.GetProperty("sparkline").GetBoolean());
        Assert.Equal(BandColors.RedLight, root.GetProperty("colors")[0].GetString());
        Assert.Equal(new[] { 40.0, 39.0, 35.5 }, root.GetProperty("series")[0].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(0, root.GetProperty("yMin").GetDouble());
        Assert.Equal(100, root.GetProperty("yMax").GetDouble());
    }

    [Fact]
    public void With_fewer_than_two_values_shows_a_dash_and_no_chart()
    {
        var module = ChartModule;

        var line = Render<Sparkline>(p => p.Add(s => s.Values, [50.0]).Add(s => s.Band, Band.Yellow));

        Assert.Equal("—", line.Find(".hd-sparkline-empty").TextContent);
        Assert.Empty(module.Invocations);
    }
}
