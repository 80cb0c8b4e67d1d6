using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Components.Pages.Import;

/// <summary>One account whose band an import moved.</summary>
public sealed record BandMove(string Id, string Name, Band Before, Band After);

/// <summary>What an import did to the bands: the accounts that moved and how many accounts are new.</summary>
/// <param name="Moves">Accounts scored before and after whose band differs, the ones moving toward red first.</param>
/// <param name="NewAccounts">Accounts scored after the import that were not before.</param>
public sealed record ImportBandMoves(IReadOnlyList<BandMove> Moves, int NewAccounts)
{
    /// <summary>Compares the scores before an import with those after it.</summary>
    public static ImportBandMoves Between(PortfolioView? before, PortfolioView after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var moves = new List<BandMove>();
        var added = 0;
        foreach (var account in after.Accounts)
        {
            if (before?.FindAccount(account.Id) is not { } old)
            {
                added++;
            }
            else if (old.Band != account.Band)
            {
                moves.Add(new BandMove(account.Id, account.Name, old.Band, account.Band));
            }
        }

        // Toward red first (the ones to look at), then by name.
        return new ImportBandMoves(
            [.. moves.OrderByDescending(m => Severity(m.After) - Severity(m.Before)).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)],
            added);
    }

    private static int Severity(Band band) => band switch { Band.Red => 2, Band.Yellow => 1, _ => 0 };
}
