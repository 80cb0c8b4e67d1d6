namespace HealthDashboard.Scoring;

/// <summary>The suggested indicator weights and how they do (SCORING.md "Suggested weights").</summary>
/// <param name="Weights">Non-negative whole numbers summing to 100.</param>
/// <param name="TrainingTimes">The evaluation times fitted on (the first floor(2n/3)).</param>
/// <param name="HoldoutTimes">The later evaluation times, never read by the fit.</param>
/// <param name="TrainAuc">The suggestion's AUC on the training pairs.</param>
/// <param name="HoldoutAuc">The suggestion's AUC on the hold-out pairs (null when undefined there).</param>
/// <param name="CurrentHoldoutAuc">The current model's AUC on the hold-out pairs (null when undefined there).</param>
/// <param name="CurrentTrainAuc">The current model's AUC on the training pairs.</param>
public sealed record WeightSuggestion(
    IndicatorWeights Weights, IReadOnlyList<DateTime> TrainingTimes, IReadOnlyList<DateTime> HoldoutTimes,
    double? TrainAuc, double? HoldoutAuc, double? CurrentHoldoutAuc, double? CurrentTrainAuc)
{
    /// <summary>The suggested weight of each custom indicator fitted with the built-in ones, by key (the 100 is shared).</summary>
    public IReadOnlyDictionary<string, int> CustomWeights { get; init; } = new Dictionary<string, int>();

    /// <summary><paramref name="model"/> with the suggested weights: the built-in ones and those of its custom indicators.</summary>
    public ScoringModel Apply(ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model with
        {
            IndicatorWeights = Weights,
            CustomIndicators = model.CustomIndicators.Select(c => CustomWeights.TryGetValue(c.Key, out var w) ? c with { Weight = w } : c).ToList(),
        };
    }
}

/// <summary>
/// Fits indicator weights to a backtest: non-negative whole numbers summing to 100 that maximize the AUC
/// over the training times' pairs, keeping every other part of the model.
/// </summary>
/// <remarks>
/// <para>Method: a deterministic integer coordinate search written here rather than MathNet.Numerics or
/// ML.NET. The objective, the AUC of the composite, is a rank statistic: a step function of the weights
/// with no useful gradient, and the composite re-weights over the indicators each account has, so a
/// logistic regression on the indicators would fit a different model than the one scored. The feasible
/// set (whole numbers summing to 100 over eight indicators) is small and discrete, and moving points
/// between two indicators is exactly its neighbourhood, so a hill climb over such moves, from the current
/// weights and from equal weights, with moves of 20, 10, 5, 2 and 1 points, is both simpler and faster
/// than a general optimiser plus rounding. Each try re-combines the stored indicator values (no scoring)
/// and sorts once: O(pairs log pairs).</para>
/// <para>Hold-out pairs are never handed to the search: it sees only the training pairs' values and labels
/// (a test changes only hold-out labels and gets the same weights).</para>
/// <para>Pairs scored with another model (a segment or onboarding model the fit does not change) keep their
/// health.</para>
/// </remarks>
public static class WeightFit
{
    private static readonly int[] Steps = [20, 10, 5, 2, 1];

    /// <summary>
    /// Splits <paramref name="sample"/>'s evaluation times (in time order) into training and hold-out, fits
    /// weights on the training pairs and reports the AUCs. Needs at least two evaluation times.
    /// </summary>
    /// <param name="sample">The pairs, with the values of <see cref="BacktestSample.CustomKeys"/> after the built-in ones.</param>
    /// <param name="current">The current built-in weights.</param>
    /// <param name="currentCustom">The current weights of the sample's custom indicators, in its key order (none: 0 each).</param>
    public static WeightSuggestion Suggest(BacktestSample sample, IndicatorWeights current, IReadOnlyList<double>? currentCustom = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(current);
        var currentAll = Combine(current, currentCustom, sample.CustomKeys.Count);
        var ordered = sample.Times.Select((t, i) => (t, i)).OrderBy(x => x.t).ToArray();
        var trainingCount = BacktestCalendar.TrainingCount(ordered.Length);
        if (trainingCount == 0)
        {
            throw new ArgumentException("Suggesting weights needs at least two evaluation times (the first two thirds train, the rest are held out).", nameof(sample));
        }

        var isTraining = new bool[sample.Times.Count];
        foreach (var (_, index) in ordered.Take(trainingCount))
        {
            isTraining[index] = true;
        }

        var training = PairSet.Of(sample, p => isTraining[p.TimeIndex]);
        var holdout = PairSet.Of(sample, p => !isTraining[p.TimeIndex]);
        var fitted = FitAll(training, currentAll);
        var asDouble = fitted.Select(w => (double)w).ToArray();
        return new WeightSuggestion(
            ToIndicatorWeights(fitted),
            ordered.Take(trainingCount).Select(x => x.t).ToArray(),
            ordered.Skip(trainingCount).Select(x => x.t).ToArray(),
            training.Auc(asDouble),
            holdout.Auc(asDouble),
            holdout.Auc(currentAll),
            training.Auc(currentAll))
        {
            CustomWeights = sample.CustomKeys.Select((key, k) => (key, weight: fitted[Indicators.Count + k])).ToDictionary(p => p.key, p => p.weight, StringComparer.Ordinal),
        };
    }

    /// <summary>The built-in weights then the custom ones (missing: 0), one vector as the pairs keep their values.</summary>
    private static double[] Combine(IndicatorWeights current, IReadOnlyList<double>? custom, int customCount)
    {
        if (custom is not null && custom.Count != customCount)
        {
            throw new ArgumentException($"Expected {customCount} custom weights (one per custom key of the sample), got {custom.Count}.", nameof(custom));
        }

        return [.. Indicators.All.Select(i => current[i]), .. custom ?? new double[customCount]];
    }

    /// <summary>The whole-number weights summing to 100 with the highest AUC on <paramref name="training"/> the search finds.</summary>
    public static IndicatorWeights Fit(PairSet training, IndicatorWeights current)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(current);
        return ToIndicatorWeights(FitAll(training, Combine(current, null, training.Width - Indicators.Count)));
    }

    /// <summary>The whole-number weights (built-in, then custom) summing to 100 with the highest training AUC the search finds.</summary>
    private static int[] FitAll(PairSet training, double[] current)
    {
        var starts = new[] { ToWholeHundred(current), ToWholeHundred(Enumerable.Repeat(1.0, current.Length).ToArray()) };
        int[]? best = null;
        var bestAuc = double.NegativeInfinity;
        foreach (var start in starts)
        {
            var (weights, auc) = Climb(training, start);
            if (auc > bestAuc)
            {
                (best, bestAuc) = (weights, auc);
            }
        }

        return best!;
    }

    /// <summary>Weights scaled to sum to 100 and rounded by largest remainder (ties to the earlier indicator).</summary>
    public static int[] ToWholeHundred(IndicatorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return ToWholeHundred(Indicators.All.Select(i => weights[i]).ToArray());
    }

    /// <summary>Any weight vector scaled to sum to 100 and rounded by largest remainder (ties to the earlier one).</summary>
    private static int[] ToWholeHundred(double[] weights)
    {
        var total = weights.Sum();
        var exact = weights.Select(w => total > 0 ? 100 * w / total : 100.0 / weights.Length).ToArray();
        var whole = exact.Select(x => (int)Math.Floor(x)).ToArray();
        var missing = 100 - whole.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - whole[i]).ThenBy(i => i).Take(missing))
        {
            whole[i]++;
        }

        return whole;
    }

    private static IndicatorWeights ToIndicatorWeights(int[] weights)
    {
        var result = new IndicatorWeights();
        foreach (var indicator in Indicators.All)
        {
            result = result.With(indicator, weights[(int)indicator]);
        }

        return result;
    }

    /// <summary>Hill climb: take any move of points from one indicator to another that raises the AUC, big moves first.</summary>
    private static (int[] Weights, double Auc) Climb(PairSet training, int[] start)
    {
        var weights = (int[])start.Clone();
        var best = training.Auc(weights) ?? double.NegativeInfinity;
        var moves = (from i in Enumerable.Range(0, start.Length) from j in Enumerable.Range(0, start.Length) where i != j select (From: i, To: j)).ToArray();
        foreach (var step in Steps)
        {
            var improved = true;
            while (improved)
            {
                improved = false;
                var tries = moves.Where(m => weights[m.From] >= step).ToArray();
                var results = new double[tries.Length];
                Parallel.For(0, tries.Length, () => new PairSet.Buffers(training.Count), (k, _, buffers) =>
                {
                    var candidate = (int[])weights.Clone();
                    candidate[tries[k].From] -= step;
                    candidate[tries[k].To] += step;
                    results[k] = training.Auc(candidate, buffers) ?? double.NegativeInfinity;
                    return buffers;
                }, _ => { });
                var bestTry = -1;
                for (var k = 0; k < tries.Length; k++)
                {
                    // Strictly better by more than rounding noise; the first such move wins, so the result is deterministic.
                    if (results[k] > best + 1e-12 && (bestTry < 0 || results[k] > results[bestTry]))
                    {
                        bestTry = k;
                    }
                }

                if (bestTry >= 0)
                {
                    weights[tries[bestTry].From] -= step;
                    weights[tries[bestTry].To] += step;
                    best = results[bestTry];
                    improved = true;
                }
            }
        }

        return (weights, best);
    }
}

/// <summary>
/// A set of pairs ready for trying weights: indicator values, labels, and the health of pairs the fit does
/// not change. Built from a sample by choosing pairs, so a fit can be handed only the pairs it may read.
/// </summary>
public sealed class PairSet
{
    private readonly double[] values;
    private readonly bool[] churned;
    private readonly bool[] fitted;
    private readonly double[] fixedHealth;

    private PairSet(int width, double[] values, bool[] churned, bool[] fitted, double[] fixedHealth)
    {
        Width = width;
        this.values = values;
        this.churned = churned;
        this.fitted = fitted;
        this.fixedHealth = fixedHealth;
    }

    /// <summary>Number of pairs.</summary>
    public int Count => churned.Length;

    /// <summary>Values per pair: the built-in indicators, then the sample's custom ones.</summary>
    public int Width { get; }

    /// <summary>The pairs of <paramref name="sample"/> that <paramref name="include"/> chooses.</summary>
    public static PairSet Of(BacktestSample sample, Func<PairRecord, bool> include)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(include);
        var chosen = Enumerable.Range(0, sample.Count).Where(p => include(sample[p])).ToArray();
        var width = sample.Width;
        var values = new double[chosen.Length * width];
        for (var k = 0; k < chosen.Length; k++)
        {
            sample.ValuesOf(chosen[k]).CopyTo(values.AsSpan(k * width));
        }

        return new PairSet(width, values, chosen.Select(p => sample[p].Churned).ToArray(), chosen.Select(p => sample[p].Fitted).ToArray(),
            chosen.Select(p => sample[p].Health).ToArray());
    }

    /// <summary>The AUC of these pairs with <paramref name="weights"/> (custom indicators, if any, weighted 0); null when undefined.</summary>
    public double? Auc(IndicatorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Auc(BuiltInOnly(weights), new Buffers(Count));
    }

    /// <summary>The AUC with one weight per value (built-in, then custom); null when undefined.</summary>
    public double? Auc(double[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Auc(weights, new Buffers(Count));
    }

    private double[] BuiltInOnly(IndicatorWeights weights) => [.. Indicators.All.Select(i => weights[i]), .. new double[Width - Indicators.Count]];

    internal double? Auc(int[] weights) => Auc(weights.Select(w => (double)w).ToArray(), new Buffers(Count));

    internal double? Auc(int[] weights, Buffers buffers) => Auc(weights.Select(w => (double)w).ToArray(), buffers);

    /// <summary>The composite of SCORING.md for each pair under <paramref name="weights"/>, then the AUC.</summary>
    private double? Auc(double[] weights, Buffers buffers)
    {
        var n = Width;
        for (var p = 0; p < churned.Length; p++)
        {
            if (!fitted[p])
            {
                buffers.Keys[p] = fixedHealth[p];
            }
            else
            {
                double weighted = 0, total = 0;
                for (var i = 0; i < n; i++)
                {
                    var x = values[(p * n) + i];
                    if (!double.IsNaN(x))
                    {
                        weighted += weights[i] * x;
                        total += weights[i];
                    }
                }

                buffers.Keys[p] = total > 0 ? Math.Clamp(weighted / total, 1, 100) : 1;
            }

            buffers.Labels[p] = churned[p];
        }

        return RocAuc.AucInPlace(buffers.Keys, buffers.Labels);
    }

    /// <summary>Scratch arrays for one thread's tries.</summary>
    internal sealed class Buffers(int count)
    {
        public double[] Keys { get; } = new double[count];
        public bool[] Labels { get; } = new bool[count];
    }
}
