using HealthDashboard.Components.Charts;
using HealthDashboard.Components.Shared;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;

namespace HealthDashboard.Components.Pages.Backtest;

/// <summary>The backtest's figures as chart options and plain-language sentences (pure, so tests read them directly).</summary>
public static class BacktestCharts
{
    /// <summary>Below this many churned pairs the figures are too noisy to trust, and the page says so.</summary>
    public const int FewChurns = 30;

    /// <summary>Churn rate per band as coloured columns (percent).</summary>
    public static ApexChartOptions ByBand(BacktestFigures figures, bool dark)
    {
        ArgumentNullException.ThrowIfNull(figures);
        Band[] bands = [Band.Green, Band.Yellow, Band.Red];
        return Columns(bands.Select(BandColors.Label).ToList(), bands.Select(b => Rate(figures.ByBand, b)).ToList(),
            bands.Select(b => BandColors.Hex(b, dark)).ToList());
    }

    /// <summary>Churn rate per grade as coloured columns (percent).</summary>
    public static ApexChartOptions ByGrade(BacktestFigures figures, bool dark)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var grades = Enum.GetValues<Grade>();
        return Columns(grades.Select(g => $"Grade {g}").ToList(), grades.Select(g => Rate(figures.ByGrade, g)).ToList(),
            grades.Select(g => BandColors.Hex(Indicators.BandOf(g), dark)).ToList());
    }

    /// <summary>Calibration: churn rate per 10 points of health (a gap where no pair fell).</summary>
    public static ApexChartOptions Calibration(BacktestFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return new ApexChartOptions
        {
            Kind = ChartKind.Bar,
            Height = 260,
            Categories = Enumerable.Range(0, 10).Select(d => d == 0 ? "1–9" : d == 9 ? "90–100" : $"{d * 10}–{(d * 10) + 9}").ToList(),
            Series = [new ApexChartSeries("Churned within the horizon", figures.ByHealthDecile.Select(c => c.Rate * 100).ToList())],
            ValueSuffix = "%",
            Decimals = 1,
            AxisDecimals = 0,
            YMin = 0,
            XAxisTitle = "Health at the evaluation time",
            YAxisTitle = "Churn rate",
            ShowLegend = false,
        };
    }

    /// <summary>
    /// The ROC curve read at every 5% of retained accounts flagged: the share of churners caught when flagging
    /// the lowest-health accounts, beside the diagonal of a coin toss.
    /// </summary>
    public static ApexChartOptions Roc(BacktestFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var grid = Enumerable.Range(0, 21).Select(i => i / 20.0).ToArray();
        return new ApexChartOptions
        {
            Kind = ChartKind.Line,
            Height = 260,
            Categories = grid.Select(x => $"{x * 100:0}%").ToList(),
            Series =
            [
                new ApexChartSeries("This model", grid.Select(x => (double?)(100 * TruePositiveRateAt(figures.Roc, x))).ToList()),
                new ApexChartSeries("Chance", grid.Select(x => (double?)(100 * x)).ToList()),
            ],
            Colors = ["#4f46e5", "#9ca3af"],
            ValueSuffix = "%",
            Decimals = 0,
            YMin = 0,
            YMax = 100,
            XTickAmount = 10,
            XAxisTitle = "Staying accounts flagged",
            YAxisTitle = "Churning accounts caught",
        };
    }

    /// <summary>The highest true-positive rate the curve reaches without flagging more than <paramref name="falsePositiveRate"/> of the retained pairs.</summary>
    public static double TruePositiveRateAt(IReadOnlyList<RocPoint> curve, double falsePositiveRate)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var best = 0.0;
        foreach (var point in curve)
        {
            if (point.FalsePositiveRate <= falsePositiveRate + 1e-12)
            {
                best = Math.Max(best, point.TruePositiveRate);
            }
        }

        return best;
    }

    /// <summary>
    /// The verdict in plain words with the sample size, e.g. "Red accounts churned 4.1x as often as the average,
    /// over 2,261 account-months and 233 churns."
    /// </summary>
    public static string Verdict(BacktestFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var sample = $"over {Format.Count(figures.Pairs)} account-months and {Format.Counted(figures.Churned, "churn")}";
        if (figures.Auc is not { } auc)
        {
            return figures.Pairs == 0
                ? "No account was scored at these evaluation times: there is nothing to judge the score by."
                : $"{(figures.Churned == 0 ? "No account churned" : "Every account churned")} within the horizon, {sample}: the score cannot be judged on this period.";
        }

        var strength = auc switch
        {
            >= 0.8 => "The score separates churners well",
            >= 0.7 => "The score is a useful churn signal",
            >= 0.6 => "The score is a weak but real churn signal",
            >= 0.5 => "The score is barely better than a coin toss at predicting churn",
            _ => "The score points the wrong way: churners scored higher than the accounts that stayed",
        };
        var red = figures.RedLift is { } lift
            ? $"Red accounts churned {lift:0.0}x as often as the average, {sample}."
            : $"No account was red, {sample}.";
        return $"{red} {strength}: it ranked a churning account below a staying one {Format.Percent(auc)} of the time.";
    }

    private static double? Rate<TKey>(IReadOnlyDictionary<TKey, ChurnCount> counts, TKey key) where TKey : notnull =>
        counts.TryGetValue(key, out var count) ? count.Rate * 100 : null;

    private static ApexChartOptions Columns(IReadOnlyList<string> categories, IReadOnlyList<double?> percents, IReadOnlyList<string> colors) => new()
    {
        Kind = ChartKind.Bar,
        Height = 240,
        Categories = categories,
        Series = [new ApexChartSeries("Churn rate", percents)],
        Colors = colors,
        Distributed = true,
        DataLabels = true,
        ValueSuffix = "%",
        Decimals = 1,
        AxisDecimals = 0,
        YMin = 0,
        ShowLegend = false,
    };
}
