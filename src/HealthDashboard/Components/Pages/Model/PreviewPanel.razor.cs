using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Shared;
using HealthDashboard.ModelVersions;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// Shows a <see cref="ModelPreviewResult"/>: movers, MRR into red, band distribution and health
/// histogram before and after, and the accounts that change most. Pure display; the page computes.
/// </summary>
public sealed partial class PreviewPanel
{
    /// <summary>Histogram bucket labels: the lower end of each bucket (0 for 0–10 ... 90 for 90–100).</summary>
    internal static readonly IReadOnlyList<string> BucketLabels =
        Enumerable.Range(0, ModelPreviewResult.HistogramBuckets).Select(b => $"{b * 10}").ToList();

    private ApexChartOptions histogram = default!;

    /// <summary>The latest preview, null before the first one.</summary>
    [Parameter]
    public ModelPreviewResult? Result { get; set; }

    /// <summary>A newer preview is being computed.</summary>
    [Parameter]
    public bool Busy { get; set; }

    /// <summary>Server time the shown preview took.</summary>
    [Parameter]
    public TimeSpan? Elapsed { get; set; }

    /// <summary>Why the preview is paused (invalid fields): the panel says so instead of showing figures that no longer follow the draft; null when it follows.</summary>
    [Parameter]
    public string? Paused { get; set; }

    /// <summary>Why the preview failed; null when fine.</summary>
    [Parameter]
    public string? Error { get; set; }

    /// <summary>The colour scheme, for chart colours.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    private string Subtitle => Result is null
        ? "Every account re-scored with the draft, before anything is saved"
        : Result.OnlyModelAccounts
            ? $"The {Format.Counted(Result.Before.Total, "account")} of the {Result.Key.DisplayName} re-scored with the draft, normalised among themselves · compared with version {Result.BaseVersion}"
            : $"{Format.Counted(Result.Before.Total, "account")} re-scored with the draft · compared with version {Result.BaseVersion}";

    private string HistogramLabel => Result is null ? "" :
        "Accounts per health range, saved then draft: " + string.Join(", ",
            BucketLabels.Select((label, i) => $"{label}–{(i + 1) * 10}: {Result.HistogramBefore[i]} → {Result.HistogramAfter[i]}"));

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Result is null)
        {
            return;
        }

        var dark = Theme?.IsDarkMode ?? false;
        histogram = new ApexChartOptions
        {
            Kind = ChartKind.Bar,
            Series =
            [
                new ApexChartSeries("Saved", Result.HistogramBefore.Select(n => (double?)n).ToList()),
                new ApexChartSeries("Draft", Result.HistogramAfter.Select(n => (double?)n).ToList()),
            ],
            Categories = BucketLabels,
            Colors = [ModelFields.SavedColor(dark), ModelFields.DraftColor(dark)],
            Height = 200,
            YAxisTitle = "Accounts",
            YTickAmount = 4,
            XAxisTitle = "Health (ranges of 10, from)",
            Animate = false,
        };
    }
}
