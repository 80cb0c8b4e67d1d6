using HealthDashboard.Components.Charts;
using HealthDashboard.Data;
using HealthDashboard.Queries;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>Loads one account's metrics up to the as-of time (<see cref="AccountMetrics"/>) and shows them with the custom indicators reading each.</summary>
public sealed partial class AccountMetricsPanel
{
    private IReadOnlyList<AccountMetric>? metrics;
    private readonly Dictionary<string, ApexChartOptions> charts = new(StringComparer.Ordinal);
    private string? loadedFor;

    [Inject]
    private IDbContextFactory<HealthDbContext> DbFactory { get; set; } = default!;

    /// <summary>The account id.</summary>
    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

    /// <summary>The as-of time: no value after it is shown (what the scores read).</summary>
    [Parameter, EditorRequired]
    public DateTime AsOf { get; set; }

    /// <summary>The model that scores the account: its custom indicators say which metric counts.</summary>
    [Parameter, EditorRequired]
    public ScoringModel Model { get; set; } = default!;

    /// <summary>The colour scheme from the layout.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var key = $"{AccountId}|{AsOf:O}";
        if (key != loadedFor)
        {
            loadedFor = key;
            charts.Clear();
            metrics = await AccountMetrics.LoadAsync(DbFactory, AccountId, AsOf);
        }
    }

    private IReadOnlyList<CustomIndicator> UsedBy(string metric) =>
        [.. Model.CustomIndicators.Where(c => string.Equals(c.Metric, metric, StringComparison.Ordinal))];

    private ApexChartOptions ChartOf(AccountMetric metric)
    {
        if (!charts.TryGetValue(metric.Key, out var chart))
        {
            chart = new ApexChartOptions
            {
                Kind = ChartKind.Line,
                DateCategories = true,
                Categories = [.. metric.Points.Select(p => p.Time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))],
                Series = [new ApexChartSeries(metric.Key, [.. metric.Points.Select(p => (double?)p.Value)])],
                Colors = [HealthTheme.PrimaryHex(Theme?.IsDarkMode == true)],
                Height = 180,
                ShowLegend = false,
                Decimals = 2,
                YTickAmount = 4,
                DarkMode = Theme?.IsDarkMode == true,
            };
            charts[metric.Key] = chart;
        }

        return chart;
    }

    private static string Number(double value) => value.ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);
}
