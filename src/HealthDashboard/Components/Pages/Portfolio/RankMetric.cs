namespace HealthDashboard.Components.Pages.Portfolio;

/// <summary>What an <see cref="AccountRankList"/> puts in its figure column.</summary>
public enum RankMetric
{
    /// <summary>MRR, with the renewal date under it.</summary>
    Revenue,

    /// <summary>The 30-day change of health, with MRR under it.</summary>
    Trend,
}
