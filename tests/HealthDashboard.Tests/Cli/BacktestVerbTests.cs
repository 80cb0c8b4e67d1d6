using HealthDashboard.Data;
using System.Globalization;
using HealthDashboard.Cli;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.Backtests;

namespace HealthDashboard.Tests.Cli;

/// <summary>
/// <c>backtest</c> and <c>suggest-weights</c> on the hand-made <see cref="ChurnHistory"/>. Evaluation times 2025-01-01,
/// 02-01 and 03-01, horizon 60 days: "fading" churns on 03-20 (not within 60 days of 01-01, within those of 02-01
/// and 03-01); "surprise" churns on 02-15 (within 60 days of 01-01 and 02-01, gone by 03-01). So 4 + 4 + 3 = 11
/// pairs, 4 churned.
/// </summary>
public abstract class BacktestVerbTests(DatabaseProvider engine) : IAsyncLifetime
{
    private TestStore store = null!;
    private PortfolioData data = null!;

    public async Task InitializeAsync()
    {
        data = ChurnHistory.Build();
        store = await ChurnHistory.CreateStoreAsync(engine);
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    private static DateTime[] Times => [new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc), new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc)];

    [Fact]
    public async Task Backtest_prints_the_figures_as_name_value_lines_with_six_decimals()
    {
        var (code, output, error) = await RunAsync("backtest", "--from", "2025-01-01", "--to", "2025-03-15", "--horizon", "60");

        Assert.Equal((0, ""), (code, error));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var values = lines.ToDictionary(l => l.Split(',')[0], l => l.Split(',')[1]);
        Assert.Equal("11", values["pairs"]);
        Assert.Equal("4", values["churned"]);
        Assert.Equal("0.363636", values["churn_rate"]);

        // Every other figure is the core's over the same pairs, in DATA.md's order and format.
        var figures = Backtest.Run(data, ScoringModel.Default, Times, 60).Figures();
        Assert.Equal(BacktestVerb.Lines(figures), lines);
        Assert.Equal(figures.Auc!.Value.ToString("F6", CultureInfo.InvariantCulture), values["auc"]);
        Assert.Equal(["pairs", "churned", "auc", "churn_rate"], lines.Take(4).Select(l => l.Split(',')[0]));
        Assert.Equal(["red_precision", "red_recall", "red_lift"], lines.TakeLast(3).Select(l => l.Split(',')[0]));
        Assert.All(lines.Where(l => l.StartsWith("churn_rate", StringComparison.Ordinal) || l.StartsWith("red_", StringComparison.Ordinal)),
            l => Assert.Matches(@",\d+\.\d{6}$", l));
        // The quiet account (H far below 40) is red at every time and never churns.
        Assert.True(figures.ByBand[Band.Red].Pairs >= 3);
    }

    [Fact]
    public void Figure_lines_leave_out_empty_bands_and_print_undefined_figures_empty()
    {
        double[] health = [90, 80];
        var figures = BacktestFigures.Compute(health, [false, false], health.Select(new GradeThresholds().GradeOf).ToArray());

        Assert.Equal(
            ["pairs,2", "churned,0", "auc,", "churn_rate,0.000000", "churn_rate_band_green,0.000000", "pairs_band_green,2",
             "churn_rate_grade_A,0.000000", "churn_rate_grade_B,0.000000", "pairs_grade_A,1", "pairs_grade_B,1",
             "red_precision,", "red_recall,", "red_lift,"],
            BacktestVerb.Lines(figures));
    }

    [Fact]
    public async Task Backtest_of_a_model_file_uses_that_model()
    {
        // A model weighting only Recency.
        var recencyOnly = ScoringModel.Default with { IndicatorWeights = new IndicatorWeights { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 100, Support = 0, Sentiment = 0, Growth = 0 } };
        var file = Path.Combine(store.Directory, "recency.json");
        await File.WriteAllTextAsync(file, ModelJsonFile.ExportDraft(recencyOnly, 1));

        var (code, output, _) = await RunAsync("backtest", "--from", "2025-01-01", "--to", "2025-03-01", "--horizon", "60", "--model", file);

        Assert.Equal(0, code);
        Assert.Equal(string.Join(Environment.NewLine, BacktestVerb.Lines(Backtest.Run(data, recencyOnly, Times, 60).Figures())) + Environment.NewLine, output);
    }

    [Fact]
    public async Task A_bad_model_file_is_refused_with_its_name()
    {
        var file = Path.Combine(store.Directory, "bad.json");
        await File.WriteAllTextAsync(file, "{ \"windowDays\": 0 }");

        var (code, _, error) = await RunAsync("backtest", "--model", file);

        Assert.Equal(1, code);
        Assert.Contains("bad.json", error);
        Assert.Contains("Window", error);
    }

    [Theory]
    [InlineData("--horizon", "0")]
    [InlineData("--horizon", "ninety")]
    [InlineData("--from", "yesterday")]
    public async Task Bad_arguments_print_usage_and_exit_2(string option, string value)
    {
        var (code, _, error) = await RunAsync("backtest", option, value);

        Assert.Equal(2, code);
        Assert.Contains(option, error);
        Assert.Contains("Usage:", error);
    }

    [Fact]
    public async Task A_from_after_to_is_refused()
    {
        var (code, _, error) = await RunAsync("backtest", "--from", "2025-03-01", "--to", "2025-01-01");

        Assert.Equal(2, code);
        Assert.Contains("after --to", error);
    }

    [Fact]
    public async Task A_range_without_a_month_start_exits_1_and_says_why()
    {
        var (code, _, error) = await RunAsync("backtest", "--from", "2025-01-02", "--to", "2025-01-31");

        Assert.Equal(1, code);
        Assert.Contains("no evaluation time", error);
    }

    [Fact]
    public async Task Suggest_weights_prints_the_aucs_and_weights_and_writes_an_importable_model_file()
    {
        var file = Path.Combine(store.Directory, "suggested.json");

        var (code, output, error) = await RunAsync("suggest-weights", "--from", "2025-01-01", "--to", "2025-03-01", "--horizon", "60", "--out", file);

        Assert.Equal((0, ""), (code, error));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToArray();
        Assert.Equal(["train_auc", "holdout_auc", "current_holdout_auc", .. Indicators.All.Select(i => "weight_" + i.ToKey())], lines.Select(l => l[0]));
        var weights = lines.Skip(3).Select(l => int.Parse(l[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(100, weights.Sum());
        Assert.All(weights, w => Assert.InRange(w, 0, 100));

        var import = ModelJsonFile.Import(await File.ReadAllTextAsync(file));
        Assert.Empty(import.Problems);
        Assert.Equal(weights, Indicators.All.Select(i => (int)import.Model!.IndicatorWeights[i]));
        Assert.Equal(ScoringModel.Default with { IndicatorWeights = import.Model!.IndicatorWeights }, import.Model);

        var expected = WeightFit.Suggest(Backtest.Run(data, ScoringModel.Default, Times, 60), ScoringModel.Default.IndicatorWeights);
        Assert.Equal(expected.TrainAuc!.Value.ToString("F6", CultureInfo.InvariantCulture), lines[0][1]);
    }

    [Fact]
    public async Task Suggest_weights_prints_a_weight_line_per_custom_indicator_after_the_built_in_ones_and_writes_them_to_the_model_file()
    {
        // The default model gains two custom indicators: renewal likelihood (monthly values; fading's drops in January)
        // and an executive sponsor score that no account has (it drops out of every composite).
        var model = ScoringModel.Default with
        {
            CustomIndicators =
            [
                new CustomIndicator { Key = "renewal", Name = "Renewal likelihood", Metric = "renewal_likelihood", Weight = 10 },
                new CustomIndicator { Key = "sponsor", Name = "Exec sponsor", Metric = "sponsor", Weight = 5, Scoring = CustomScoring.Range, Worst = 0, Best = 10 },
            ],
        };
        await using (var db = await store.DbAsync())
        {
            db.ModelVersions.Add(new ScoringModelVersion { Id = 2, SavedAt = ChurnHistory.Utc(2024, 10, 1), SavedBy = "maya", ModelJson = model.ToJson() });
            for (var month = ChurnHistory.Utc(2024, 11, 1); month < ChurnHistory.AsOf; month = month.AddMonths(1))
            {
                // Account ids are the data indices + 1: busy, quiet, fading, surprise.
                db.Metrics.AddRange(
                    new MetricValue { AccountId = 1, Metric = "renewal_likelihood", Time = month, Value = 90 },
                    new MetricValue { AccountId = 2, Metric = "renewal_likelihood", Time = month, Value = 70 },
                    new MetricValue { AccountId = 3, Metric = "renewal_likelihood", Time = month, Value = month < ChurnHistory.Utc(2025, 1, 1) ? 80 : 10 },
                    new MetricValue { AccountId = 4, Metric = "renewal_likelihood", Time = month, Value = 85 });
            }

            await db.SaveChangesAsync();
        }

        var file = Path.Combine(store.Directory, "suggested.json");
        var (code, output, error) = await RunAsync("suggest-weights", "--from", "2025-01-01", "--to", "2025-03-01", "--horizon", "60", "--out", file);

        Assert.Equal((0, ""), (code, error));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToArray();
        Assert.Equal(["train_auc", "holdout_auc", "current_holdout_auc", .. Indicators.All.Select(i => "weight_" + i.ToKey()), "weight_renewal", "weight_sponsor"],
            lines.Select(l => l[0]));
        var weights = lines.Skip(3).Select(l => int.Parse(l[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(100, weights.Sum());
        Assert.All(weights, w => Assert.InRange(w, 0, 100));

        var suggested = ModelJsonFile.Import(await File.ReadAllTextAsync(file)).Model!;
        Assert.Equal(weights[^2..], suggested.CustomIndicators.Select(c => (int)c.Weight));
        Assert.Equal(model.CustomIndicators.Select(c => c with { Weight = 0 }), suggested.CustomIndicators.Select(c => c with { Weight = 0 }));
    }

    [Fact]
    public async Task Suggest_weights_needs_two_evaluation_times()
    {
        var (code, _, error) = await RunAsync("suggest-weights", "--from", "2025-01-01", "--to", "2025-01-01");

        Assert.Equal(1, code);
        Assert.Contains("at least two", error);
    }

    [Fact]
    public async Task Without_a_range_the_default_is_the_month_starts_with_a_full_horizon_of_data_after_them()
    {
        // Usage runs from 2024-11-01 09:00 to 2025-05-31 09:00: with 90 days, T + 90 d <= 05-31 allows up to 2025-03-01;
        // the data starts in November, so the range is 2024-12-01 to 2025-03-01.
        var (code, output, _) = await RunAsync("backtest");

        Assert.Equal(0, code);
        DateTime[] expectedTimes = [new(2024, 12, 1, 0, 0, 0, DateTimeKind.Utc), .. Times];
        var expected = Backtest.Run(data, ScoringModel.Default, expectedTimes, 90).Figures();
        Assert.Equal(string.Join(Environment.NewLine, BacktestVerb.Lines(expected)) + Environment.NewLine, output);
    }

    [Fact]
    public async Task With_overrides_in_the_range_the_effective_healths_figures_follow_with_an_effective_prefix()
    {
        // A CSM flags "fading" at 10 from 01-15 until 03-10: active at the 02-01 and 03-01 evaluation times, not at 01-01.
        var set = await RunAsync("override", "fading", "--value", "10", "--reason", "Champion left", "--until", "2025-03-10", "--from", "2025-01-15T00:00:00Z");
        Assert.Equal(0, set.Code);

        var (code, output, error) = await RunAsync("backtest", "--from", "2025-01-01", "--to", "2025-03-15", "--horizon", "60");

        Assert.Equal((0, ""), (code, error));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var model = Backtest.Run(data, ScoringModel.Default, Times, 60);
        var modelLines = BacktestVerb.Lines(model.Figures()).ToArray();
        // The model's own figures first, unchanged by the override.
        Assert.Equal(modelLines, lines.Take(modelLines.Length));

        // The same pairs with fading's H replaced by 10 where the override was active.
        var effective = new BacktestSample(60);
        foreach (var pair in model.Pairs)
        {
            var overridden = pair.AccountId == "fading" && model.Times[pair.TimeIndex] >= new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc);
            effective.AddPair(model.Times[pair.TimeIndex], pair.AccountId, pair.Health, pair.Churned, pair.Thresholds, overrideValue: overridden ? 10 : null);
        }

        Assert.Equal(BacktestVerb.Lines(effective.EffectiveFigures()).Select(l => $"effective_{l}"), lines.Skip(modelLines.Length));
        // fading churned within 60 days of both times, and 10 is below every retained pair's H: red catches it at both.
        var values = lines.ToDictionary(l => l.Split(',')[0], l => l.Split(',')[1]);
        Assert.Equal("11", values["effective_pairs"]);
        Assert.True(double.Parse(values["effective_auc"], CultureInfo.InvariantCulture) >= double.Parse(values["auc"], CultureInfo.InvariantCulture));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. store.CliArguments], output, error, null, store.CliConfiguration);
        return (code, output.ToString(), error.ToString());
    }
}

public sealed class BacktestVerbSqliteTests() : BacktestVerbTests(DatabaseProvider.Sqlite);

public sealed class BacktestVerbPostgresTests() : BacktestVerbTests(DatabaseProvider.Postgres);
