namespace HealthDashboard.Scoring;

/// <summary>Pairs and churned pairs of one group (all pairs, a band, a grade, a health bucket).</summary>
/// <param name="Pairs">Number of pairs.</param>
/// <param name="Churned">Number of them with y = 1.</param>
public readonly record struct ChurnCount(int Pairs, int Churned)
{
    /// <summary>Churned / pairs; null without pairs.</summary>
    public double? Rate => Pairs > 0 ? (double)Churned / Pairs : null;
}

/// <summary>One point of the ROC curve: flagging every pair with H at or below a cut-off.</summary>
/// <param name="Threshold">The cut-off health.</param>
/// <param name="FalsePositiveRate">Share of retained pairs flagged.</param>
/// <param name="TruePositiveRate">Share of churned pairs flagged.</param>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);

/// <summary>
/// The figures of SCORING.md "Backtest" over a set of pairs: AUC, churn rate overall, per band and per grade,
/// red precision, recall and lift; and, for the page, churn per 10 points of health and the ROC curve.
/// A figure that is undefined (no pairs, no churned or no retained pair, no red pair) is null.
/// </summary>
public sealed record BacktestFigures
{
    /// <summary>Number of pairs.</summary>
    public int Pairs { get; init; }

    /// <summary>Number of churned pairs.</summary>
    public int Churned { get; init; }

    /// <summary>AUC (Mann-Whitney); null when every pair churned or none did.</summary>
    public double? Auc { get; init; }

    /// <summary>Churned pairs / pairs; null without pairs.</summary>
    public double? ChurnRate => Pairs > 0 ? (double)Churned / Pairs : null;

    /// <summary>Pairs and churns per band (green, yellow, red).</summary>
    public IReadOnlyDictionary<Band, ChurnCount> ByBand { get; init; } = new Dictionary<Band, ChurnCount>();

    /// <summary>Pairs and churns per grade (A to D).</summary>
    public IReadOnlyDictionary<Grade, ChurnCount> ByGrade { get; init; } = new Dictionary<Grade, ChurnCount>();

    /// <summary>Pairs and churns per 10 points of health: [1, 10), [10, 20), ..., [90, 100] (index 0 to 9).</summary>
    public IReadOnlyList<ChurnCount> ByHealthDecile { get; init; } = [];

    /// <summary>The ROC curve from (0, 0) to (1, 1), one point per distinct H; empty when the AUC is undefined.</summary>
    public IReadOnlyList<RocPoint> Roc { get; init; } = [];

    /// <summary>Churned share of the red pairs; null without red pairs.</summary>
    public double? RedPrecision => ByBand.TryGetValue(Band.Red, out var red) ? red.Rate : null;

    /// <summary>Red share of the churned pairs; null without churned pairs.</summary>
    public double? RedRecall => Churned > 0 ? (double)(ByBand.TryGetValue(Band.Red, out var red) ? red.Churned : 0) / Churned : null;

    /// <summary>Red precision / churn rate; null when either is undefined or the churn rate is 0.</summary>
    public double? RedLift => RedPrecision is { } precision && ChurnRate is { } rate && rate > 0 ? precision / rate : null;

    /// <summary>Computes the figures of the pairs (<paramref name="health"/>[i], <paramref name="churned"/>[i]) graded <paramref name="grades"/>[i].</summary>
    public static BacktestFigures Compute(ReadOnlySpan<double> health, ReadOnlySpan<bool> churned, ReadOnlySpan<Grade> grades)
    {
        if (health.Length != churned.Length || health.Length != grades.Length)
        {
            throw new ArgumentException("Health, labels and grades must have one entry per pair.");
        }

        var byGrade = new int[4, 2];
        var deciles = new int[10, 2];
        var churnedCount = 0;
        for (var i = 0; i < health.Length; i++)
        {
            var y = churned[i] ? 1 : 0;
            churnedCount += y;
            byGrade[(int)grades[i], 0]++;
            byGrade[(int)grades[i], 1] += y;
            var decile = Math.Clamp((int)Math.Floor(health[i] / 10), 0, 9);
            deciles[decile, 0]++;
            deciles[decile, 1] += y;
        }

        var grade = new Dictionary<Grade, ChurnCount>();
        var band = new Dictionary<Band, ChurnCount>();
        foreach (var g in Enum.GetValues<Grade>())
        {
            var count = new ChurnCount(byGrade[(int)g, 0], byGrade[(int)g, 1]);
            if (count.Pairs == 0)
            {
                continue;
            }

            grade[g] = count;
            var b = Indicators.BandOf(g);
            band[b] = band.TryGetValue(b, out var sum) ? new ChurnCount(sum.Pairs + count.Pairs, sum.Churned + count.Churned) : count;
        }

        return new BacktestFigures
        {
            Pairs = health.Length,
            Churned = churnedCount,
            Auc = RocAuc.Auc(health, churned),
            ByGrade = grade,
            ByBand = band,
            ByHealthDecile = Enumerable.Range(0, 10).Select(d => new ChurnCount(deciles[d, 0], deciles[d, 1])).ToArray(),
            Roc = RocAuc.Curve(health, churned),
        };
    }
}
