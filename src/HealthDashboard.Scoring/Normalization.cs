namespace HealthDashboard.Scoring;

/// <summary>
/// The normalization curve of SCORING.md: the 90th percentile of a population's raw values
/// (PERCENTILE.INC, R type 7) is pegged at 100 and smaller values rise along a saturating
/// exponential with curvature k.
/// </summary>
public readonly record struct Normalization(double Benchmark, double Curvature, bool AllScoreOne)
{
    /// <summary>Builds the curve for a population of raw values.</summary>
    /// <param name="rawValues">The raw values; reordered in place (the caller passes a scratch copy).</param>
    /// <param name="curvature">Curvature k.</param>
    public static Normalization Fit(Span<double> rawValues, double curvature)
    {
        if (rawValues.IsEmpty)
        {
            return new(0, curvature, AllScoreOne: true);
        }

        var max = double.NegativeInfinity;
        foreach (var value in rawValues)
        {
            max = Math.Max(max, value);
        }

        if (max <= 0)
        {
            return new(0, curvature, AllScoreOne: true);
        }

        var p = Percentile90(rawValues);
        return new(p <= 0 ? max : p, curvature, AllScoreOne: false);
    }

    /// <summary>
    /// norm(r): 100 at or above the benchmark P, else 1 + 99 (1 - e^(-k r / P)) / (1 - e^(-k)); 1 at or below 0.
    /// </summary>
    /// <remarks>
    /// Only a curve-scored custom indicator's metric can be negative (engagement points and tickets cannot). SCORING.md
    /// scores every value of a population with no value above 0 as 1, and the curve is 1 at r = 0 and rises from there;
    /// the formula itself would go below 1 for r &lt; 0, below 0 from r = -P/k ln(1 + (1 - e^(-k))/99) on, and overflow to
    /// -infinity for r far below -P (e^(-k r / P) beyond double's range), which a weight of 0 then turns into a NaN
    /// health (0 x -infinity). So a value at or below 0 scores 1 whatever the rest of the population, as it does when
    /// every value is.
    /// </remarks>
    public double Apply(double raw)
    {
        if (AllScoreOne || raw <= 0)
        {
            return 1;
        }

        if (raw >= Benchmark)
        {
            return 100;
        }

        if (Curvature == 0)
        {
            return 1 + (99 * raw / Benchmark);
        }

        return 1 + (99 * (1 - Math.Exp(-Curvature * raw / Benchmark)) / saturation);
    }

    /// <summary>Curvature k (a <c>with</c> that changes it recomputes the cached denominator).</summary>
    public double Curvature
    {
        get;
        init
        {
            field = value;
            saturation = 1 - Math.Exp(-value);
        }
    } = Curvature;

    /// <summary>
    /// 1 - e^(-k), the curve's denominator, computed once instead of on every <see cref="Apply"/> (the same double, so
    /// the same scores): a re-score applies curves to every account, user and curve-scored custom indicator.
    /// </summary>
    private readonly double saturation = 1 - Math.Exp(-Curvature);

    /// <summary>
    /// The 90th percentile by linear interpolation between closest ranks: h = (n-1) 0.9,
    /// P = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). Selection, not a full sort:
    /// O(n), and reorders <paramref name="values"/>.
    /// </summary>
    public static double Percentile90(Span<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("No values.", nameof(values));
        }

        // h = (n - 1) x 0.9 split exactly into floor h and h - floor h: 0.9 has no exact binary form, so
        // (n - 1) * 0.9 - floor would carry a rounding error into P (the contract's 208.2 became 208.20000000000005).
        var tenthsOfH = (values.Length - 1) * 9L;
        var lo = (int)(tenthsOfH / 10);
        var fraction = (tenthsOfH % 10) / 10.0;
        var xLo = Select(values, lo);
        if (lo + 1 >= values.Length)
        {
            return xLo;
        }

        // After selection every element right of lo is >= x[lo]; the next order statistic is their minimum.
        var xHi = double.PositiveInfinity;
        foreach (var value in values[(lo + 1)..])
        {
            xHi = Math.Min(xHi, value);
        }

        return xLo + (fraction * (xHi - xLo));
    }

    /// <summary>Quickselect: puts the k-th smallest value at index k, smaller ones left of it, larger or equal right.</summary>
    private static double Select(Span<double> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            // Median of three pivot keeps sorted and constant inputs linear.
            var mid = left + ((right - left) / 2);
            if (a[mid] < a[left])
            {
                (a[mid], a[left]) = (a[left], a[mid]);
            }

            if (a[right] < a[left])
            {
                (a[right], a[left]) = (a[left], a[right]);
            }

            if (a[right] < a[mid])
            {
                (a[right], a[mid]) = (a[mid], a[right]);
            }

            var pivot = a[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }
}
