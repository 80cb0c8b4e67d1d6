using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>A segment the store knows, with the accounts it has scored now.</summary>
public sealed record SegmentChoice(string Segment, int Accounts);

/// <summary>What <see cref="NewModelDialog"/> returns: the model to create and, for the onboarding model, its period.</summary>
public sealed record NewModelRequest(ModelKey Key, int? OnboardingDays);

/// <summary>
/// Asks which segment gets a model (<see cref="ModelKind.Segment"/>) or how long onboarding lasts
/// (<see cref="ModelKind.Onboarding"/>); the page creates the model from the default and opens it.
/// </summary>
public sealed partial class NewModelDialog
{
    private string? segment;
    private int? days = 30;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>Segment or onboarding.</summary>
    [Parameter, EditorRequired]
    public ModelKind Kind { get; set; }

    /// <summary>The segments that have no model yet (segment models only).</summary>
    [Parameter]
    public IReadOnlyList<SegmentChoice> Segments { get; set; } = [];

    /// <summary>The default model's version the new model copies.</summary>
    [Parameter]
    public int DefaultVersion { get; set; }

    private string? DaysProblem => days is { } d && d >= 1 && d <= ScoringModel.MaxOnboardingDays
        ? null
        : $"Onboarding period must be between 1 and {ScoringModel.MaxOnboardingDays} days.";

    private bool CanCreate => Kind == ModelKind.Onboarding ? DaysProblem is null : !string.IsNullOrEmpty(segment);

    /// <inheritdoc />
    protected override void OnParametersSet() => segment ??= Segments.Count > 0 ? Segments[0].Segment : null;

    private void Submit()
    {
        if (CanCreate)
        {
            Dialog.Close(DialogResult.Ok(Kind == ModelKind.Onboarding
                ? new NewModelRequest(ModelKey.Onboarding, days)
                : new NewModelRequest(ModelKey.ForSegment(segment!), null)));
        }
    }

    private void Cancel() => Dialog.Cancel();
}
