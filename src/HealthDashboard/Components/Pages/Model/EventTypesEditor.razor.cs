using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>One event type as the editor lists it.</summary>
/// <param name="Key">The event type key.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Settings">The draft's settings.</param>
/// <param name="Saved">The saved version's settings.</param>
/// <param name="InData">Whether the loaded data knows the event type.</param>
/// <param name="Problem">The validation message of its weight, or null.</param>
public sealed record EventTypeRow(string Key, string Name, EventTypeSettings Settings, EventTypeSettings Saved, bool InData, string? Problem)
{
    /// <summary>The draft differs from the saved version here.</summary>
    public bool IsChanged => Settings != Saved;
}

/// <summary>A changed event type.</summary>
public readonly record struct EventTypeChange(string Key, EventTypeSettings Settings);

/// <summary>Which event types the list shows.</summary>
public enum EventFilter
{
    All,
    KeyFeatures,
    ValueMoments,
    Changed,
}

/// <summary>
/// Edits event weights (0-10) and the key-feature and value-moment flags. With more than
/// <see cref="GroupFrom"/> event types the list is grouped by key prefix ("report_created" and
/// "report_exported" under "report"); a search box and filters narrow it. A grouped list scrolls in its own box and
/// renders only the rows in view (<c>Virtualize</c>, group heads being items of the same list): with 40 event types,
/// rendering every row put about 340 KB of the model editor's 740 KB first circuit render here, and the page took
/// 550-600 ms to become interactive instead of 420-470 ms at scale (bench part 18).
/// </summary>
public sealed partial class EventTypesEditor
{
    /// <summary>From this many event types on, the list is grouped.</summary>
    public const int GroupFrom = 13;

    private const string OtherGroup = "Other";
    private static readonly char[] PrefixSeparators = ['.', '_', ':', '/', '-'];

    private readonly HashSet<string> collapsed = new(StringComparer.Ordinal);
    private string? search;
    private EventFilter filter = EventFilter.All;
    private bool grouped;
    private IReadOnlyList<EventTypeRow>? renderedRows;
    private bool stateChanged = true;
    private List<EventGroup> visibleGroups = [];
    private List<EventListItem> listItems = [];

    /// <summary>A row's height in pixels before the browser measured one (a name and a key line, 6 px padding).</summary>
    private const float RowHeight = 53;

    /// <summary>Every event type, in display order.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<EventTypeRow> Rows { get; set; } = [];

    /// <summary>Raised when a weight or flag changes.</summary>
    [Parameter]
    public EventCallback<EventTypeChange> OnChanged { get; set; }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        // A slider elsewhere on the page re-renders the page on every move: skip this long list unless its rows changed.
        if (renderedRows is null || !renderedRows.SequenceEqual(Rows))
        {
            stateChanged = true;
            Arrange();
        }
    }

    /// <inheritdoc />
    protected override bool ShouldRender() => stateChanged;

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        renderedRows = Rows;
        stateChanged = false;
    }

    private void Arrange()
    {
        stateChanged = true;
        grouped = Rows.Count >= GroupFrom;
        var matching = Rows.Where(Matches).ToList();
        if (!grouped)
        {
            visibleGroups = matching.Count > 0 ? [new EventGroup("", matching)] : [];
            listItems = [];
            return;
        }

        // Prefixes shared by at least two event types form groups; the rest go to "Other".
        var prefixCounts = Rows.GroupBy(r => Prefix(r.Key)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        string GroupOf(EventTypeRow row) => Prefix(row.Key) is var p && p.Length > 0 && prefixCounts[p] > 1 ? Title(p) : OtherGroup;
        visibleGroups = matching.GroupBy(GroupOf)
            .OrderBy(g => g.Key == OtherGroup)
            .ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new EventGroup(g.Key, g.ToList()))
            .ToList();
        Flatten();
    }

    /// <summary>The grouped list as <c>Virtualize</c> shows it: each group's head, then its rows unless it is collapsed.</summary>
    private void Flatten() =>
        listItems = visibleGroups
            .SelectMany(g => IsCollapsed(g) ? [new EventListItem(g, null)] : g.Rows.Select(r => new EventListItem(g, r)).Prepend(new EventListItem(g, null)))
            .ToList();

    // A search shows every match, even in a collapsed group.
    private bool IsCollapsed(EventGroup group) => collapsed.Contains(group.Name) && string.IsNullOrEmpty(search);

    private bool Matches(EventTypeRow row)
    {
        var passes = filter switch
        {
            EventFilter.KeyFeatures => row.Settings.KeyFeature,
            EventFilter.ValueMoments => row.Settings.ValueMoment,
            EventFilter.Changed => row.IsChanged,
            _ => true,
        };
        return passes && (string.IsNullOrWhiteSpace(search)
            || row.Key.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
            || row.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The part of a key before its first separator, empty when it has none.</summary>
    internal static string Prefix(string key)
    {
        var at = key.IndexOfAny(PrefixSeparators);
        return at > 0 ? key[..at] : "";
    }

    private static string Title(string prefix) => char.ToUpperInvariant(prefix[0]) + prefix[1..];

    private void SearchChanged(string? text)
    {
        search = text;
        Arrange();
    }

    private void FilterChanged(EventFilter value)
    {
        filter = value;
        Arrange();
    }

    private void ClearFilters()
    {
        search = null;
        filter = EventFilter.All;
        Arrange();
    }

    private void ToggleGroup(string name)
    {
        stateChanged = true;
        if (!collapsed.Remove(name))
        {
            collapsed.Add(name);
        }

        Flatten();
    }

    private Task ChangeAsync(EventTypeRow row, EventTypeSettings settings) =>
        OnChanged.InvokeAsync(new EventTypeChange(row.Key, settings));

    private sealed record EventGroup(string Name, List<EventTypeRow> Rows);

    /// <summary>A group's head (no row) or one of its rows.</summary>
    private sealed record EventListItem(EventGroup Group, EventTypeRow? Row);
}
