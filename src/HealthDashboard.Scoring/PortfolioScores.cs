namespace HealthDashboard.Scoring;

/// <summary>
/// The accounts one model of a <see cref="ScoringModelSet"/> scores at T, and what it normalized them with.
/// </summary>
/// <param name="Key">Which model.</param>
/// <param name="Model">The model.</param>
/// <param name="Aggregates">Aggregates over this model's window W (same local indices as every other group's).</param>
/// <param name="EventWeights">Event weight per event type index, as the model resolved it.</param>
/// <param name="Accounts">Local account indices this model scores, ascending.</param>
/// <param name="Users">Local user indices of those accounts, ascending.</param>
public sealed record ModelGroup(ModelKey Key, ScoringModel Model, WindowAggregates Aggregates, double[] EventWeights, int[] Accounts, int[] Users)
{
    /// <summary>For each of the model's custom indicators (in its order), its column in <see cref="PortfolioScores.CustomKeys"/>.</summary>
    public int[] CustomColumns { get; internal set; } = [];

    /// <summary>For each of the model's custom indicators, the curve fitted over this group's accounts with a value (curve scoring only).</summary>
    public Normalization?[] CustomCurves { get; internal set; } = [];

    /// <summary>The Engagement curve fitted over this group's accounts.</summary>
    public Normalization EngagementCurve { get; internal set; }

    /// <summary>The Support curve fitted over this group's accounts.</summary>
    public Normalization SupportCurve { get; internal set; }

    /// <summary>The user engagement curve fitted over this group's users.</summary>
    public Normalization UserEngagementCurve { get; internal set; }
}

/// <summary>
/// Scores of every scored account and user, indexed like the aggregates' local indices (the population at T
/// does not depend on W, so every group's aggregates share them). Each account is scored by the model of its
/// <see cref="ModelGroup"/>; indicator arrays hold NaN for a missing indicator.
/// </summary>
public sealed class PortfolioScores
{
    internal PortfolioScores(ScoringModelSet models, IReadOnlyList<ModelGroup> groups, int[] groupOf)
    {
        ModelSet = models;
        Groups = groups;
        GroupIndex = groupOf;
        Aggregates = groups[0].Aggregates;
        var accounts = Aggregates.Accounts.Length;
        Health = new double[accounts];
        Grades = new Grade[accounts];
        WeightTotals = new double[accounts];
        Values = new double[accounts * Indicators.Count];
        Raw = new double[accounts * Indicators.Count];
        UserEngagementRaw = new double[Aggregates.Users.Length];
        UserEngagement = new double[Aggregates.Users.Length];
        var customKeys = models.All.SelectMany(m => m.Model.CustomIndicators.Select(c => c.Key)).Distinct(StringComparer.Ordinal).ToList();
        CustomKeys = customKeys;
        var customCount = customKeys.Count;
        CustomValues = new double[accounts * customCount];
        CustomRaw = new double[accounts * customCount];
        CustomTicks = new long[accounts * customCount];
        Array.Fill(CustomValues, double.NaN);
        Array.Fill(CustomRaw, double.NaN);
        foreach (var group in groups)
        {
            group.CustomColumns = group.Model.CustomIndicators.Select(c => customKeys.IndexOf(c.Key)).ToArray();
            group.CustomCurves = new Normalization?[group.CustomColumns.Length];
        }

        ActiveOverrides = new OverrideInfo?[accounts];
        var asOf = Aggregates.AsOf;
        foreach (var o in Aggregates.Data.Overrides)
        {
            var a = Aggregates.LocalAccountOf[o.AccountIndex];
            if (a >= 0 && o.IsActiveAt(asOf) && (ActiveOverrides[a] is not { } current || o.Sequence > current.Sequence))
            {
                ActiveOverrides[a] = o;
            }
        }
    }

    /// <summary>
    /// The custom indicator keys of every model of the set (the <c>scores</c> columns after the built-in ones): the
    /// default model's in its order, then each segment model's new keys by segment name, then the onboarding model's.
    /// </summary>
    public IReadOnlyList<string> CustomKeys { get; }

    /// <summary>Custom indicator scores (0-100) at [a * CustomKeys.Count + column], NaN when missing or not in the account's model.</summary>
    public double[] CustomValues { get; }

    /// <summary>The metric value read per account and custom column, NaN when none.</summary>
    public double[] CustomRaw { get; }

    /// <summary>The time (ticks) of the metric row read per account and custom column, 0 when none.</summary>
    public long[] CustomTicks { get; }

    /// <summary>The definition of custom column <paramref name="column"/> in a local account's model, null when its model lacks it.</summary>
    public CustomIndicator? CustomIndicatorOf(int account, int column)
    {
        var group = GroupOf(account);
        var at = Array.IndexOf(group.CustomColumns, column);
        return at < 0 ? null : group.Model.CustomIndicators[at];
    }

    /// <summary>The column of a custom indicator key in <see cref="CustomKeys"/>, -1 when no model of the set has it.</summary>
    public int CustomColumnOf(string key)
    {
        for (var c = 0; c < CustomKeys.Count; c++)
        {
            if (string.Equals(CustomKeys[c], key, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>The metric value and row time a custom indicator read for a local account, null when none.</summary>
    public MetricReading? CustomReading(int account, int column)
    {
        var cell = (account * CustomKeys.Count) + column;
        return double.IsNaN(CustomRaw[cell]) ? null : new MetricReading(CustomRaw[cell], new DateTime(CustomTicks[cell], DateTimeKind.Utc));
    }

    /// <summary>A custom indicator's score for a local account, null when missing.</summary>
    public double? CustomValue(int account, int column) => NullIfNaN(CustomValues[(account * CustomKeys.Count) + column]);

    /// <summary>Contribution of a custom indicator to H: w x / (sum of w over the indicators with a value); 0 when missing.</summary>
    public double CustomContribution(int account, int column)
    {
        var x = CustomValues[(account * CustomKeys.Count) + column];
        var total = WeightTotals[account];
        return double.IsNaN(x) || total <= 0 || CustomIndicatorOf(account, column) is not { } indicator ? 0 : indicator.Weight * x / total;
    }

    /// <summary>
    /// The override active at T per local account, null when none (SCORING.md "Overrides"). When two are active
    /// at once, the one set later (higher <see cref="OverrideInfo.Sequence"/>) counts.
    /// </summary>
    public OverrideInfo?[] ActiveOverrides { get; }

    /// <summary>True when an override is active on a local account at T.</summary>
    public bool IsOverridden(int account) => ActiveOverrides[account] is not null;

    /// <summary>The effective health: the active override's value, else the model's H.</summary>
    public double EffectiveHealth(int account) => ActiveOverrides[account]?.Value ?? Health[account];

    /// <summary>The effective grade: from the override's value with the account's model's thresholds, else the model's grade.</summary>
    public Grade EffectiveGrade(int account) =>
        ActiveOverrides[account] is { } o ? ModelOf(account).Thresholds.GradeOf(o.Value) : Grades[account];

    /// <summary>The effective band (of <see cref="EffectiveGrade"/>).</summary>
    public Band EffectiveBand(int account) => Indicators.BandOf(EffectiveGrade(account));

    /// <summary>The models the scores were made with.</summary>
    public ScoringModelSet ModelSet { get; }

    /// <summary>
    /// The model groups: index 0 is always the default model (even with no account); then each other model
    /// that scores at least one account, in <see cref="ScoringModelSet.All"/> order.
    /// </summary>
    public IReadOnlyList<ModelGroup> Groups { get; }

    /// <summary>Index into <see cref="Groups"/> per local account.</summary>
    public int[] GroupIndex { get; }

    /// <summary>The default model's aggregates (window W of the default model).</summary>
    public WindowAggregates Aggregates { get; }

    /// <summary>The default model. An account's own model is <see cref="ModelOf"/>.</summary>
    public ScoringModel Model => Groups[0].Model;

    /// <summary>The default model's event weight per event type index. An account's own are <see cref="EventWeightsOf"/>.</summary>
    public double[] EventWeights => Groups[0].EventWeights;

    /// <summary>The group that scored a local account.</summary>
    public ModelGroup GroupOf(int account) => Groups[GroupIndex[account]];

    /// <summary>The model that scored a local account.</summary>
    public ScoringModel ModelOf(int account) => Groups[GroupIndex[account]].Model;

    /// <summary>Which model scored a local account.</summary>
    public ModelKey ModelKeyOf(int account) => Groups[GroupIndex[account]].Key;

    /// <summary>The aggregates (over its model's window) of a local account.</summary>
    public WindowAggregates AggregatesOf(int account) => Groups[GroupIndex[account]].Aggregates;

    /// <summary>Event weights of a local account's model.</summary>
    public double[] EventWeightsOf(int account) => Groups[GroupIndex[account]].EventWeights;

    /// <summary>Unrounded composite H per local account, clamped to [1, 100].</summary>
    public double[] Health { get; }

    /// <summary>Grade per local account (from the unrounded H, with its model's thresholds).</summary>
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

    /// <summary>User engagement raw value per local user (with the event weights of the user's account's model).</summary>
    public double[] UserEngagementRaw { get; }

    /// <summary>User engagement score (1-100) per local user, normalized over the users of accounts sharing its model.</summary>
    public double[] UserEngagement { get; }

    /// <summary>The default model's Engagement curve. An account's own is its <see cref="GroupOf"/>'s.</summary>
    public Normalization EngagementCurve => Groups[0].EngagementCurve;

    /// <summary>The default model's Support curve.</summary>
    public Normalization SupportCurve => Groups[0].SupportCurve;

    /// <summary>The default model's user engagement curve.</summary>
    public Normalization UserEngagementCurve => Groups[0].UserEngagementCurve;

    /// <summary>Number of scored accounts.</summary>
    public int AccountCount => Health.Length;

    /// <summary>The band of a local account.</summary>
    public Band BandOf(int account) => Indicators.BandOf(Grades[account]);

    /// <summary>One indicator's score, null when missing.</summary>
    public double? Value(int account, Indicator indicator) => NullIfNaN(Values[(account * Indicators.Count) + (int)indicator]);

    /// <summary>One indicator's raw value, null when missing.</summary>
    public double? RawValue(int account, Indicator indicator) => NullIfNaN(Raw[(account * Indicators.Count) + (int)indicator]);

    /// <summary>
    /// Contribution of an indicator to H: w_i x_i / (sum of w over indicators with a value), with the
    /// account's model's weights; 0 for a missing indicator. The contributions add up to H before clamping.
    /// </summary>
    public double Contribution(int account, Indicator indicator)
    {
        var x = Values[(account * Indicators.Count) + (int)indicator];
        var total = WeightTotals[account];
        return double.IsNaN(x) || total <= 0 ? 0 : ModelOf(account).IndicatorWeights[indicator] * x / total;
    }

    private static double? NullIfNaN(double x) => double.IsNaN(x) ? null : x;
}
