namespace HealthDashboard.Scoring;

/// <summary>
/// Scores of every scored account and user under one model, indexed like the aggregates'
/// local indices. Indicator arrays hold NaN for a missing indicator.
/// </summary>
public sealed class PortfolioScores
{
    internal PortfolioScores(WindowAggregates aggregates, ScoringModel model, double[] eventWeights)
    {
        Aggregates = aggregates;
        Model = model;
        EventWeights = eventWeights;
        var accounts = aggregates.Accounts.Length;
        Health = new double[accounts];
        Grades = new Grade[accounts];
        WeightTotals = new double[accounts];
        Values = new double[accounts * Indicators.Count];
        Raw = new double[accounts * Indicators.Count];
        UserEngagementRaw = new double[aggregates.Users.Length];
        UserEngagement = new double[aggregates.Users.Length];
    }

    public WindowAggregates Aggregates { get; }
    public ScoringModel Model { get; }

    /// <summary>Event weight per event type index, as the model resolved it.</summary>
    public double[] EventWeights { get; }

    /// <summary>Unrounded composite H per local account, clamped to [1, 100].</summary>
    public double[] Health { get; }

    /// <summary>Grade per local account (from the unrounded H).</summary>
    public Grade[] Grades { get; }

    /// <summary>Sum of the weights of the indicators that have a value, per local account.</summary>
    public double[] WeightTotals { get; }

    /// <summary>Indicator scores (0-100) at [a * 8 + indicator], NaN when missing.</summary>
    public double[] Values { get; }

    /// <summary>
    /// Indicator raw values at [a * 8 + indicator], NaN when missing: Engagement points, Breadth and
    /// Depth ratios, Frequency ratio, Recency whole days since the last usage (NaN: never active),
    /// Support tickets per seat, Sentiment mean, Growth pct.
    /// </summary>
    public double[] Raw { get; }

    /// <summary>User engagement raw value per local user.</summary>
    public double[] UserEngagementRaw { get; }

    /// <summary>User engagement score (1-100) per local user.</summary>
    public double[] UserEngagement { get; }

    public Normalization EngagementCurve { get; internal set; }
    public Normalization SupportCurve { get; internal set; }
    public Normalization UserEngagementCurve { get; internal set; }

    /// <summary>Number of scored accounts.</summary>
    public int AccountCount => Health.Length;

    /// <summary>The band of a local account.</summary>
    public Band BandOf(int account) => Indicators.BandOf(Grades[account]);

    /// <summary>One indicator's score, null when missing.</summary>
    public double? Value(int account, Indicator indicator) => NullIfNaN(Values[(account * Indicators.Count) + (int)indicator]);

    /// <summary>One indicator's raw value, null when missing.</summary>
    public double? RawValue(int account, Indicator indicator) => NullIfNaN(Raw[(account * Indicators.Count) + (int)indicator]);

    /// <summary>
    /// Contribution of an indicator to H: w_i x_i / (sum of w over indicators with a value);
    /// 0 for a missing indicator. The contributions add up to H before clamping.
    /// </summary>
    public double Contribution(int account, Indicator indicator)
    {
        var x = Values[(account * Indicators.Count) + (int)indicator];
        var total = WeightTotals[account];
        return double.IsNaN(x) || total <= 0 ? 0 : Model.IndicatorWeights[indicator] * x / total;
    }

    private static double? NullIfNaN(double x) => double.IsNaN(x) ? null : x;
}
