using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.ModelVersions;

/// <summary>Accounts (and their MRR) per band.</summary>
public sealed record BandCounts(int Green, int Yellow, int Red, double GreenMrr, double YellowMrr, double RedMrr)
{
    /// <summary>Number of accounts counted.</summary>
    public int Total => Green + Yellow + Red;

    /// <summary>Accounts in one band.</summary>
    public int this[Band band] => band switch { Band.Green => Green, Band.Yellow => Yellow, _ => Red };

    /// <summary>MRR of the accounts in one band.</summary>
    public double MrrOf(Band band) => band switch { Band.Green => GreenMrr, Band.Yellow => YellowMrr, _ => RedMrr };
}

/// <summary>One account's score under the saved model and under the draft.</summary>
/// <param name="Index">Local account index (as in <see cref="PortfolioView.Accounts"/>).</param>
public sealed record AccountChange(
    int Index,
    string Id,
    string Name,
    double Mrr,
    double OldHealth,
    double NewHealth,
    Grade OldGrade,
    Grade NewGrade)
{
    /// <summary>New H minus old H (unrounded).</summary>
    public double Delta => NewHealth - OldHealth;

    public Band OldBand => Indicators.BandOf(OldGrade);
    public Band NewBand => Indicators.BandOf(NewGrade);

    /// <summary>Bands moved: positive towards green, negative towards red, 0 when the band stays.</summary>
    public int BandSteps => (int)OldBand - (int)NewBand;
}

/// <summary>
/// What a draft model would do to the whole portfolio, compared with the saved scores. Small on
/// purpose (counts, two histograms and the top changes): a circuit keeps it, never the scores.
/// </summary>
public sealed class ModelPreviewResult
{
    /// <summary>Buckets of the health histograms: [0, 10), [10, 20) ... [90, 100] on the unrounded H.</summary>
    public const int HistogramBuckets = 10;

    /// <summary>The saved model version the "before" figures come from.</summary>
    public required int BaseVersion { get; init; }

    /// <summary>The as-of time of the scores.</summary>
    public required DateTime AsOf { get; init; }

    /// <summary>Accounts per band under the saved model.</summary>
    public required BandCounts Before { get; init; }

    /// <summary>Accounts per band under the draft.</summary>
    public required BandCounts After { get; init; }

    /// <summary>Accounts whose band gets better (red to yellow, yellow to green, red to green).</summary>
    public required int MovedUp { get; init; }

    /// <summary>Accounts whose band gets worse.</summary>
    public required int MovedDown { get; init; }

    /// <summary>Accounts whose H changes by at least 0.005 (what an export would show) or whose band changes.</summary>
    public required int Changed { get; init; }

    /// <summary>Accounts red under the draft but not before.</summary>
    public required int AccountsIntoRed { get; init; }

    /// <summary>MRR of <see cref="AccountsIntoRed"/>.</summary>
    public required double MrrIntoRed { get; init; }

    /// <summary>Accounts red before but not under the draft.</summary>
    public required int AccountsOutOfRed { get; init; }

    /// <summary>MRR of <see cref="AccountsOutOfRed"/>.</summary>
    public required double MrrOutOfRed { get; init; }

    /// <summary>Mean H before.</summary>
    public required double AverageBefore { get; init; }

    /// <summary>Mean H under the draft.</summary>
    public required double AverageAfter { get; init; }

    /// <summary>Accounts per health bucket before (<see cref="HistogramBuckets"/> entries).</summary>
    public required IReadOnlyList<int> HistogramBefore { get; init; }

    /// <summary>Accounts per health bucket under the draft.</summary>
    public required IReadOnlyList<int> HistogramAfter { get; init; }

    /// <summary>The changed accounts with the largest |delta|, largest first (at most the requested number).</summary>
    public required IReadOnlyList<AccountChange> BiggestChanges { get; init; }

    /// <summary>The accounts that change band, most bands moved first, then by |delta| (at most the requested number).</summary>
    public required IReadOnlyList<AccountChange> BandMoves { get; init; }

    /// <summary>The draft's window W.</summary>
    public required int WindowDays { get; init; }

    /// <summary>
    /// Days of usage the dashboard has loaded before the as-of time. A draft window longer than this
    /// is previewed on the loaded span only (older usage is not in memory); the save scores it fully.
    /// </summary>
    public required int LoadedUsageDays { get; init; }

    /// <summary>True when the draft window is longer than the loaded usage (see <see cref="LoadedUsageDays"/>).</summary>
    public bool WindowBeyondLoadedUsage => WindowDays > LoadedUsageDays;

    /// <summary>The model the draft replaces.</summary>
    public ModelKey Key { get; init; }

    /// <summary>True when only that model's accounts are compared (other models are saved too); false: the whole portfolio.</summary>
    public bool OnlyModelAccounts { get; init; }
}
