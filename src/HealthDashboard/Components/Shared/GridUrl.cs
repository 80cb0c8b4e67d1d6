using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// What the URL-bound grid pages (Accounts, Users) share: the filter lives in the query string, each
/// change of the user's is a history entry (Back undoes it), back/forward rebuild the grid from the URL,
/// and a new filter starts at the first page.
/// </summary>
public static class GridUrl
{
    /// <summary>
    /// Puts <paramref name="query"/> into the address bar of <paramref name="path"/>. A change the user made
    /// (a filter, a sort, a page) adds a history entry so Back undoes it; a correction the page made by
    /// itself (a page number past the end) replaces the entry.
    /// </summary>
    public static void Show(NavigationManager navigation, string path, string query, bool addHistoryEntry)
    {
        var wanted = navigation.ToAbsoluteUri(path + (query.Length > 0 ? "?" + query : "")).ToString();
        if (!string.Equals(wanted, navigation.Uri, StringComparison.Ordinal))
        {
            navigation.NavigateTo(wanted, new NavigationOptions { ReplaceHistoryEntry = !addHistoryEntry });
        }
    }

    /// <summary>The query of <paramref name="location"/> when it is the page at <paramref name="path"/>; null for another page.</summary>
    public static string? QueryOn(string location, string path)
    {
        var uri = new Uri(location);
        return uri.AbsolutePath.TrimEnd('/').EndsWith("/" + path, StringComparison.OrdinalIgnoreCase) ? uri.Query : null;
    }

    /// <summary>Shows the first page of a server-side grid with its current filter (moving there reloads by itself).</summary>
    public static async Task ReloadFromFirstPageAsync<T>(MudDataGrid<T>? grid)
    {
        if (grid is null)
        {
            return;
        }

        if (grid.CurrentPage != 0)
        {
            grid.NavigateTo(MudBlazor.Page.First);
        }
        else
        {
            await grid.ReloadServerData();
        }
    }
}
