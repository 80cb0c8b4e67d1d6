using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Shared;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// Health over up to a year from the daily snapshots (SCORING.md "History and trend"): a range picker, the grade
/// thresholds, each indicator's score (built-in, and the custom indicators of the account's model) as a line on
/// demand, and a marker on each day a model version was saved, so a
/// jump the model caused is told apart from the customer's. Reads only stored snapshots: a day the background
/// back-fill has not reached yet is simply not drawn.
/// </summary>
public sealed partial class HealthHistory : IDisposable
{
    /// <summary>The ranges offered, in days.</summary>
    public static readonly IReadOnlyList<int> Ranges = [30, 90, 180, 365];

    // Distinct from the band colours, readable on light and dark backgrounds: the built-in indicators' in their order,
    // then the custom indicators' in the model's order (repeating after the last).
    private static readonly string[] IndicatorColors = ["#2563eb", "#9333ea", "#0891b2", "#ea580c", "#4f46e5", "#be185d", "#65a30d", "#78716c"];
    private static readonly string[] CustomColors = ["#0d9488", "#c026d3", "#a16207", "#0369a1", "#b91c1c", "#7c3aed"];

    private IReadOnlyList<SnapshotRow>? rows;
    private IReadOnlyList<(int Version, DateTime SavedAt)> saves = [];
    private IReadOnlyList<ChartMarker> markers = [];
    private ApexChartOptions chart = new() { Kind = ChartKind.Line };
    /// <summary>The keys of the indicators drawn as lines: built-in export names and custom keys.</summary>
    private IReadOnlyCollection<string> shownIndicators = [];
    private int rangeDays = 90;
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

    /// <summary>The custom indicators of the account's model, offered as lines beside the built-in ones.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<CustomIndicator> CustomIndicators { get; set; } = [];

    /// <summary>As-of time of the scores; a new one (a refresh) reloads the history.</summary>
    [Parameter, EditorRequired]
    public DateTime AsOf { get; set; }

    /// <summary>Model version of the scores; a new one (re-scored history) reloads the history.</summary>
    [Parameter, EditorRequired]
    public int ModelVersion { get; set; }

    /// <summary>The colour scheme from the layout.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    /// <summary>The rows of the picked range, oldest first.</summary>
    private List<SnapshotRow> Shown => rows is null ? [] : [.. rows.Where(r => r.Day > AsOf.Date.AddDays(-rangeDays))];

    private string AriaLabel => Shown is { Count: > 0 } shown
        ? $"Health from {Format.Date(shown[0].Day)} ({Format.Health(shown[0].Health)}) to {Format.Date(shown[^1].Day)} ({Format.Health(shown[^1].Health)})"
        : $"Health over the last {rangeDays} days";

    /// <summary>"30 days", "1 year".</summary>
    public static string RangeLabel(int days) => days == 365 ? "1 year" : $"{days} days";

    /// <inheritdoc />
    protected override void OnInitialized() => Snapshots.Written += OnWritten;

    /// <inheritdoc />
    public void Dispose() => Snapshots.Written -= OnWritten;

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

    // The background back-fill wrote days (e.g. the year after a start or an import): draw them.
    private void OnWritten() => _ = InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    });

    private async Task ReloadAsync()
    {
        failed = false;
        try
        {
            rows = await Snapshots.StoredHistoryAsync(AccountId, AsOf.Date.AddDays(1 - Ranges[^1]));
            saves = await Snapshots.ModelSavesAsync();
            BuildChart();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed = true;
        }
    }

    private void RangeChanged(int days)
    {
        rangeDays = days;
        BuildChart();
    }

    /// <summary>Every indicator a line can be drawn for: key, display name and colour.</summary>
    private IEnumerable<(string Key, string Name, string Color)> Choices =>
        Indicators.All.Select(i => (i.ToKey(), i.ToString(), IndicatorColors[(int)i]))
            .Concat(CustomIndicators.Select((c, n) => (c.Key, c.Name, CustomColors[n % CustomColors.Length])));

    private void IndicatorsChanged(IReadOnlyCollection<string>? selected)
    {
        shownIndicators = selected ?? [];
        BuildChart();
    }

    private void BuildChart()
    {
        var shown = Shown;
        if (rows is null)
        {
            return;
        }

        var dark = Theme?.IsDarkMode ?? false;
        string Green() => BandColors.Hex(Band.Green, dark);
        var days = shown.Select(r => r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var indicators = Choices.Where(c => shownIndicators.Contains(c.Key)).ToList();
        var markerColor = dark ? "#a1a1aa" : "#52525b";
        markers = shown.Count == 0 ? [] :
            [.. saves.Where(s => s.SavedAt.Date >= shown[0].Day && s.SavedAt.Date <= shown[^1].Day)
                .Select(s => new ChartMarker(s.SavedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"v{s.Version}", markerColor))];
        chart = new ApexChartOptions
        {
            Kind = indicators.Count == 0 ? ChartKind.Area : ChartKind.Line,
            DateCategories = true,
            Categories = days,
            Series =
            [
                new ApexChartSeries("Health", [.. shown.Select(r => (double?)Indicators.RoundAway(r.Health, 1))]),
                .. indicators.Select(i => new ApexChartSeries(i.Name, [.. shown.Select(r => ValueOf(r, i.Key) is { } v ? Indicators.RoundAway(v, 1) : (double?)null)])),
            ],
            Colors = [BandColors.Hex(Band, dark), .. indicators.Select(i => i.Color)],
            YMin = 0,
            YMax = 100,
            YTickAmount = 5,
            Height = 300,
            ShowLegend = indicators.Count > 0,
            Decimals = 0,
            Markers = markers,
            Thresholds =
            [
                new ChartThreshold(Thresholds.A, $"A {Thresholds.A:0.##}", Green()),
                new ChartThreshold(Thresholds.B, $"B {Thresholds.B:0.##}", Green()),
                new ChartThreshold(Thresholds.C, $"C {Thresholds.C:0.##}", BandColors.Hex(Band.Yellow, dark)),
            ],
        };
    }

    /// <summary>A day's score of a built-in indicator (by export name) or a custom one (by key); null when missing.</summary>
    private static double? ValueOf(SnapshotRow row, string key) =>
        IndicatorKeys.TryGetValue(key, out var indicator) ? row.Value(indicator) : row.CustomValue(key);

    private static readonly Dictionary<string, Indicator> IndicatorKeys = Indicators.All.ToDictionary(i => i.ToKey(), StringComparer.Ordinal);
}
