using HealthDashboard.Scores;
using MudBlazor;

namespace HealthDashboard.Components.Layout;

/// <summary>The app bar's account search: finds scored accounts by name or id and opens the one picked.</summary>
public sealed partial class AccountSearch
{
    private const int MaxResults = 8;

    private MudAutocomplete<AccountSummary>? autocomplete;
    private AccountSummary? selected;

    private Task<IEnumerable<AccountSummary>> SearchAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<AccountSummary>>(Find(Board.Current?.Accounts ?? [], text, MaxResults));

    private async Task OpenAccountAsync(AccountSummary? account)
    {
        if (account is null)
        {
            return;
        }

        Navigation.NavigateTo($"accounts/{Uri.EscapeDataString(account.Id)}");
        // The box is for jumping, not a filter: empty it once the account is open.
        selected = null;
        if (autocomplete is not null)
        {
            await autocomplete.ClearAsync();
        }
    }

    /// <summary>
    /// The accounts matching <paramref name="text"/> (case-insensitive) on name or id, best first:
    /// exact id, then name or id starting with the text, then a word of the name starting with it,
    /// then any other match; ties by name. Empty text finds nothing.
    /// </summary>
    public static IReadOnlyList<AccountSummary> Find(IReadOnlyList<AccountSummary> accounts, string? text, int max)
    {
        var query = text?.Trim();
        if (string.IsNullOrEmpty(query))
        {
            return [];
        }

        return accounts
            .Select(account => (account, rank: Rank(account, query)))
            .Where(match => match.rank >= 0)
            .OrderBy(match => match.rank)
            .ThenBy(match => match.account.Name, StringComparer.OrdinalIgnoreCase)
            .Take(max)
            .Select(match => match.account)
            .ToList();
    }

    private static int Rank(AccountSummary account, string query)
    {
        const StringComparison ignoreCase = StringComparison.OrdinalIgnoreCase;
        if (account.Id.Equals(query, ignoreCase))
        {
            return 0;
        }

        if (account.Name.StartsWith(query, ignoreCase) || account.Id.StartsWith(query, ignoreCase))
        {
            return 1;
        }

        if (account.Name.Contains(" " + query, ignoreCase))
        {
            return 2;
        }

        if (account.Name.Contains(query, ignoreCase) || account.Id.Contains(query, ignoreCase))
        {
            return 3;
        }

        return -1;
    }
}
