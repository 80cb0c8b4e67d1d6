using System.Globalization;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>backtest</c> and <c>suggest-weights</c>: see DATA.md and SCORING.md "Backtest" and "Suggested weights".
/// Output is <c>name,value</c> lines; rates and AUCs carry six decimals, counts and weights are whole numbers,
/// and an undefined figure (an AUC with no churned or no retained pair, red precision without red pairs, a
/// churn rate of no pairs) has an empty value. A band or grade with no pairs is left out. Accounts are scored
/// with segment and onboarding models as they apply; <c>--model FILE</c> takes the default model's place, and
/// <c>suggest-weights</c> fits the default model's indicator weights (accounts of other models keep their health).
/// </summary>
internal static class BacktestVerb
{
    public static async Task<int> RunBacktestAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var backtests = services.GetRequiredService<BacktestService>();
        var models = await backtests.LoadCurrentModelsAsync();
        if (args.ModelFile is { } file)
        {
            if (ReadModelFile(file, error) is not { } read)
            {
                return 1;
            }

            // The file's model takes the default model's place; segment and onboarding models still apply.
            models = models.With(ModelKey.Default, read);
        }

        var range = await backtests.ResolveRangeAsync(args.From, args.To, args.Horizon ?? BacktestCalendar.DefaultHorizonDays);
        if (range.Times.Count == 0)
        {
            await error.WriteLineAsync($"backtest: {NoTimes(range)}");
            return 1;
        }

        var history = await backtests.LoadAsync(range, models.MaxWindowDays);
        var result = history.Evaluate(models);
        // With overrides in the range, the same figures of the effective health follow, each name prefixed effective_.
        var effective = result.Effective is { } figures ? Lines(figures).Select(line => $"effective_{line}") : [];
        foreach (var line in Lines(result.Figures).Concat(effective))
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }

    public static async Task<int> RunSuggestWeightsAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var backtests = services.GetRequiredService<BacktestService>();
        var models = await backtests.LoadCurrentModelsAsync();
        var model = models.Default;
        var range = await backtests.ResolveRangeAsync(args.From, args.To, args.Horizon ?? BacktestCalendar.DefaultHorizonDays);
        if (range.Times.Count < 2)
        {
            await error.WriteLineAsync($"suggest-weights: {(range.Times.Count == 0 ? NoTimes(range) : "one evaluation time cannot be split into training and hold-out times; give a range of at least two month starts.")}");
            return 1;
        }

        var history = await backtests.LoadAsync(range, models.MaxWindowDays);
        var suggestion = history.Suggest(models);
        if (args.OutFile is { } outFile)
        {
            await File.WriteAllTextAsync(outFile, ModelJsonFile.ExportDraft(suggestion.Apply(model), models.VersionOf(ModelKey.Default)));
        }

        await output.WriteLineAsync(Line("train_auc", suggestion.TrainAuc));
        await output.WriteLineAsync(Line("holdout_auc", suggestion.HoldoutAuc));
        await output.WriteLineAsync(Line("current_holdout_auc", suggestion.CurrentHoldoutAuc));
        foreach (var indicator in Indicators.All)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"weight_{indicator.ToKey()},{suggestion.Weights[indicator]:0}"));
        }

        // The default model's custom indicators are fitted with the built-in ones (their weights share the 100).
        foreach (var (key, weight) in suggestion.CustomWeights)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"weight_{key},{weight}"));
        }

        return 0;
    }

    /// <summary>The <c>backtest</c> lines of DATA.md, in its order.</summary>
    public static IEnumerable<string> Lines(BacktestFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        yield return Count("pairs", figures.Pairs);
        yield return Count("churned", figures.Churned);
        yield return Line("auc", figures.Auc);
        yield return Line("churn_rate", figures.ChurnRate);
        var bands = Enum.GetValues<Band>().Where(figures.ByBand.ContainsKey).ToArray();
        foreach (var band in bands)
        {
            yield return Line($"churn_rate_band_{band.ToKey()}", figures.ByBand[band].Rate);
        }

        foreach (var band in bands)
        {
            yield return Count($"pairs_band_{band.ToKey()}", figures.ByBand[band].Pairs);
        }

        var grades = Enum.GetValues<Grade>().Where(figures.ByGrade.ContainsKey).ToArray();
        foreach (var grade in grades)
        {
            yield return Line($"churn_rate_grade_{grade}", figures.ByGrade[grade].Rate);
        }

        foreach (var grade in grades)
        {
            yield return Count($"pairs_grade_{grade}", figures.ByGrade[grade].Pairs);
        }

        yield return Line("red_precision", figures.RedPrecision);
        yield return Line("red_recall", figures.RedRecall);
        yield return Line("red_lift", figures.RedLift);
    }

    private static string Line(string name, double? value) =>
        value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{name},{v:F6}") : $"{name},";

    private static string Count(string name, int value) => string.Create(CultureInfo.InvariantCulture, $"{name},{value}");

    private static string NoTimes(BacktestRange range) => range.DataEnd is null
        ? "the database holds no data to backtest."
        : string.Create(CultureInfo.InvariantCulture,
            $"no evaluation time: no month start in the range has {range.HorizonDays} days of data after it (data from {range.DataStart:yyyy-MM-dd} to {range.DataEnd:yyyy-MM-dd}).");

    /// <summary>Reads a model export file (or a bare model); null after writing what is wrong.</summary>
    private static ScoringModel? ReadModelFile(string path, TextWriter error)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"backtest: cannot read --model '{path}': {e.Message}");
            return null;
        }

        var import = ModelJsonFile.Import(json);
        if (import.Error is { } problem)
        {
            error.WriteLine($"backtest: --model '{path}': {problem}");
            return null;
        }

        if (import.Problems.Count > 0)
        {
            foreach (var p in import.Problems)
            {
                error.WriteLine($"backtest: --model '{path}': {p.Field}: {p.Message}");
            }

            return null;
        }

        return import.Model;
    }
}
