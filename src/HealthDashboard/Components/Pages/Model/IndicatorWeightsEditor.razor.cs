using System.Globalization;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>A changed indicator weight.</summary>
public readonly record struct IndicatorWeightChange(Indicator Indicator, double Weight);

/// <summary>Edits the composite's indicator weights (0-100 each) and shows each as a share of the total.</summary>
public sealed partial class IndicatorWeightsEditor
{
    /// <summary>The draft's weights.</summary>
    [Parameter, EditorRequired]
    public IndicatorWeights Weights { get; set; } = default!;

    /// <summary>The saved version's weights, to mark what changed.</summary>
    [Parameter, EditorRequired]
    public IndicatorWeights Saved { get; set; } = default!;

    /// <summary>The validation message of a field path, or null.</summary>
    [Parameter, EditorRequired]
    public Func<string, string?> ProblemOf { get; set; } = default!;

    /// <summary>Raised when a weight is moved or typed.</summary>
    [Parameter]
    public EventCallback<IndicatorWeightChange> OnChanged { get; set; }

    /// <summary>The weights of the model's custom indicators (they share the total, so the shares here count them).</summary>
    [Parameter]
    public double CustomWeightTotal { get; set; }

    /// <summary>Sum of the weights that count, custom ones included (negative ones are invalid and left out).</summary>
    private double Total => Indicators.All.Sum(i => Math.Max(0, Weights[i])) + Math.Max(0, CustomWeightTotal);

    private Task ChangeAsync(Indicator indicator, double weight) =>
        OnChanged.InvokeAsync(new IndicatorWeightChange(indicator, weight));

    private string Share(double weight) =>
        Total > 0 && weight > 0 ? (weight / Total).ToString("0%", CultureInfo.InvariantCulture) : "0%";

    private double SharePercent(double weight) => Total > 0 && weight > 0 ? 100 * weight / Total : 0;

    private static double Clamp(double weight) => Math.Clamp(weight, 0, 100);

    internal static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
