namespace HealthDashboard.Scoring;

/// <summary>
/// The pairs (H, y) of a backtest (SCORING.md "Backtest"): one per scored account at each evaluation time,
/// with the indicator values behind H so that other indicator weights can be tried without scoring again
/// (indicator values do not depend on indicator weights: a weight only re-combines them).
/// </summary>
/// <remarks>
/// A pair's label is y = 1 when the account's churned date falls in (T, T + horizon]. An account churned at
/// or before T is not scored at T, so it gives no pair.
/// </remarks>
public sealed class BacktestSample
{
    private readonly List<PairRecord> pairs = [];
    private readonly List<DateTime> times = [];
    private double[] values = [];
    private int valueCount;

    /// <param name="horizonDays">The horizon in days (1 or more).</param>
    /// <param name="customKeys">
    /// The keys of the fitted (default) model's custom indicators: their values are kept after the built-in ones, so a
    /// weight fit re-combines them too (SCORING.md "Custom indicators"). None by default.
    /// </param>
    public BacktestSample(int horizonDays, IReadOnlyList<string>? customKeys = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        HorizonDays = horizonDays;
        CustomKeys = customKeys ?? [];
    }

    /// <summary>The fitted model's custom indicator keys, in the order their values follow the built-in ones.</summary>
    public IReadOnlyList<string> CustomKeys { get; }

    /// <summary>Values kept per pair: the built-in indicators, then <see cref="CustomKeys"/>.</summary>
    public int Width => Indicators.Count + CustomKeys.Count;

    /// <summary>The horizon in days.</summary>
    public int HorizonDays { get; }

    /// <summary>The evaluation times added, in the order added.</summary>
    public IReadOnlyList<DateTime> Times => times;

    /// <summary>Number of pairs.</summary>
    public int Count => pairs.Count;

    /// <summary>One pair.</summary>
    public PairRecord this[int pair] => pairs[pair];

    /// <summary>Every pair.</summary>
    public IReadOnlyList<PairRecord> Pairs => pairs;

    /// <summary>Indicator values of a pair (NaN: missing), in <see cref="Indicator"/> order, then those of <see cref="CustomKeys"/>.</summary>
    public ReadOnlySpan<double> ValuesOf(int pair) => values.AsSpan(pair * Width, Width);

    /// <summary>True when the account churned in (T, T + horizon].</summary>
    public static bool ChurnsWithin(DateTime time, DateTime? churnedAt, int horizonDays) =>
        churnedAt is { } churned && churned > time && churned <= time.AddDays(horizonDays);

    /// <summary>
    /// Adds the pairs of one evaluation time: every account <paramref name="scores"/> scored at its as-of time,
    /// graded with the thresholds of the account's own model. Pairs scored with the default model are the ones
    /// a weight fit re-combines.
    /// </summary>
    public void Add(PortfolioScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var aggregates = scores.Aggregates;
        var time = aggregates.AsOf;
        var timeIndex = times.Count;
        times.Add(time);
        EnsureValueCapacity(valueCount + (scores.AccountCount * Width));
        var customColumns = CustomKeys.Select(key => IndexOf(scores.CustomKeys, key)).ToArray();
        var customCount = scores.CustomKeys.Count;
        for (var a = 0; a < scores.AccountCount; a++)
        {
            var dataIndex = aggregates.Accounts[a];
            var account = aggregates.Data.Accounts[dataIndex];
            var h = scores.Health[a];
            var threshold = scores.ModelOf(a).Thresholds;
            pairs.Add(new PairRecord(timeIndex, dataIndex, account.Id, h, ChurnsWithin(time, account.ChurnedAt, HorizonDays),
                threshold, threshold.GradeOf(h), scores.ModelKeyOf(a) == ModelKey.Default)
            {
                OverrideValue = scores.ActiveOverrides[a]?.Value,
            });
            scores.Values.AsSpan(a * Indicators.Count, Indicators.Count).CopyTo(values.AsSpan(valueCount));
            for (var k = 0; k < customColumns.Length; k++)
            {
                values[valueCount + Indicators.Count + k] = customColumns[k] < 0 ? double.NaN : scores.CustomValues[(a * customCount) + customColumns[k]];
            }

            valueCount += Width;
        }
    }

    private static int IndexOf(IReadOnlyList<string> keys, string key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] == key)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Adds one pair by hand (tests and synthetic data).</summary>
    public void AddPair(DateTime time, string accountId, double health, bool churned, GradeThresholds thresholds, ReadOnlySpan<double> values = default, double? overrideValue = null)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var timeIndex = times.IndexOf(time);
        if (timeIndex < 0)
        {
            timeIndex = times.Count;
            times.Add(time);
        }

        EnsureValueCapacity(valueCount + Width);
        pairs.Add(new PairRecord(timeIndex, -1, accountId, health, churned, thresholds, thresholds.GradeOf(health), true) { OverrideValue = overrideValue });
        var slot = this.values.AsSpan(valueCount, Width);
        slot.Fill(double.NaN);
        values.CopyTo(slot);
        valueCount += Width;
    }

    /// <summary>The figures of every pair.</summary>
    public BacktestFigures Figures() => BacktestFigures.Compute(pairs.Select(p => p.Health).ToArray(), pairs.Select(p => p.Churned).ToArray(),
        pairs.Select(p => p.Grade).ToArray());

    /// <summary>True when an override was active on some pair's account at its evaluation time.</summary>
    public bool HasOverrides => pairs.Exists(p => p.OverrideValue is not null);

    /// <summary>
    /// The figures of the effective health (SCORING.md "Overrides"): each pair's H replaced by the override active at
    /// its evaluation time, graded with its model's thresholds; pairs without one keep the model's H.
    /// </summary>
    public BacktestFigures EffectiveFigures() => BacktestFigures.Compute(pairs.Select(p => p.EffectiveHealth).ToArray(), pairs.Select(p => p.Churned).ToArray(),
        pairs.Select(p => p.EffectiveGrade).ToArray());

    /// <summary>The figures of the pairs whose evaluation time index satisfies <paramref name="includeTime"/>.</summary>
    public BacktestFigures Figures(Func<int, bool> includeTime)
    {
        var chosen = pairs.Where(p => includeTime(p.TimeIndex)).ToArray();
        return BacktestFigures.Compute(chosen.Select(p => p.Health).ToArray(), chosen.Select(p => p.Churned).ToArray(), chosen.Select(p => p.Grade).ToArray());
    }

    private void EnsureValueCapacity(int needed)
    {
        if (values.Length < needed)
        {
            Array.Resize(ref this.values, Math.Max(needed, values.Length * 2));
        }
    }
}

/// <summary>One backtest pair.</summary>
/// <param name="TimeIndex">Index of its evaluation time in <see cref="BacktestSample.Times"/>.</param>
/// <param name="AccountIndex">Index into the portfolio's accounts (-1 for a pair added by hand).</param>
/// <param name="AccountId">The account's id.</param>
/// <param name="Health">Unrounded H at the evaluation time under the model evaluated.</param>
/// <param name="Churned">y: the account churned within the horizon after the evaluation time.</param>
/// <param name="Thresholds">The thresholds of the account's model (grade and band of H).</param>
/// <param name="Grade">The grade of H under those thresholds.</param>
/// <param name="Fitted">True when a weight fit re-combines this pair's indicators (its account is scored with the fitted model).</param>
public sealed record PairRecord(int TimeIndex, int AccountIndex, string AccountId, double Health, bool Churned, GradeThresholds Thresholds, Grade Grade, bool Fitted)
{
    /// <summary>The band of <see cref="Grade"/>.</summary>
    public Band Band => Indicators.BandOf(Grade);

    /// <summary>The value of the CSM override active on the account at the evaluation time, null when none.</summary>
    public double? OverrideValue { get; init; }

    /// <summary>The effective health: the override's value while one is active, else the model's H.</summary>
    public double EffectiveHealth => OverrideValue ?? Health;

    /// <summary>The grade of <see cref="EffectiveHealth"/> under the account's model's thresholds.</summary>
    public Grade EffectiveGrade => OverrideValue is { } value ? Thresholds.GradeOf(value) : Grade;
}
