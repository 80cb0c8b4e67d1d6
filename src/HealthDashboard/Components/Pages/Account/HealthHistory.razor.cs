using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Shared;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>Health over the last 90 days from the daily snapshots (SCORING.md "History and trend").</summary>
public sealed partial class HealthHistory
{
    private IReadOnlyList<(DateTime Day, double Health)>? points;
    private ApexChartOptions chart = new() { Kind = ChartKind.Line };
    private string? loadedFor;
    private bool failed;

    [Inject]
    private SnapshotStore Snapshots { get; set; } = default!;

    /// <summary>The account id.</summary>
    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

    /// <summary>The account's band today, which colours the line.</summary>
    [Parameter, EditorRequired]
    public Band Band { get; set; }

    /// <summary>The model's grade thresholds, drawn as dashed lines.</summary>
    [Parameter, EditorRequired]
    public GradeThresholds Thresholds { get; set; } = new();

    /// <summary>As-of time of the scores; a new one (a refresh) reloads the history.</summary>
    [Parameter, EditorRequired]
    public DateTime AsOf { get; set; }

    /// <summary>Model version of the scores; a new one (re-scored history) reloads the history.</summary>
    [Parameter, EditorRequired]
    public int ModelVersion { get; set; }

    /// <summary>The colour scheme from the layout.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    private string AriaLabel => points is { Count: > 0 }
        ? $"Health from {Format.Date(points[0].Day)} ({Format.Health(points[0].Health)}) to {Format.Date(points[^1].Day)} ({Format.Health(points[^1].Health)})"
        : "Health over the last 90 days";

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var key = $"{AccountId}|{AsOf:O}|{ModelVersion}";
        if (key != loadedFor)
        {
            loadedFor = key;
            await ReloadAsync();
        }
        else
        {
            BuildChart();
        }
    }

    private async Task ReloadAsync()
    {
        failed = false;
        try
        {
            points = await Snapshots.AccountHistoryAsync(AccountId);
            BuildChart();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed = true;
        }
    }

    private void BuildChart()
    {
        if (points is null)
        {
            return;
        }

        var dark = Theme?.IsDarkMode ?? false;
        string Green() => BandColors.Hex(Band.Green, dark);
        chart = new ApexChartOptions
        {
            Kind = ChartKind.Area,
            DateCategories = true,
            Categories = points.Select(p => p.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            Series = [new ApexChartSeries("Health", points.Select(p => (double?)Indicators.RoundAway(p.Health, 1)).ToList())],
            Colors = [BandColors.Hex(Band, dark)],
            YMin = 0,
            YMax = 100,
            YTickAmount = 5,
            Height = 280,
            ShowLegend = false,
            Decimals = 0,
            Thresholds =
            [
                new ChartThreshold(Thresholds.A, $"A {Thresholds.A:0.##}", Green()),
                new ChartThreshold(Thresholds.B, $"B {Thresholds.B:0.##}", Green()),
                new ChartThreshold(Thresholds.C, $"C {Thresholds.C:0.##}", BandColors.Hex(Band.Yellow, dark)),
            ],
        };
    }
}
