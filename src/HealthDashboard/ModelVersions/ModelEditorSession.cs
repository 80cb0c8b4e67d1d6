using HealthDashboard.Scoring;

namespace HealthDashboard.ModelVersions;

/// <summary>
/// One editor's draft (scoped: one per circuit): the saved version it is based on, the draft model, its
/// validation problems and changes, the editor's name, and the state of saving (a refusal, a newer version
/// someone else saved, the fields a rebase found changed on both sides). It outlives a page, so going to the
/// version history and back keeps the draft. Holds one small model, never scores; no I/O, so every rule
/// here is tested without a page.
/// </summary>
public sealed class ModelEditorSession
{
    private static readonly IReadOnlyList<ModelProblem> NoProblems = [];

    /// <summary>The saved version the draft was edited from; null until <see cref="Load"/>.</summary>
    public ModelVersionDetail? Base { get; private set; }

    /// <summary>The model being edited (the default, a segment's or the onboarding model): the base's.</summary>
    public ModelKey Key => Base?.Info.Key ?? ModelKey.Default;

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

    /// <summary>A version newer than <see cref="Base"/> that someone saved while this draft was being edited; null when none.</summary>
    public ModelVersionInfo? Newer { get; private set; }

    /// <summary>Why the last save was refused (kept until the next save, discard, rebase or load); null when it was not.</summary>
    public string? Refusal { get; private set; }

    /// <summary>After a rebase: the fields both sides changed (empty: none); null when no rebase is to be reviewed.</summary>
    public IReadOnlyList<string>? Conflicts { get; private set; }

    /// <summary>A save is under way (the page disables Save and Discard).</summary>
    public bool IsSaving { get; private set; }

    /// <summary>True when the draft can be saved: changed, valid, not saving and not behind a newer version.</summary>
    public bool CanSave => IsDirty && IsValid && !IsSaving && Newer is null;

    /// <summary>Display names of the event types by key, so <see cref="Changes"/> say "Report created weight"; keys when unknown.</summary>
    public IReadOnlyDictionary<string, string>? EventTypeNames { get; private set; }

    /// <summary>Raised after the draft or the base changed.</summary>
    public event Action? Changed;

    /// <summary>Starts over from a saved version (its model becomes the draft); forgets any refusal or newer version.</summary>
    public void Load(ModelVersionDetail version, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        Base = version;
        Origin = origin;
        ClearSaveState();
        Set(version.Model);
    }

    /// <summary>
    /// Follows the newest saved version: a clean draft (or none yet) moves onto it; a draft with changes is
    /// kept and <see cref="Newer"/> tells the page to offer a rebase. Returns true when the draft moved.
    /// </summary>
    public bool Follow(ModelVersionDetail latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        if (Base is null || (!IsDirty && latest.Info.Version != Base.Info.Version))
        {
            Load(latest);
            return true;
        }

        if (latest.Info.Version > Base.Info.Version)
        {
            Newer = latest.Info;
        }

        return false;
    }

    /// <summary>
    /// Brings back a draft kept in the browser (after a reload or a server restart): <paramref name="draft"/> on
    /// top of the version it was edited from; when that is no longer the newest, <see cref="Newer"/> says so.
    /// </summary>
    public void RestoreDraft(ModelVersionDetail draftBase, ScoringModel draft, ModelVersionInfo? latest)
    {
        ArgumentNullException.ThrowIfNull(draftBase);
        ArgumentNullException.ThrowIfNull(draft);
        Base = draftBase;
        Origin = "Your unsaved draft, kept in this browser";
        ClearSaveState();
        Newer = latest is not null && latest.Version > draftBase.Info.Version ? latest : null;
        Set(draft);
    }

    /// <summary>Replaces the draft with an edited copy.</summary>
    public void Update(ScoringModel draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        RequireBase("editing");
        Set(draft);
    }

    /// <summary>
    /// Sets one event type's settings. An event type the base does not list, set back to the defaults, is
    /// dropped again, so it does not show as a change.
    /// </summary>
    public void SetEventType(string key, EventTypeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var draft = RequireBase("editing");
        if (settings == ScoringModel.DefaultEventType && !Base!.Model.EventTypes.ContainsKey(key))
        {
            var types = new Dictionary<string, EventTypeSettings>(draft.EventTypes, StringComparer.Ordinal);
            types.Remove(key);
            Set(draft with { EventTypes = types });
            return;
        }

        Set(draft.WithEventType(key, settings));
    }

    /// <summary>Loads a model from elsewhere (an import) as the draft, on the current base; not saved until Save.</summary>
    public void Replace(ScoringModel draft, string origin)
    {
        ArgumentNullException.ThrowIfNull(draft);
        RequireBase("importing");
        Origin = origin;
        Set(draft);
    }

    /// <summary>Throws the draft away: back to the saved base.</summary>
    public void Discard()
    {
        if (Base is not null)
        {
            Origin = null;
            Refusal = null;
            Conflicts = null;
            Set(Base.Model);
        }
    }

    /// <summary>
    /// Moves the draft onto a newer saved version, keeping the editor's own changes
    /// (<see cref="ModelMerge.Rebase"/>); returns the fields both changed (also kept in <see cref="Conflicts"/>).
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
        Newer = null;
        Refusal = null;
        Conflicts = rebased.Conflicts;
        Set(rebased.Model);
        return rebased.Conflicts;
    }

    /// <summary>Marks a save as started; false (and nothing changes) when the draft cannot be saved now.</summary>
    public bool BeginSave()
    {
        if (!CanSave)
        {
            return false;
        }

        IsSaving = true;
        Refusal = null;
        Conflicts = null;
        return true;
    }

    /// <summary>
    /// Takes the outcome of saving <paramref name="saved"/>: on success the new version becomes the base and the
    /// draft is clean; on a stale save <see cref="Newer"/> is set; otherwise <see cref="Refusal"/> says why.
    /// The draft is kept whenever the save was refused.
    /// </summary>
    public void EndSave(SaveResult result, ScoringModel saved, string who)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(saved);
        IsSaving = false;
        Who = who;
        if (result.Saved is { } version)
        {
            Load(new ModelVersionDetail(version, saved));
        }
        else if (result.NewerVersion is { } other)
        {
            Newer = other;
            Refusal = result.Message;
            Changed?.Invoke();
        }
        else
        {
            var details = result.Problems.Where(p => p.Field is "Comment" or "SavedBy").Select(p => p.Message);
            Refusal = string.Join(" ", new[] { result.Message }.Concat(details));
            Changed?.Invoke();
        }
    }

    /// <summary>A save that failed with an error (not a refusal): the draft is kept and the reason shown.</summary>
    public void FailSave(string reason)
    {
        IsSaving = false;
        Refusal = $"The model could not be saved: {reason}. Your draft is kept.";
        Changed?.Invoke();
    }

    /// <summary>Names event types by their display names in <see cref="Changes"/> from now on.</summary>
    public void UseEventTypeNames(IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        EventTypeNames = names;
        if (Draft is not null)
        {
            Set(Draft);
        }
    }

    /// <summary>Hides the refusal message.</summary>
    public void DismissRefusal() => Refusal = null;

    /// <summary>Hides the note about a rebase.</summary>
    public void DismissConflicts() => Conflicts = null;

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

    private ScoringModel RequireBase(string doing) =>
        Base is not null && Draft is not null ? Draft : throw new InvalidOperationException($"Load a version before {doing}.");

    private void ClearSaveState()
    {
        Newer = null;
        Refusal = null;
        Conflicts = null;
        IsSaving = false;
    }

    private void Set(ScoringModel draft)
    {
        Draft = draft;
        // The store's rules for this model (the onboarding period belongs to the onboarding model only), so the editor
        // refuses with the same messages as a save or `model import`.
        Problems = ModelStore.ValidateFor(Base!.Info.Key, draft);
        Changes = draft.DiffFrom(Base!.Model, EventTypeNames);
        Changed?.Invoke();
    }
}
