using System.Globalization;
using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Shared;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>The Engagement raw value taken apart by event type (SCORING.md: count x weight per type).</summary>
public sealed partial class EngagementSplit
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    /// <summary>Rows the table shows until "show all" is pressed.</summary>
    public const int CollapsedRows = 8;

    private ApexChartOptions chart = new() { Kind = ChartKind.Bar };
    private bool showAll;

    /// <summary>The event types the account used in the window, most points first.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<EventTypePart> EventTypes { get; set; } = [];

    /// <summary>The account's Engagement raw value (sum of the points).</summary>
    [Parameter, EditorRequired]
    public double Total { get; set; }

    /// <summary>The colour scheme from the layout.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        // Top ten in the chart; the table lists every type.
        var shown = EventTypes.Take(10).ToList();
        chart = new ApexChartOptions
        {
            Kind = ChartKind.Bar,
            Horizontal = true,
            Categories = shown.Select(p => p.Name).ToList(),
            Series = [new ApexChartSeries("Points", shown.Select(p => (double?)Indicators.RoundAway(p.Points, 2)).ToList())],
            Colors = [HealthTheme.PrimaryHex(Theme?.IsDarkMode == true)],
            Height = Math.Max(140, 48 + (shown.Count * 34)),
            ShowLegend = false,
            DataLabels = true,
            Decimals = 0,
        };
    }

    private void ToggleAll() => showAll = !showAll;

    private string Share(double points) => Total > 0 ? Format.Percent(points / Total) : "—";

    private static string Number(double value) => Indicators.RoundAway(value, 2).ToString("#,0.##", Invariant);
}
