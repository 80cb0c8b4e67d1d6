using System.Text.Json;
using Bunit;
using HealthDashboard.Components.Charts;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace HealthDashboard.Tests.Components.Charts;

public sealed class ApexChartTests : BunitTestBase
{
    public ApexChartTests() => RenderInCircuit();

    private static readonly ApexChartOptions Line = new()
    {
        Kind = ChartKind.Line,
        Height = 200,
        Categories = ["Mon", "Tue"],
        Series = [new ApexChartSeries("Health", [61.5, null])],
        Colors = ["#4f46e5"],
        YMin = 0,
        Thresholds = [new ChartThreshold(70, "Healthy", "#16a34a")],
    };

    [Fact]
    public void Imports_the_module_and_creates_the_chart_with_the_serialized_options_on_first_render()
    {
        var module = ChartModule;

        var chart = Render<ApexChart>(p => p.Add(c => c.Options, Line).Add(c => c.AriaLabel, "Health this week"));

        var import = Assert.Single(JSInterop.Invocations, i => i.Identifier == "import");
        Assert.Equal(ApexChart.ModulePath, import.Arguments[0]);
        var create = Assert.Single(module.Invocations, i => i.Identifier == "create");
        Assert.IsType<ElementReference>(create.Arguments[0]);
        var json = Assert.IsType<string>(create.Arguments[1]);
        using var options = JsonDocument.Parse(json);
        var root = options.RootElement;
        Assert.Equal("line", root.GetProperty("kind").GetString());
        Assert.Equal(200, root.GetProperty("height").GetInt32());
        Assert.Equal("Health", root.GetProperty("series")[0].GetProperty("name").GetString());
        Assert.Equal(61.5, root.GetProperty("series")[0].GetProperty("data")[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("series")[0].GetProperty("data")[1].ValueKind);
        Assert.Equal(0, root.GetProperty("yMin").GetDouble());
        Assert.Equal(70, root.GetProperty("thresholds")[0].GetProperty("value").GetDouble());
        Assert.False(root.GetProperty("darkMode").GetBoolean());
        // Nulls are left out: no yMax, no totalLabel.
        Assert.False(root.TryGetProperty("yMax", out _));
        Assert.False(root.TryGetProperty("totalLabel", out _));
        Assert.Equal("Health this week", chart.Find(".hd-chart").GetAttribute("aria-label"));
    }

    [Fact]
    public void Updates_the_chart_when_the_options_change_and_not_when_they_stay_the_same()
    {
        var module = ChartModule;
        var chart = Render<ApexChart>(p => p.Add(c => c.Options, Line).Add(c => c.AriaLabel, "Health"));

        chart.Render(p => p.Add(c => c.Options, Line with { }));
        Assert.DoesNotContain(module.Invocations, i => i.Identifier == "update");

        var changed = Line with { Series = [new ApexChartSeries("Health", [70, 72])] };
        chart.Render(p => p.Add(c => c.Options, changed));

        var update = Assert.Single(module.Invocations, i => i.Identifier == "update");
        Assert.IsAssignableFrom<IJSObjectReference>(update.Arguments[0]);
        Assert.Equal(changed.ToJson(), update.Arguments[1]);
        Assert.Single(module.Invocations, i => i.Identifier == "create");
    }

    [Fact]
    public void Follows_the_cascaded_dark_mode()
    {
        var module = ChartModule;

        Render<ApexChart>(p => p
            .Add(c => c.Options, Line)
            .Add(c => c.AriaLabel, "Health")
            .AddCascadingValue(new ThemeState(IsDarkMode: true)));

        var create = Assert.Single(module.Invocations, i => i.Identifier == "create");
        using var options = JsonDocument.Parse((string)create.Arguments[1]!);
        Assert.True(options.RootElement.GetProperty("darkMode").GetBoolean());
    }

    [Fact]
    public async Task Destroys_the_chart_when_disposed()
    {
        var module = ChartModule;
        Render<ApexChart>(p => p.Add(c => c.Options, Line).Add(c => c.AriaLabel, "Health"));

        await DisposeComponentsAsync();

        var destroy = Assert.Single(module.Invocations, i => i.Identifier == "destroy");
        Assert.IsAssignableFrom<IJSObjectReference>(destroy.Arguments[0]);
    }

    [Fact]
    public async Task A_lost_circuit_while_destroying_is_ignored()
    {
        var module = ChartModule;
        module.SetupVoid("destroy").SetException(new JSDisconnectedException("The circuit is gone."));
        Render<ApexChart>(p => p.Add(c => c.Options, Line).Add(c => c.AriaLabel, "Health"));

        await DisposeComponentsAsync();

        Assert.Single(module.Invocations, i => i.Identifier == "destroy");
    }

    [Fact]
    public void Options_serialize_camel_case_with_enums_as_strings()
    {
        var json = new ApexChartOptions { Kind = ChartKind.Donut, LegendPosition = LegendPosition.Right, TotalLabel = "Accounts" }.ToJson();

        Assert.Contains("\"kind\":\"donut\"", json, StringComparison.Ordinal);
        Assert.Contains("\"legendPosition\":\"right\"", json, StringComparison.Ordinal);
        Assert.Contains("\"totalLabel\":\"Accounts\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }
}
