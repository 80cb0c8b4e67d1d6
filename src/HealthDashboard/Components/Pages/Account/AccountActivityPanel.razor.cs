using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Shared;
using HealthDashboard.Data;
using HealthDashboard.Queries;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>Loads and shows one account's recent tickets, survey responses and MRR history.</summary>
public sealed partial class AccountActivityPanel
{
    private AccountActivity? activity;
    private ApexChartOptions mrrChart = new() { Kind = ChartKind.Area };
    private string? loadedFor;

    [Inject]
    private IDbContextFactory<HealthDbContext> DbFactory { get; set; } = default!;

    /// <summary>The account id.</summary>
    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

    /// <summary>The as-of time: nothing after it is shown.</summary>
    [Parameter, EditorRequired]
    public DateTime AsOf { get; set; }

    /// <summary>The colour scheme from the layout.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    private string MrrSubtitle => activity?.Revenue is { Count: >= 2 } revenue
        ? $"{Change(revenue[0].Mrr, revenue[^1].Mrr)} since {Format.Date(revenue[0].Date)}"
        : "Subscription changes, renewals, up- and down-sells";

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var key = $"{AccountId}|{AsOf:O}";
        if (key != loadedFor)
        {
            // Another account starts from "loading"; a refresh of the same one keeps its lists until the new ones arrive.
            if (loadedFor?.StartsWith(AccountId + "|", StringComparison.Ordinal) != true)
            {
                activity = null;
            }

            loadedFor = key;
            // A failure here surfaces in the SectionCard's error boundary, not the whole page.
            activity = await AccountActivity.LoadAsync(DbFactory, AccountId, AsOf);
        }

        BuildChart();
    }

    private void BuildChart()
    {
        if (activity is not { Revenue.Count: >= 2 } loaded)
        {
            return;
        }

        // A step line: MRR holds from one entry to the next, so repeat each value until the next date and up to as-of.
        var days = new List<string>();
        var values = new List<double?>();
        foreach (var entry in loaded.Revenue)
        {
            if (values.Count > 0)
            {
                days.Add(Iso(entry.Date.AddSeconds(-1)));
                values.Add(values[^1]);
            }

            days.Add(Iso(entry.Date));
            values.Add(entry.Mrr);
        }

        days.Add(Iso(AsOf));
        values.Add(values[^1]);
        mrrChart = new ApexChartOptions
        {
            Kind = ChartKind.Area,
            DateCategories = true,
            Categories = days,
            Series = [new ApexChartSeries("MRR", values)],
            Colors = [HealthTheme.PrimaryHex(Theme?.IsDarkMode == true)],
            Height = 160,
            ShowLegend = false,
            ValuePrefix = "$",
            YMin = 0,
            YTickAmount = 3,
        };
    }

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Change(double from, double to)
    {
        if (from <= 0)
        {
            return $"Now {Format.Money(to)}";
        }

        var pct = (to - from) / from;
        return pct == 0 ? "Unchanged" : $"{(pct > 0 ? "+" : "\u2212")}{Format.Percent(Math.Abs(pct))} MRR";
    }

    private static string SurveyScore(SurveyRow survey) =>
        survey.Kind.Equals("NPS", StringComparison.OrdinalIgnoreCase) ? $"{survey.Score:0} / 10" : $"{survey.Score:0} / 5";

    // NPS: promoters 9-10, passives 7-8, detractors 0-6. CSAT: 4-5 good, 3 neutral, 1-2 poor.
    private static string SurveyTone(SurveyRow survey) => survey.Kind.Equals("NPS", StringComparison.OrdinalIgnoreCase)
        ? survey.Score >= 9 ? "hd-pill-success" : survey.Score >= 7 ? "hd-pill-warning" : "hd-pill-error"
        : survey.Score >= 4 ? "hd-pill-success" : survey.Score >= 3 ? "hd-pill-warning" : "hd-pill-error";
}
