using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// What the URL-bound grid pages (Accounts, Users) share: the filter lives in the query string, written
/// back without a history entry, read again on back/forward, and a new filter starts at the first page.
/// </summary>
public static class GridUrl
{
    /// <summary>Puts <paramref name="query"/> into the address bar of <paramref name="path"/>, replacing the history entry.</summary>
    public static void Replace(NavigationManager navigation, string path, string query)
    {
        var wanted = navigation.ToAbsoluteUri(path + (query.Length > 0 ? "?" + query : "")).ToString();
        if (!string.Equals(wanted, navigation.Uri, StringComparison.Ordinal))
        {
            navigation.NavigateTo(wanted, new NavigationOptions { ReplaceHistoryEntry = true });
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
