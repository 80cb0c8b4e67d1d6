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
/// "report_exported" under "report"); a search box and filters narrow it.
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
    }

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
    }

    private Task ChangeAsync(EventTypeRow row, EventTypeSettings settings) =>
        OnChanged.InvokeAsync(new EventTypeChange(row.Key, settings));

    private sealed record EventGroup(string Name, List<EventTypeRow> Rows);
}
