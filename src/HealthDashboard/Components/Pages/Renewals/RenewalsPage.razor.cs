using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Tasks;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Renewals;

/// <summary>
/// The renewal pipeline (issue 16): overdue and the next four quarters with MRR and ARR per band, the months,
/// revenue at risk per quarter as a chart and the accounts of the chosen quarter. Filters are the Accounts
/// page's, in the URL the same way (the page reuses <see cref="UrlGridPage{TFilter, TSort, TRow}"/>'s URL
/// plumbing; it has no grid, its one "page" is <see cref="RenewalQuery"/>'s report).
/// </summary>
public sealed partial class RenewalsPage
{
    /// <summary>Most account rows one quarter lists (the export has them all).</summary>
    public const int MaxRows = 200;

    /// <summary>
    /// Rows a quarter lists at first, and how many more each "Show more" adds: at 10,000 accounts a quarter holds
    /// thousands, and 200 rows of chips made the circuit's first render (and the browser's) most of the page's load.
    /// </summary>
    public const int FirstRows = 50;

    private int listedRows = FirstRows;

    private RenewalReport? report;
    private IReadOnlyDictionary<Band, int> bandCounts = new Dictionary<Band, int>();
    private ApexChartOptions chart = new() { Kind = ChartKind.Bar };
    private string? selected;
    private readonly Dictionary<string, int> openTasks = [];

    [CascadingParameter]
    private ThemeState? Theme { get; set; }

    [Inject]
    private TaskStore Tasks { get; set; } = default!;

    /// <inheritdoc />
    protected override string Route => "renewals";


    private string ExportHref => "export/renewals.csv" + (ViewQuery is { Length: > 0 } q ? "?" + q : "");

    private string ChartLabel => report is null ? "No renewals" : string.Join("; ",
        report.Quarters.Select(q => $"{q.Label}: {Format.MoneyCompact(q.MrrOf(Band.Red))} red, {Format.MoneyCompact(q.MrrOf(Band.Yellow))} yellow"));

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        Tasks.Changed += OnTasksChanged;
        await base.OnInitializedAsync();
        await LoadOpenTasksAsync();
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Another filter, quarter or view shows other rows: count their open tasks (a no-op when they are counted).
        if (await LoadOpenTasksAsync())
        {
            StateHasChanged();
        }
    }

    // Counts only (everyone's open tasks per account): no task itself is shown, so no one's work is exposed.
    // Only the rows on screen are counted; returns whether any new count was read.
    private async Task<bool> LoadOpenTasksAsync()
    {
        var missing = ShownAccounts.Select(a => a.Id).Where(id => !openTasks.ContainsKey(id)).ToList();
        if (missing.Count == 0)
        {
            return false;
        }

        var counts = await Tasks.OpenCountsAsync(missing);
        foreach (var id in missing)
        {
            openTasks[id] = counts.GetValueOrDefault(id);
        }

        return true;
    }

    private IEnumerable<AccountSummary> ShownAccounts =>
        report?.Quarters.FirstOrDefault(q => q.Key == selected)?.Accounts.Take(Listed) ?? [];

    private int Listed => Math.Min(listedRows, MaxRows);

    private void SelectQuarter(string key)
    {
        selected = key;
        listedRows = FirstRows;
    }

    private void ListMore() => listedRows += FirstRows;

    private void OnTasksChanged() => _ = InvokeAsync(async () =>
    {
        openTasks.Clear();
        await LoadOpenTasksAsync();
        StateHasChanged();
    });

    /// <inheritdoc />
    public override void Dispose()
    {
        Tasks.Changed -= OnTasksChanged;
        base.Dispose();
    }

    /// <inheritdoc />
    protected override (IReadOnlyList<AccountSummary> Rows, int TotalCount, int Page) QueryPage(PortfolioView view)
    {
        report = RenewalQuery.Run(view, Filter);
        return ([], report.Count, 1);
    }

    /// <inheritdoc />
    protected override void ShowTotals(PortfolioView view)
    {
        if (report is null)
        {
            return;
        }

        // The chips count renewals in the report with every other filter kept.
        bandCounts = report.BandCounts;

        // The quarter shown: the one chosen, else the first with renewals.
        if (selected is null || report.Quarters.All(q => q.Key != selected))
        {
            selected = (report.Quarters.FirstOrDefault(q => q.Accounts.Count > 0) ?? report.Quarters[1]).Key;
        }

        var dark = Theme?.IsDarkMode ?? false;
        Band[] atRisk = [Band.Red, Band.Yellow];
        chart = new ApexChartOptions
        {
            Kind = ChartKind.Bar,
            Height = 280,
            Stacked = true,
            Categories = [.. report.Quarters.Select(q => q.Label)],
            Series = [.. atRisk.Select(band => new ApexChartSeries(BandColors.Label(band), [.. report.Quarters.Select(q => (double?)Math.Round(q.MrrOf(band)))]))],
            Colors = [.. atRisk.Select(band => BandColors.Hex(band, dark))],
            YMin = 0,
            ValuePrefix = "$",
        };
    }
}
