using HealthDashboard.Components.Shared;
using HealthDashboard.ModelVersions;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>Which accounts the table lists.</summary>
public enum ChangeList
{
    /// <summary>The largest score changes.</summary>
    Score,

    /// <summary>The accounts that change band.</summary>
    Band,
}

/// <summary>What the change table is sorted by.</summary>
public enum ChangeSort
{
    Account,
    Before,
    After,
    Delta,
}

/// <summary>
/// The accounts whose score or band the draft changes most (the preview's top lists), with old and
/// new health; the header sorts the rows (|change| first by default).
/// </summary>
public sealed partial class ChangesTable
{
    private static readonly Column[] Columns =
    [
        new("Account", ChangeSort.Account, "me-col-account"),
        new("Saved", ChangeSort.Before, "me-col-chip"),
        new("Draft", ChangeSort.After, "me-col-chip"),
        new("Change", ChangeSort.Delta, "me-col-delta"),
    ];

    private ChangeList list = ChangeList.Score;
    private ChangeSort sort = ChangeSort.Delta;
    private bool descending = true;
    private List<AccountChange> rows = [];

    /// <summary>The biggest score changes (largest |delta| first).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<AccountChange> BiggestChanges { get; set; } = [];

    /// <summary>The band moves (most bands first).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<AccountChange> BandMoves { get; set; } = [];

    /// <summary>How many accounts change at all.</summary>
    [Parameter, EditorRequired]
    public int Changed { get; set; }

    /// <summary>How many band moves there are in all (the list holds the top ones).</summary>
    [Parameter, EditorRequired]
    public int BandMoveCount { get; set; }

    private string Summary => list == ChangeList.Score
        ? TopOf(Changed, "changed account")
        : TopOf(BandMoveCount, "band move");

    private string TopOf(int total, string noun) =>
        rows.Count >= total ? Format.Counted(total, noun) : $"Top {rows.Count} of {Format.Counted(total, noun)}";

    /// <inheritdoc />
    protected override void OnParametersSet() => Arrange();

    private void Arrange()
    {
        var source = list == ChangeList.Score ? BiggestChanges : BandMoves;
        IEnumerable<AccountChange> ordered = sort switch
        {
            ChangeSort.Account => descending ? source.OrderByDescending(c => c.Name, StringComparer.OrdinalIgnoreCase) : source.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase),
            ChangeSort.Before => descending ? source.OrderByDescending(c => c.OldHealth) : source.OrderBy(c => c.OldHealth),
            ChangeSort.After => descending ? source.OrderByDescending(c => c.NewHealth) : source.OrderBy(c => c.NewHealth),
            // The preview's own order: |change| (or bands moved) largest first.
            _ => descending ? source : source.Reverse(),
        };
        rows = ordered.ToList();
    }

    private void ListChanged(ChangeList value)
    {
        list = value;
        Arrange();
    }

    private void SortBy(ChangeSort column)
    {
        descending = sort != column || !descending;
        sort = column;
        Arrange();
    }

    private string SortIcon(ChangeSort column) => sort != column
        ? Icons.Material.Rounded.UnfoldMore
        : descending ? Icons.Material.Rounded.ArrowDownward : Icons.Material.Rounded.ArrowUpward;

    private string AriaSort(ChangeSort column) => sort != column ? "none" : descending ? "descending" : "ascending";

    private sealed record Column(string Title, ChangeSort Sort, string Class);
}
