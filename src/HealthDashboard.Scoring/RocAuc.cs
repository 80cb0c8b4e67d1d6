namespace HealthDashboard.Scoring;

/// <summary>
/// AUC and the ROC curve of health as a churn predictor, where a LOW health predicts churn: AUC is the
/// probability that a churned pair's H is lower than a retained pair's H, ties counting one half
/// (the Mann-Whitney U statistic divided by churned x retained pairs).
/// </summary>
public static class RocAuc
{
    /// <summary>The AUC of the pairs; null when no pair churned or every pair did.</summary>
    public static double? Auc(ReadOnlySpan<double> health, ReadOnlySpan<bool> churned)
    {
        var keys = health.ToArray();
        var labels = churned.ToArray();
        return AucInPlace(keys, labels);
    }

    /// <summary>
    /// The AUC of the pairs (keys[i], labels[i]); sorts both arrays in place (the fit reuses its buffers).
    /// O(n log n): one sort, then one pass over groups of equal H.
    /// </summary>
    public static double? AucInPlace(double[] keys, bool[] labels)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(labels);
        Array.Sort(keys, labels);
        long churned = 0;
        foreach (var y in labels)
        {
            churned += y ? 1 : 0;
        }

        long retained = labels.Length - churned;
        if (churned == 0 || retained == 0)
        {
            return null;
        }

        // Walking up in H: a churned pair beats every retained pair above its group and half of those in it.
        double wins = 0;
        long retainedBelow = 0;
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            long groupChurned = 0, groupRetained = 0;
            while (j < keys.Length && keys[j] == keys[i])
            {
                if (labels[j])
                {
                    groupChurned++;
                }
                else
                {
                    groupRetained++;
                }

                j++;
            }

            wins += groupChurned * ((retained - retainedBelow - groupRetained) + (0.5 * groupRetained));
            retainedBelow += groupRetained;
            i = j;
        }

        return wins / ((double)churned * retained);
    }

    /// <summary>
    /// The ROC curve of flagging pairs with H at or below a cut-off, one point per distinct H from the
    /// lowest up, after (0, 0); its area (trapezoids) is <see cref="Auc"/>. Empty when the AUC is undefined.
    /// </summary>
    public static IReadOnlyList<RocPoint> Curve(ReadOnlySpan<double> health, ReadOnlySpan<bool> churned)
    {
        var keys = health.ToArray();
        var labels = churned.ToArray();
        Array.Sort(keys, labels);
        var positives = labels.Count(y => y);
        var negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return [];
        }

        var points = new List<RocPoint> { new(keys[0], 0, 0) };
        int truePositives = 0, falsePositives = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (labels[i])
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }

            if (i + 1 == keys.Length || keys[i + 1] != keys[i])
            {
                points.Add(new RocPoint(keys[i], (double)falsePositives / negatives, (double)truePositives / positives));
            }
        }

        return points;
    }
}
