using HealthDashboard.Components.Shared;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Components.Pages.Accounts;

/// <summary>
/// The account list: filters, sort and page live in the URL (bookmarkable, shared by the CSV export),
/// rows come page by page from <see cref="AccountQuery"/> over the shared view, and the grid reloads when
/// the scores change. Sorting is the page's own (<see cref="SortHeader"/> buttons), not the grid's, so the
/// order lives in the URL with the filters and numbers sort high to low on the first click. The circuit keeps only the filter and the rows of the page on screen.
/// </summary>
public sealed partial class AccountsPage
{
    private static readonly int[] PageSizeOptions = [.. AccountFilter.PageSizes];

    /// <summary>Tags a row shows; the rest are counted ("+2", named in its tooltip).</summary>
    private const int MaxRowTags = 3;

    // The rows selected for a bulk action (ids, so a selection survives paging and new views).
    private readonly HashSet<string> selected = new(StringComparer.Ordinal);
    private IReadOnlyList<AccountSummary> pageRows = [];

    private IReadOnlyDictionary<Band, int> bandCounts = new Dictionary<Band, int>();
    private double totalMrr;

    private DateTime AsOf => View?.AsOf ?? default;

    private string CountLine => $"{Format.Count(TotalCount)} {(TotalCount == 1 ? "account" : "accounts")} · {Format.MoneyCompact(totalMrr)} MRR";

    private string SortLabel => Filter.Sort switch
    {
        AccountSort.Risk => Filter.Descending ? "healthiest first" : "by risk, then MRR",
        var sort => $"by {SortName(sort)} {(Filter.Descending ? "high to low" : "low to high")}",
    };

    // The export has every matching row in the grid's order, so paging stays out of its link.
    private string ExportHref => "export/accounts.csv" + (Filter.AtPage(1, AccountFilter.DefaultPageSize).ToQuery() is { Length: > 0 } q ? "?" + q : "");

    /// <inheritdoc />
    protected override string Route => "accounts";

    /// <inheritdoc />
    protected override (IReadOnlyList<AccountSummary> Rows, int TotalCount, int Page) QueryPage(PortfolioView view)
    {
        var page = AccountQuery.Run(view, Filter);
        totalMrr = page.TotalMrr;
        pageRows = page.Rows;
        return (page.Rows, page.TotalCount, page.Page);
    }

    private bool PageSelected => pageRows.Count > 0 && pageRows.All(r => selected.Contains(r.Id));

    // The header's box: every row of this page in or out (rows selected on other pages stay as they are).
    private void SelectPage(bool on)
    {
        foreach (var row in pageRows)
        {
            if (on)
            {
                selected.Add(row.Id);
            }
            else
            {
                selected.Remove(row.Id);
            }
        }
    }

    private void Toggle(string accountId, bool on)
    {
        if (on)
        {
            selected.Add(accountId);
        }
        else
        {
            selected.Remove(accountId);
        }
    }

    private void ClearSelection() => selected.Clear();

    /// <inheritdoc />
    protected override void ShowTotals(PortfolioView view) => bandCounts = AccountQuery.BandCounts(view, Filter);

    private bool Hidden(AccountColumn column) => Filter.HiddenColumns.Contains(column);

    // The chooser writes the URL like the filters do, so a saved view keeps the columns.
    private Task ToggleColumnAsync(AccountColumn column) => ApplyFilterAsync(Filter.WithColumn(column, visible: Hidden(column)));

    private static string ColumnName(AccountColumn column) => column switch
    {
        AccountColumn.Trend => "30-day trend",
        AccountColumn.Mrr => "MRR",
        AccountColumn.Segment => "Segment · plan",
        AccountColumn.Users => "Users",
        AccountColumn.Activity => "Last activity",
        _ => column.ToString(),
    };

    private static string AccountHref(AccountSummary account) => "accounts/" + Uri.EscapeDataString(account.Id);

    private static string SortName(AccountSort sort) => sort switch
    {
        AccountSort.Mrr => "MRR",
        AccountSort.Users => "active users",
        AccountSort.Activity => "last activity",
        AccountSort.Renewal => "renewal date",
        _ => sort.ToString().ToLowerInvariant(),
    };
}
