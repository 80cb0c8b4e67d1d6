using HealthDashboard.Components.Shared;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The editor's JSON file buttons: Import reads a model file (<see cref="ModelJsonFile"/>) into the session as
/// the draft (nothing is saved until Save); Export downloads the draft, or the saved version when unchanged.
/// </summary>
public sealed partial class ModelJsonButtons
{
    [Inject] private ModelEditorSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The browser side, for the download.</summary>
    [Parameter, EditorRequired]
    public ModelEditorBrowser Browser { get; set; } = default!;

    private async Task ImportAsync(IBrowserFile? file)
    {
        if (file is null || Session.Base is null)
        {
            return;
        }

        string text;
        try
        {
            await using var stream = file.OpenReadStream(ModelJsonFile.MaxBytes);
            using var reader = new StreamReader(stream);
            text = await reader.ReadToEndAsync();
        }
        catch (IOException ex)
        {
            Snackbar.Add($"{file.Name} could not be read: {ex.Message}", Severity.Error);
            return;
        }

        var imported = ModelJsonFile.Import(text);
        if (imported.Model is null)
        {
            Snackbar.Add($"{file.Name}: {imported.Error}", Severity.Error);
            return;
        }

        var origin = imported.SourceVersion is { } v ? $"Imported from {file.Name} (version {v})" : $"Imported from {file.Name}";
        Session.Replace(imported.Model, origin);
        Snackbar.Add(
            imported.Problems.Count == 0
                ? $"Loaded {file.Name} as the draft: {Format.Counted(Session.Changes.Count, "change")}. Nothing is saved until you save."
                : $"Loaded {file.Name} as the draft; fix {Format.Counted(imported.Problems.Count, "highlighted field")} before saving.",
            imported.Problems.Count == 0 ? Severity.Info : Severity.Warning);
    }

    private async Task ExportAsync()
    {
        if (Session.Base is not { } saved || Session.Draft is not { } draft)
        {
            return;
        }

        var stem = FileStem(saved.Info.Key);
        var (name, json) = Session.IsDirty
            ? ($"{stem}-v{saved.Info.Version}-draft.json", ModelJsonFile.ExportDraft(draft, saved.Info.Version))
            : ($"{stem}-v{saved.Info.Version}.json", ModelJsonFile.Export(saved));
        await Browser.DownloadAsync(name, json);
    }

    /// <summary>The export file's name before the version: <c>scoring-model</c>, <c>scoring-model-enterprise</c>, <c>scoring-model-onboarding</c>.</summary>
    public static string FileStem(ModelKey key)
    {
        if (key.Kind == ModelKind.Default)
        {
            return "scoring-model";
        }

        var name = key.Kind == ModelKind.Onboarding ? "onboarding" : key.Segment ?? "";
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return slug.Length == 0 ? "scoring-model-segment" : $"scoring-model-{slug}";
    }
}
