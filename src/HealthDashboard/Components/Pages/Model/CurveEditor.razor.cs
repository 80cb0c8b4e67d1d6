using System.Globalization;
using HealthDashboard.Components.Charts;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// Edits the curvature k and plots norm(r) for r from 0 to 1.2 P (SCORING.md "Normalization curve")
/// under the draft's k and the saved k, so the effect of k is visible before any account is.
/// </summary>
public sealed partial class CurveEditor
{
    /// <summary>Points of the plot: r / P = 0, 0.1 ... 1.2 (one labelled point each; more points lose their axis labels).</summary>
    internal static readonly double[] Ratios = Enumerable.Range(0, 13).Select(i => i / 10.0).ToArray();

    private ApexChartOptions chart = default!;

    /// <summary>The draft's k.</summary>
    [Parameter, EditorRequired]
    public double Curvature { get; set; }

    /// <summary>The saved version's k.</summary>
    [Parameter, EditorRequired]
    public double SavedCurvature { get; set; }

    /// <summary>The validation message of k, or null.</summary>
    [Parameter]
    public string? Problem { get; set; }

    /// <summary>Today's Engagement benchmark P (raw points), for context; hidden when null.</summary>
    [Parameter]
    public double? EngagementBenchmark { get; set; }

    /// <summary>Raised when k is moved or typed.</summary>
    [Parameter]
    public EventCallback<double> OnChanged { get; set; }

    /// <summary>The colour scheme, for the chart's series colours.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    private string AriaLabel =>
        $"Normalization curve: score against raw value as a share of P, for k {Format(Curvature)} (draft) and k {Format(SavedCurvature)} (saved)";

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        var dark = Theme?.IsDarkMode ?? false;
        var draftValid = Curvature is >= 0 and <= 10;
        var series = new List<ApexChartSeries>();
        var colors = new List<string>();
        if (draftValid)
        {
            series.Add(new ApexChartSeries($"Draft (k = {Format(Curvature)})", Curve(Curvature)));
            colors.Add(ModelFields.DraftColor(dark));
        }

        if (!draftValid || Curvature != SavedCurvature)
        {
            series.Add(new ApexChartSeries($"Saved (k = {Format(SavedCurvature)})", Curve(SavedCurvature)));
            colors.Add(ModelFields.SavedColor(dark));
        }

        chart = new ApexChartOptions
        {
            Kind = ChartKind.Line,
            Series = series,
            Categories = Ratios.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)).ToList(),
            Colors = colors,
            Height = 220,
            YMin = 0,
            YMax = 100,
            YTickAmount = 4,
            Decimals = 1,
            XAxisTitle = "Raw value ÷ benchmark P",
            YAxisTitle = "Score",
            LegendPosition = LegendPosition.Top,
            Animate = false,
        };
    }

    private Task ChangeAsync(double k) => OnChanged.InvokeAsync(k);

    /// <summary>norm(r) at r = <paramref name="ratio"/> x P under the draft's k.</summary>
    private double NormAt(double ratio) => Curvature is >= 0 and <= 10 ? Norm(Curvature, ratio) : double.NaN;

    /// <summary>norm(ratio x P) for curvature k: the curve of SCORING.md with P = 1.</summary>
    internal static double Norm(double k, double ratio) => new Normalization(1, k, AllScoreOne: false).Apply(ratio);

    private static List<double?> Curve(double k) => Ratios.Select(r => (double?)Math.Round(Norm(k, r), 2)).ToList();

    private static string Format(double value) =>
        double.IsNaN(value) ? "—" : value.ToString("0.#", CultureInfo.InvariantCulture);
}
