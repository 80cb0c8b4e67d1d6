using System.Globalization;
using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// The breakdown of SCORING.md "Explanation": contribution of indicator i = w_i x_i / (sum of w over the
/// indicators with a value), so the column adds up to the health score (before clamping to 1-100).
/// </summary>
public sealed partial class IndicatorBreakdown
{
    /// <summary>The account's explanation.</summary>
    [Parameter, EditorRequired]
    public AccountBreakdown Breakdown { get; set; } = default!;

    /// <summary>The model's grade thresholds, to colour each indicator's bar like a health score.</summary>
    [Parameter, EditorRequired]
    public GradeThresholds Thresholds { get; set; } = new();

    private string TotalNote
    {
        get
        {
            var total = Breakdown.ContributionTotal;
            // The breakdown explains the model's own score; an override replaces only what the header shows.
            var health = Breakdown.Account.ModelHealth;
            var shown = Format.Health(health);
            var missing = Breakdown.Indicators.Count(r => r.IsMissing && !r.IsOff);
            var clamp = Math.Abs(total - health) > 1e-9 ? $", clamped to {Points(health)}" : "";
            var reweighted = missing > 0 ? $" · {missing} missing {(missing == 1 ? "indicator" : "indicators")} left out, the rest re-weighted" : "";
            var label = Breakdown.Account.IsOverridden ? "the model's score (overridden)" : "as shown";
            return $"= {shown} {label}{clamp}{reweighted}";
        }
    }

    private Band BandOf(double value) => Indicators.BandOf(Thresholds.GradeOf(value));

    private static string Points(double value) => Indicators.RoundAway(value, 2).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Weight(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Width(double value) => Math.Clamp(value, 0, 100).ToString("0.#", CultureInfo.InvariantCulture);
}
