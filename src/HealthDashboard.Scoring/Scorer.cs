namespace HealthDashboard.Scoring;

/// <summary>
/// Scores every account and user of a <see cref="WindowAggregates"/> under a model: the indicators,
/// the composite, grades and user engagement of SCORING.md. Pure and allocation-light, so the
/// model editor can re-score the whole portfolio on every slider move.
/// </summary>
/// <remarks>
/// When every indicator that has a value carries weight 0 (possible only in a model that weights
/// just indicators this account lacks), H is 0/0; such an account scores the floor 1 (grade D):
/// nothing the model looks at shows it is healthy.
/// </remarks>
public static class Scorer
{
    /// <summary>Scores the aggregates under <paramref name="model"/>, whose window must be the aggregates' window.</summary>
    public static PortfolioScores Score(WindowAggregates aggregates, ScoringModel model)
    {
        if (model.WindowDays != aggregates.WindowDays)
        {
            throw new ArgumentException($"The model's window ({model.WindowDays} d) differs from the aggregates' ({aggregates.WindowDays} d): rebuild the aggregates.", nameof(model));
        }

        var eventWeights = new double[aggregates.EventTypeCount];
        var keyFeature = new bool[aggregates.EventTypeCount];
        for (var e = 0; e < eventWeights.Length; e++)
        {
            var settings = model.SettingsOf(aggregates.Data.EventTypeKeys[e]);
            eventWeights[e] = settings.Weight;
            keyFeature[e] = settings.KeyFeature;
        }

        var scores = new PortfolioScores(aggregates, model, eventWeights);
        ScoreUsers(aggregates, model, eventWeights, scores);
        ScoreAccounts(aggregates, model, eventWeights, keyFeature, scores);
        return scores;
    }

    private static void ScoreUsers(WindowAggregates agg, ScoringModel model, double[] weights, PortfolioScores scores)
    {
        var raw = scores.UserEngagementRaw;
        for (var u = 0; u < raw.Length; u++)
        {
            var sum = 0.0;
            for (var i = agg.UserEventOffsets[u]; i < agg.UserEventOffsets[u + 1]; i++)
            {
                sum += agg.UserEventCounts[i] * weights[agg.UserEventTypes[i]];
            }

            raw[u] = sum;
        }

        var curve = Normalization.Fit(raw.AsSpan().ToArray(), model.Curvature);
        scores.UserEngagementCurve = curve;
        for (var u = 0; u < raw.Length; u++)
        {
            scores.UserEngagement[u] = curve.Apply(raw[u]);
        }
    }

    private static void ScoreAccounts(WindowAggregates agg, ScoringModel model, double[] weights, bool[] keyFeature, PortfolioScores scores)
    {
        int accounts = agg.Accounts.Length, e = agg.EventTypeCount;
        const int indicatorCount = Indicators.Count;
        var raw = scores.Raw;
        var value = scores.Values;
        var keyFeatureCount = keyFeature.Count(k => k);
        double window = agg.WindowDays, workingDays = window * 5 / 7;

        for (var a = 0; a < accounts; a++)
        {
            var account = agg.Data.Accounts[agg.Accounts[a]];
            var engagement = 0.0;
            var keyUsed = 0;
            var hasUsage = false;
            for (var t = 0; t < e; t++)
            {
                var count = agg.AccountEventCounts[(a * e) + t];
                if (count == 0)
                {
                    continue;
                }

                hasUsage = true;
                engagement += count * weights[t];
                if (keyFeature[t])
                {
                    keyUsed++;
                }
            }

            raw[(a * indicatorCount) + (int)Indicator.Engagement] = engagement;

            var breadthBase = account.Seats > 0 ? account.Seats : agg.ScoredUserCounts[a];
            var breadth = breadthBase > 0 ? (double)agg.ActiveUsers[a] / breadthBase : double.NaN;
            raw[(a * indicatorCount) + (int)Indicator.Breadth] = breadth;
            value[(a * indicatorCount) + (int)Indicator.Breadth] = double.IsNaN(breadth) ? double.NaN : 100 * Math.Min(1, breadth);

            var depth = keyFeatureCount > 0 ? (double)keyUsed / keyFeatureCount : double.NaN;
            raw[(a * indicatorCount) + (int)Indicator.Depth] = depth;
            value[(a * indicatorCount) + (int)Indicator.Depth] = 100 * depth;

            var frequency = agg.ActiveUsers[a] > 0
                ? (double)agg.ActiveUserDays[a] / agg.ActiveUsers[a] / workingDays
                : hasUsage ? agg.AccountActiveDays[a] / workingDays : 0;
            raw[(a * indicatorCount) + (int)Indicator.Frequency] = frequency;
            value[(a * indicatorCount) + (int)Indicator.Frequency] = 100 * Math.Min(1, frequency);

            var last = agg.LastUsageTicks[a];
            var recencyDays = last > 0 ? (double)((agg.AsOf.Ticks - last) / TimeSpan.TicksPerDay) : double.NaN;
            raw[(a * indicatorCount) + (int)Indicator.Recency] = recencyDays;
            value[(a * indicatorCount) + (int)Indicator.Recency] = double.IsNaN(recencyDays) ? 0 : 100 * Math.Max(0, 1 - (recencyDays / window));

            raw[(a * indicatorCount) + (int)Indicator.Support] = agg.SupportRaw[a];

            var sentiment = agg.SentimentRaw[a];
            raw[(a * indicatorCount) + (int)Indicator.Sentiment] = sentiment;
            value[(a * indicatorCount) + (int)Indicator.Sentiment] = sentiment;

            var growth = agg.GrowthPct[a];
            raw[(a * indicatorCount) + (int)Indicator.Growth] = growth;
            value[(a * indicatorCount) + (int)Indicator.Growth] = double.IsNaN(growth) ? double.NaN : Math.Clamp(70 + (150 * growth), 0, 100);
        }

        // The two population-normalized indicators.
        var scratch = new double[accounts];
        foreach (var indicator in new[] { Indicator.Engagement, Indicator.Support })
        {
            for (var a = 0; a < accounts; a++)
            {
                scratch[a] = raw[(a * indicatorCount) + (int)indicator];
            }

            var curve = Normalization.Fit(scratch, model.Curvature);
            for (var a = 0; a < accounts; a++)
            {
                var normalized = curve.Apply(raw[(a * indicatorCount) + (int)indicator]);
                value[(a * indicatorCount) + (int)indicator] = indicator == Indicator.Support ? 101 - normalized : normalized;
            }

            if (indicator == Indicator.Engagement)
            {
                scores.EngagementCurve = curve;
            }
            else
            {
                scores.SupportCurve = curve;
            }
        }

        var indicatorWeights = Indicators.All.Select(i => model.IndicatorWeights[i]).ToArray();
        for (var a = 0; a < accounts; a++)
        {
            double weighted = 0, totalWeight = 0;
            for (var i = 0; i < indicatorCount; i++)
            {
                var x = value[(a * indicatorCount) + i];
                if (!double.IsNaN(x))
                {
                    weighted += indicatorWeights[i] * x;
                    totalWeight += indicatorWeights[i];
                }
            }

            var health = totalWeight > 0 ? Math.Clamp(weighted / totalWeight, 1, 100) : 1;
            scores.WeightTotals[a] = totalWeight;
            scores.Health[a] = health;
            scores.Grades[a] = model.Thresholds.GradeOf(health);
        }
    }
}
