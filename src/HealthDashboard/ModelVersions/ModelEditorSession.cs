using HealthDashboard.Scoring;

namespace HealthDashboard.ModelVersions;

/// <summary>
/// One editor's draft (scoped: one per circuit): the saved version it is based on, the draft model, its
/// validation problems and changes, and the editor's name. It outlives a page, so going to the version
/// history and back keeps the draft. Holds one small model, never scores.
/// </summary>
public sealed class ModelEditorSession
{
    private static readonly IReadOnlyList<ModelProblem> NoProblems = [];

    /// <summary>The saved version the draft was edited from; null until <see cref="Load"/>.</summary>
    public ModelVersionDetail? Base { get; private set; }

    /// <summary>The draft; the base's model until something changes.</summary>
    public ScoringModel? Draft { get; private set; }

    /// <summary>Validation problems of the draft.</summary>
    public IReadOnlyList<ModelProblem> Problems { get; private set; } = NoProblems;

    /// <summary>The draft's changes from the base, field by field.</summary>
    public IReadOnlyList<ModelChange> Changes { get; private set; } = [];

    /// <summary>True when the draft differs from the base.</summary>
    public bool IsDirty => Changes.Count > 0;

    /// <summary>True when the draft validates.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>The name saves are made under (no sign-in yet; the editor remembers it, default "admin").</summary>
    public string Who { get; set; } = "admin";

    /// <summary>Where the draft last came from when not edited by hand ("Imported from model-v3.json"), for the page to say.</summary>
    public string? Origin { get; private set; }

    /// <summary>Raised after the draft or the base changed.</summary>
    public event Action? Changed;

    /// <summary>Starts over from a saved version (its model becomes the draft).</summary>
    public void Load(ModelVersionDetail version, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        Base = version;
        Origin = origin;
        Set(version.Model);
    }

    /// <summary>Replaces the draft with an edited copy.</summary>
    public void Update(ScoringModel draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Base is null)
        {
            throw new InvalidOperationException("Load a version before editing.");
        }

        Set(draft);
    }

    /// <summary>Loads a model from elsewhere (an import) as the draft, on the current base; not saved until Save.</summary>
    public void Replace(ScoringModel draft, string origin)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Base is null)
        {
            throw new InvalidOperationException("Load a version before importing.");
        }

        Origin = origin;
        Set(draft);
    }

    /// <summary>Throws the draft away: back to the saved base.</summary>
    public void Discard()
    {
        if (Base is not null)
        {
            Origin = null;
            Set(Base.Model);
        }
    }

    /// <summary>
    /// Moves the draft onto a newer saved version, keeping the editor's own changes
    /// (<see cref="ModelMerge.Rebase"/>); returns the fields both changed.
    /// </summary>
    public IReadOnlyList<string> Rebase(ModelVersionDetail newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        if (Base is null || Draft is null)
        {
            Load(newer);
            return [];
        }

        var rebased = ModelMerge.Rebase(Base.Model, Draft, newer.Model);
        Base = newer;
        Set(rebased.Model);
        return rebased.Conflicts;
    }

    /// <summary>The problem of one field (as <see cref="ScoringModel.Validate"/> names it), or null.</summary>
    public string? ProblemOf(string field)
    {
        foreach (var problem in Problems)
        {
            if (problem.Field == field)
            {
                return problem.Message;
            }
        }

        return null;
    }

    private void Set(ScoringModel draft)
    {
        Draft = draft;
        Problems = draft.Validate();
        Changes = draft.DiffFrom(Base!.Model);
        Changed?.Invoke();
    }
}
