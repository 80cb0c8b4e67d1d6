using HealthDashboard.Scoring;

namespace HealthDashboard.ModelVersions;

/// <summary>Who saved a model version, when and why.</summary>
/// <param name="Version">Version number (1 is the default model).</param>
/// <param name="RestoredFrom">The version this one restores, null for an edit.</param>
/// <param name="Key">Which model (the default unless told).</param>
/// <param name="Removed">True for the version that removed a segment or onboarding model.</param>
public sealed record ModelVersionInfo(int Version, DateTime SavedAt, string SavedBy, string? Comment, int? RestoredFrom, ModelKey Key = default, bool Removed = false);

/// <summary>A model of the store for the model switcher and <c>model list</c>: its key, newest version and how many versions it has.</summary>
/// <param name="Latest">The newest version (for a removed model: the removal).</param>
/// <param name="Versions">Number of versions saved for this model (removals included).</param>
/// <param name="Model">The newest version's model (for a removed model, the one it had before removal).</param>
public sealed record StoredModel(ModelKey Key, ModelVersionInfo Latest, int Versions, ScoringModel Model)
{
    /// <summary>True when the model is in use (not removed).</summary>
    public bool Active => !Latest.Removed;
}

/// <summary>A version in the history list: who, when, why, and the fields it changed from the version before it.</summary>
public sealed record ModelVersionSummary(ModelVersionInfo Info, IReadOnlyList<string> ChangedFields);

/// <summary>A saved version with its model.</summary>
public sealed record ModelVersionDetail(ModelVersionInfo Info, ScoringModel Model);

/// <summary>A version and what changed from another version (field by field).</summary>
/// <param name="ComparedWith">The version compared with (by default the one before); null for the first version compared with the built-in defaults.</param>
public sealed record ModelVersionDiff(ModelVersionInfo Version, ModelVersionInfo? ComparedWith, IReadOnlyList<ModelChange> Changes);

/// <summary>
/// The outcome of saving or restoring: either the new version, or a refusal with the reasons
/// (field problems shown next to the fields, a stale base, nothing to save). A refusal changes nothing.
/// </summary>
public sealed class SaveResult
{
    private SaveResult(ModelVersionInfo? saved, IReadOnlyList<ModelProblem> problems, string? message, ModelVersionInfo? newerVersion, Task rescored)
    {
        Saved = saved;
        Problems = problems;
        Message = message;
        NewerVersion = newerVersion;
        Rescored = rescored;
    }

    /// <summary>The version created; null when refused.</summary>
    public ModelVersionInfo? Saved { get; }

    /// <summary>Field problems (model fields as <see cref="ScoringModel.Validate"/> names them, plus <c>Comment</c> and <c>SavedBy</c>).</summary>
    public IReadOnlyList<ModelProblem> Problems { get; }

    /// <summary>Why it was refused, for a person; null on success.</summary>
    public string? Message { get; }

    /// <summary>The newer version someone else saved while the draft was edited (a stale save), else null.</summary>
    public ModelVersionInfo? NewerVersion { get; }

    /// <summary>
    /// Completes when every page's scores (now and history) use the new version. The save does not
    /// wait for it, so the editor stays responsive; tests and the page may await it.
    /// </summary>
    public Task Rescored { get; }

    public bool Succeeded => Saved is not null;

    /// <summary>True when refused because another version was saved first.</summary>
    public bool IsStale => NewerVersion is not null;

    internal static SaveResult Success(ModelVersionInfo saved, Task rescored) => new(saved, [], null, null, rescored);

    internal static SaveResult Refused(string message, IReadOnlyList<ModelProblem>? problems = null) =>
        new(null, problems ?? [], message, null, Task.CompletedTask);

    internal static SaveResult Stale(ModelVersionInfo newer) =>
        new(null, [], StaleMessage(newer), newer, Task.CompletedTask);

    /// <summary>The refusal text of a stale save.</summary>
    public static string StaleMessage(ModelVersionInfo newer) =>
        $"Version {newer.Version} was saved by {newer.SavedBy} at {newer.SavedAt:yyyy-MM-dd HH:mm} UTC while you were editing; " +
        "your draft is kept — review the changes and save again.";
}

/// <summary>A model read from JSON: the draft to load, or why it cannot be loaded.</summary>
/// <param name="Model">The model, null when the JSON could not be read.</param>
/// <param name="Problems">Validation problems of the model (it still loads, so the fields can be fixed before saving).</param>
/// <param name="Error">Why nothing could be read, null when <paramref name="Model"/> is set.</param>
/// <param name="SourceVersion">The version number the export carried, if any.</param>
public sealed record ModelImport(ScoringModel? Model, IReadOnlyList<ModelProblem> Problems, string? Error, int? SourceVersion);
