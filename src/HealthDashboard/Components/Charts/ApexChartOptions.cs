using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthDashboard.Components.Charts;

/// <summary>The kinds of chart <see cref="ApexChart"/> draws (ApexCharts chart types).</summary>
public enum ChartKind
{
    /// <summary>Lines over categories or dates.</summary>
    Line,

    /// <summary>Filled lines; stack with <see cref="ApexChartOptions.Stacked"/>.</summary>
    Area,

    /// <summary>Vertical columns, or horizontal bars with <see cref="ApexChartOptions.Horizontal"/>.</summary>
    Bar,

    /// <summary>A ring of shares: the first series' data over <see cref="ApexChartOptions.Categories"/>.</summary>
    Donut,
}

/// <summary>Where the legend sits.</summary>
public enum LegendPosition
{
    /// <summary>Above the plot (default).</summary>
    Top,

    /// <summary>Below the plot.</summary>
    Bottom,

    /// <summary>Right of the plot (donuts).</summary>
    Right,
}

/// <summary>One named series of values; null values leave a gap.</summary>
/// <param name="Name">Shown in the legend and tooltip.</param>
/// <param name="Data">One value per category (or per slice for a donut).</param>
public sealed record ApexChartSeries(string Name, IReadOnlyList<double?> Data);

/// <summary>A dashed horizontal line at a y value, e.g. a grade threshold.</summary>
/// <param name="Value">The y value.</param>
/// <param name="Label">Text at the line's left end.</param>
/// <param name="Color">Hex colour of line and label.</param>
public sealed record ChartThreshold(double Value, string Label, string Color);

/// <summary>A dashed vertical line at a date of a date axis, e.g. the day a model version was saved.</summary>
/// <param name="Date">ISO date ("2026-11-23"), one of the date categories' days.</param>
/// <param name="Label">Text at the line's top.</param>
/// <param name="Color">Hex colour of line and label.</param>
public sealed record ChartMarker(string Date, string Label, string Color);

/// <summary>
/// Everything <see cref="ApexChart"/> needs to draw a chart: plain data, no functions. Serialized to
/// JSON (camelCase, nulls left out) and turned into ApexCharts options by ApexChart.razor.js, which
/// also owns the look (fonts, grid, tooltips), so every chart in the product looks the same.
/// Value formatting is declared (<see cref="ValuePrefix"/>, <see cref="ValueSuffix"/>, <see cref="Decimals"/>),
/// never sent as code.
/// </summary>
public sealed record ApexChartOptions
{
    /// <summary>The chart type.</summary>
    public required ChartKind Kind { get; init; }

    /// <summary>The series; a donut uses the first one.</summary>
    public IReadOnlyList<ApexChartSeries> Series { get; init; } = [];

    /// <summary>X-axis categories (or donut slice labels); ISO dates ("2026-11-23") with <see cref="DateCategories"/>.</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>The categories are dates: a time axis in UTC.</summary>
    public bool DateCategories { get; init; }

    /// <summary>Hex colours, one per series (per slice for a donut, per bar with <see cref="Distributed"/>).</summary>
    public IReadOnlyList<string>? Colors { get; init; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; init; } = 280;

    /// <summary>A bare line without axes, grid, legend or tooltip (e.g. in a table cell).</summary>
    public bool Sparkline { get; init; }

    /// <summary>Stack the series (bars or areas).</summary>
    public bool Stacked { get; init; }

    /// <summary>Horizontal bars.</summary>
    public bool Horizontal { get; init; }

    /// <summary>One colour per bar from <see cref="Colors"/> (a single series coloured by category).</summary>
    public bool Distributed { get; init; }

    /// <summary>Lower end of the y axis; automatic when null.</summary>
    public double? YMin { get; init; }

    /// <summary>Upper end of the y axis; automatic when null.</summary>
    public double? YMax { get; init; }

    /// <summary>Number of y-axis intervals; automatic when null.</summary>
    public int? YTickAmount { get; init; }

    /// <summary>Number of x-axis labels for long category axes; automatic when null.</summary>
    public int? XTickAmount { get; init; }

    /// <summary>Dashed horizontal lines (thresholds, targets).</summary>
    public IReadOnlyList<ChartThreshold>? Thresholds { get; init; }

    /// <summary>Dashed vertical lines at dates (with <see cref="DateCategories"/>).</summary>
    public IReadOnlyList<ChartMarker>? Markers { get; init; }

    /// <summary>Text before every value in labels and tooltips ("$").</summary>
    public string? ValuePrefix { get; init; }

    /// <summary>Text after every value in labels and tooltips ("%", " accounts").</summary>
    public string? ValueSuffix { get; init; }

    /// <summary>Decimals of values in labels and tooltips.</summary>
    public int Decimals { get; init; }

    /// <summary>Decimals of the value axis labels; <see cref="Decimals"/> when null.</summary>
    public int? AxisDecimals { get; init; }

    /// <summary>Show the legend (never in sparklines).</summary>
    public bool ShowLegend { get; init; } = true;

    /// <summary>Where the legend sits.</summary>
    public LegendPosition LegendPosition { get; init; } = LegendPosition.Top;

    /// <summary>Write values on the bars or slices.</summary>
    public bool DataLabels { get; init; }

    /// <summary>Label of the donut's centre total ("Accounts"); no centre total when null.</summary>
    public string? TotalLabel { get; init; }

    /// <summary>Title of the y axis.</summary>
    public string? YAxisTitle { get; init; }

    /// <summary>Title of the x axis.</summary>
    public string? XAxisTitle { get; init; }

    /// <summary>Dark colour scheme; <see cref="ApexChart"/> sets it from the cascaded theme.</summary>
    public bool DarkMode { get; init; }

    /// <summary>Animate drawing and updates.</summary>
    public bool Animate { get; init; } = true;

    /// <summary>The JSON form the JavaScript module receives.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>camelCase, enums as camelCase strings, nulls left out.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
