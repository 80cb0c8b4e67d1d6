using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>One model the switcher lists: its key and how many accounts it scores now.</summary>
public sealed record ModelChoice(ModelKey Key, int Accounts);

/// <summary>
/// The model switcher of the editor and the version history: a link per model (the choice is in the URL, see
/// <see cref="ModelLinks"/>) with its account count, and for an admin the buttons to add a segment or the
/// onboarding model and to remove the one shown. The page does the work; this only lists and asks.
/// </summary>
public sealed partial class ModelSwitcher
{
    /// <summary>The models in use: the default first, then segments by name, then onboarding.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<ModelChoice> Models { get; set; } = [];

    /// <summary>The model shown.</summary>
    [Parameter, EditorRequired]
    public ModelKey Current { get; set; }

    /// <summary>True for an admin: shows New segment model, Onboarding model and Remove.</summary>
    [Parameter]
    public bool CanManage { get; set; }

    /// <summary>True to link to the version history of each model rather than its editor.</summary>
    [Parameter]
    public bool ToHistory { get; set; }

    /// <summary>Asked to create a segment model.</summary>
    [Parameter]
    public EventCallback OnNewSegment { get; set; }

    /// <summary>Asked to create the onboarding model.</summary>
    [Parameter]
    public EventCallback OnNewOnboarding { get; set; }

    /// <summary>Asked to remove the model shown.</summary>
    [Parameter]
    public EventCallback OnRemove { get; set; }

    private string LinkOf(ModelKey key) => ToHistory ? ModelLinks.Versions(key) : ModelLinks.Editor(key);

    /// <summary>The switcher's label of a model: "Default", the segment's name, "Onboarding".</summary>
    public static string NameOf(ModelKey key) => key.Kind switch
    {
        ModelKind.Default => "Default",
        ModelKind.Onboarding => "Onboarding",
        _ => key.Segment!,
    };

    private static string IconOf(ModelKey key) => key.Kind switch
    {
        ModelKind.Default => Icons.Material.Rounded.Public,
        ModelKind.Onboarding => Icons.Material.Rounded.Spa,
        _ => Icons.Material.Rounded.Category,
    };
}
