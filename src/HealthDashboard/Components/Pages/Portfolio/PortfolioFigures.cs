using System.Runtime.CompilerServices;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Components.Pages.Portfolio;

/// <summary>How many accounts (and how much MRR) sit in one band.</summary>
/// <param name="Share">Count / all scored accounts (0 when there are none).</param>
/// <param name="Percent">Whole percentage; the three add up to exactly 100 (largest remainder).</param>
public sealed record BandShare(Band Band, int Count, double Share, int Percent, double Mrr);

/// <summary>One bar of the health histogram: accounts whose shown (rounded) health is in [From, To], split by band.</summary>
public sealed record HealthBucket(int From, int To, int Green, int Yellow, int Red)
{
    /// <summary>"40–49"; the last bucket is "90–100".</summary>
    public string Label => $"{From}\u2013{To}";

    /// <summary>All accounts in the bucket.</summary>
    public int Total => Green + Yellow + Red;

    /// <summary>The accounts of one band.</summary>
    public int CountOf(Band band) => band switch { Band.Green => Green, Band.Yellow => Yellow, _ => Red };
}

/// <summary>
/// The figures of the Portfolio page, computed once per published view: KPIs, band shares, the
/// health histogram and the two top lists. Plain and testable; holds only small lists and
/// references to the shared account rows, never a copy of the portfolio.
/// </summary>
public sealed class PortfolioFigures
{
    /// <summary>Rows in each top list.</summary>
    public const int TopCount = 8;

    /// <summary>Width of a histogram bucket in health points.</summary>
    public const int BucketWidth = 10;

    private static readonly ConditionalWeakTable<PortfolioView, PortfolioFigures> WholePortfolio = [];

    private PortfolioFigures(PortfolioView view, AccountOwner? onlyOf)
    {
        AsOf = view.AsOf;
        ModelVersion = view.ModelVersion;
        Thresholds = view.Model.Thresholds;
        History = view.History;
        OnlyMine = onlyOf is not null;
        var accounts = onlyOf is null ? view.Accounts : [.. view.Accounts.Where(a => onlyOf.Owns(a.Owner))];
        AccountCount = accounts.Count;
        TotalMrr = accounts.Sum(a => a.Mrr);
        AverageHealth = accounts.Count > 0 ? accounts.Average(a => a.Health) : null;
        if (onlyOf is null)
        {
            UserCount = view.Users.Count;
            if (view.MonthAgo is { Scores.AccountCount: > 0 } monthAgo && AverageHealth is { } now)
            {
                AverageHealthChange = now - monthAgo.Scores.Health.Average();
            }
        }
        else
        {
            var included = accounts.Select(a => a.Index).ToHashSet();
            UserCount = view.Users.Count(u => included.Contains(u.AccountIndex));
            // The member's accounts 30 days ago: H then is H now minus the trend, for those scored then.
            var then = accounts.Where(a => a.Trend is not null).Select(a => a.Health - a.Trend!.Value).ToList();
            if (then.Count > 0 && AverageHealth is { } now)
            {
                AverageHealthChange = now - then.Average();
            }
        }

        Bands = BandSharesOf(accounts);
        Histogram = HistogramOf(accounts);
        TopAtRisk = accounts
            .Where(a => a.Band != Band.Green)
            .OrderBy(a => a.RiskRank)
            .ThenByDescending(a => a.Mrr)
            .ThenBy(a => a.Health)
            .ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .Take(TopCount)
            .ToList();
        // A drop is what the page would show as one: a trend that rounds to -1 or lower.
        LargestDrops = accounts
            .Where(a => a.Trend is { } trend && Indicators.RoundAway(trend) < 0)
            .OrderBy(a => a.Trend)
            .ThenByDescending(a => a.Mrr)
            .ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .Take(TopCount)
            .ToList();
    }

    /// <summary>The figures of a view: every account, or only those <paramref name="onlyOf"/> owns ("My accounts").</summary>
    public static PortfolioFigures From(PortfolioView view, AccountOwner? onlyOf = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        // The whole portfolio's figures are the same for every circuit until the next view, so they are computed once
        // per view (10-30 ms at 10,000 accounts, and each page load asked twice: prerender and circuit).
        return onlyOf is null ? WholePortfolio.GetValue(view, static v => new PortfolioFigures(v, null)) : new PortfolioFigures(view, onlyOf);
    }

    /// <summary>True when the figures are of one member's accounts; the daily history stays the whole portfolio's.</summary>
    public bool OnlyMine { get; }

    /// <summary>The as-of time of the scores.</summary>
    public DateTime AsOf { get; }

    /// <summary>The scoring model version used.</summary>
    public int ModelVersion { get; }

    /// <summary>The model's grade thresholds (for chart guide lines).</summary>
    public GradeThresholds Thresholds { get; }

    /// <summary>Scored accounts.</summary>
    public int AccountCount { get; }

    /// <summary>Scored users.</summary>
    public int UserCount { get; }

    /// <summary>Sum of the scored accounts' MRR.</summary>
    public double TotalMrr { get; }

    /// <summary>Mean unrounded health of the scored accounts; null when there are none.</summary>
    public double? AverageHealth { get; }

    /// <summary>Average health now minus 30 days ago; null when nothing was scored then.</summary>
    public double? AverageHealthChange { get; }

    /// <summary>Accounts and MRR per band, in risk order (red, yellow, green).</summary>
    public IReadOnlyList<BandShare> Bands { get; }

    /// <summary>Ten buckets of shown health (0–9 … 90–100), split by band.</summary>
    public IReadOnlyList<HealthBucket> Histogram { get; }

    /// <summary>Red accounts, then yellow, biggest MRR first (at most <see cref="TopCount"/>).</summary>
    public IReadOnlyList<AccountSummary> TopAtRisk { get; }

    /// <summary>Accounts whose health fell most over 30 days, steepest first (at most <see cref="TopCount"/>).</summary>
    public IReadOnlyList<AccountSummary> LargestDrops { get; }

    /// <summary>Daily average health and band counts, oldest first.</summary>
    public IReadOnlyList<PortfolioDay> History { get; }

    /// <summary>The figures of one band.</summary>
    public BandShare ShareOf(Band band) => Bands.First(b => b.Band == band);

    /// <summary>MRR of the red accounts.</summary>
    public double MrrAtRisk => ShareOf(Band.Red).Mrr;

    /// <summary>Red accounts.</summary>
    public int AtRiskCount => ShareOf(Band.Red).Count;

    /// <summary>MRR at risk / total MRR (0 when there is no MRR).</summary>
    public double MrrAtRiskShare => TotalMrr > 0 && double.IsFinite(TotalMrr) ? MrrAtRisk / TotalMrr : 0;

    private static List<BandShare> BandSharesOf(IReadOnlyList<AccountSummary> accounts)
    {
        var total = accounts.Count;
        var counts = new Dictionary<Band, int> { [Band.Red] = 0, [Band.Yellow] = 0, [Band.Green] = 0 };
        var mrr = new Dictionary<Band, double> { [Band.Red] = 0, [Band.Yellow] = 0, [Band.Green] = 0 };
        foreach (var account in accounts)
        {
            counts[account.Band]++;
            mrr[account.Band] += account.Mrr;
        }

        var percents = LargestRemainderPercents(Theme.BandColors.RiskOrder.Select(b => counts[b]).ToArray(), total);
        return Theme.BandColors.RiskOrder
            .Select((band, i) => new BandShare(band, counts[band], total > 0 ? (double)counts[band] / total : 0, percents[i], mrr[band]))
            .ToList();
    }

    /// <summary>Whole percentages of <paramref name="counts"/> that add up to exactly 100 (all 0 when total is 0).</summary>
    internal static int[] LargestRemainderPercents(int[] counts, int total)
    {
        var percents = new int[counts.Length];
        if (total <= 0)
        {
            return percents;
        }

        var exact = counts.Select(c => 100.0 * c / total).ToArray();
        for (var i = 0; i < counts.Length; i++)
        {
            percents[i] = (int)Math.Floor(exact[i]);
        }

        var missing = 100 - percents.Sum();
        // Hand the missing points to the largest fractional parts (earlier, i.e. riskier, bands win ties).
        foreach (var i in Enumerable.Range(0, counts.Length).OrderByDescending(i => exact[i] - percents[i]).ThenBy(i => i).Take(missing))
        {
            percents[i]++;
        }

        return percents;
    }

    private static List<HealthBucket> HistogramOf(IReadOnlyList<AccountSummary> accounts)
    {
        const int buckets = 100 / BucketWidth;
        var green = new int[buckets];
        var yellow = new int[buckets];
        var red = new int[buckets];
        foreach (var account in accounts)
        {
            // Bucket by the number the page shows; 100 joins the last bucket.
            var bucket = Math.Clamp(account.HealthRounded / BucketWidth, 0, buckets - 1);
            var counts = account.Band switch { Band.Green => green, Band.Yellow => yellow, _ => red };
            counts[bucket]++;
        }

        return Enumerable.Range(0, buckets)
            .Select(b => new HealthBucket(b * BucketWidth, b == buckets - 1 ? 100 : (b * BucketWidth) + BucketWidth - 1, green[b], yellow[b], red[b]))
            .ToList();
    }
}
