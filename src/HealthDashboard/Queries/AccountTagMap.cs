namespace HealthDashboard.Queries;

/// <summary>
/// Every account's tags at one moment (read by <see cref="Tasks.TagStore.MapAsync"/>): the chips of the Accounts grid and
/// what its <c>tag=</c> filter tests. Tags live in the store, not in the scored view, so the pages and exports read this
/// beside the view and hand it to <see cref="AccountFilter.TagMap"/>.
/// </summary>
public sealed class AccountTagMap
{
    private readonly Dictionary<string, string[]> byAccount;

    /// <summary>A map of <paramref name="rows"/> (account id, tag); each account's tags alphabetical.</summary>
    public AccountTagMap(IEnumerable<(string AccountId, string Tag)> rows)
    {
        byAccount = rows.GroupBy(r => r.AccountId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Tag).Order(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparer.Ordinal);
        All = [.. byAccount.Values.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>No tags at all.</summary>
    public static AccountTagMap Empty { get; } = new([]);

    /// <summary>Every tag in use, alphabetical (the filter's choices).</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>The account's tags, alphabetical.</summary>
    public IReadOnlyList<string> Of(string accountId) => byAccount.TryGetValue(accountId, out var tags) ? tags : [];

    /// <summary>Whether the account carries <paramref name="tag"/> (case-insensitive, as tags are unique per account).</summary>
    public bool Has(string accountId, string tag) =>
        byAccount.TryGetValue(accountId, out var tags) && tags.Contains(tag, StringComparer.OrdinalIgnoreCase);
}
