using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>Who saves and why: what <see cref="SaveModelDialog"/> returns.</summary>
public sealed record SaveRequest(string Name, string Comment);

/// <summary>
/// The save dialog (also the restore dialog, with <see cref="RestoredFrom"/>): the draft's changes field by field, its effect on the portfolio, the editor's name
/// and a required comment (<see cref="ModelStore.MinCommentLength"/>-<see cref="ModelStore.MaxCommentLength"/>
/// characters; Save stays disabled until it has one). Returns a <see cref="SaveRequest"/>; the page saves.
/// </summary>
public sealed partial class SaveModelDialog
{
    private string? name;
    private string? comment;
    private bool touched;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The draft's changes from the base version.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<ModelChange> Changes { get; set; } = [];

    /// <summary>The version the draft was edited from.</summary>
    [Parameter, EditorRequired]
    public int BaseVersion { get; set; }

    /// <summary>The name to start with (the remembered one).</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The version being restored (its model saved again as the newest); null for a save of the draft.</summary>
    [Parameter]
    public int? RestoredFrom { get; set; }

    /// <summary>The latest preview, for the one-line impact summary.</summary>
    [Parameter]
    public ModelPreviewResult? Impact { get; set; }

    private string? CommentProblem
    {
        get
        {
            var length = comment?.Trim().Length ?? 0;
            return length < ModelStore.MinCommentLength
                ? $"Say in a few words why (at least {ModelStore.MinCommentLength} characters)."
                : length > ModelStore.MaxCommentLength ? $"Keep it under {ModelStore.MaxCommentLength} characters." : null;
        }
    }

    private bool CanSave => CommentProblem is null && !string.IsNullOrWhiteSpace(name);

    /// <inheritdoc />
    protected override void OnInitialized() => name = Name;

    private void Submit()
    {
        if (CanSave)
        {
            Dialog.Close(DialogResult.Ok(new SaveRequest(name!.Trim(), comment!.Trim())));
        }
    }

    private void Cancel() => Dialog.Cancel();
}
