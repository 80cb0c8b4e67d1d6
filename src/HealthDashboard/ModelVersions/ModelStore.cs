using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.ModelVersions;

/// <summary>
/// The versioned scoring model (SCORING.md "The scoring model is data"): lists and reads versions,
/// saves a draft or restores an old version as a new version, and re-scores every page after a save.
/// </summary>
/// <remarks>
/// Concurrency is optimistic: a save names the version its draft was edited from, and is refused
/// when a newer version exists. The check is made twice, so two editors saving at once cannot both
/// win: first by reading the newest version, then by the primary key, since the new version's number
/// is always base + 1 and only one insert of that number can succeed.
/// There is no sign-in yet: "who" is the name the editor gives (it remembers it, default "admin").
/// </remarks>
public sealed class ModelStore(IDbContextFactory<HealthDbContext> dbFactory, ScoreBoard board, RescoreTrigger rescore, TimeProvider clock, ILogger<ModelStore> logger)
{
    /// <summary>Shortest comment a save accepts (trimmed).</summary>
    public const int MinCommentLength = 3;

    /// <summary>Longest comment a save accepts.</summary>
    public const int MaxCommentLength = 500;

    /// <summary>Longest name accepted as "who".</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest segment name a segment model accepts.</summary>
    public const int MaxSegmentLength = 200;

    /// <summary>Every version of the default model, newest first.</summary>
    public Task<IReadOnlyList<ModelVersionInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        ListAsync(ModelKey.Default, cancellationToken);

    /// <summary>Every version of one model, newest first.</summary>
    public async Task<IReadOnlyList<ModelVersionInfo>> ListAsync(ModelKey key, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = key.ToString();
        var rows = await db.ModelVersions.AsNoTracking().Where(v => v.ModelKey == name).OrderByDescending(v => v.Id).ToListAsync(cancellationToken);
        return rows.Select(r => InfoOf(r)).ToList();
    }

    /// <summary>
    /// Every model the store has ever held (default first, then segments by name, then onboarding), each with its
    /// newest version; removed models are listed with <see cref="StoredModel.Active"/> false.
    /// </summary>
    public async Task<IReadOnlyList<StoredModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.ModelVersions.AsNoTracking().GroupBy(v => v.ModelKey).Select(g => new { Key = g.Key, Count = g.Count(), Latest = g.Max(v => v.Id) })
            .ToListAsync(cancellationToken);
        var latestIds = counts.Select(c => c.Latest).ToList();
        var rows = await db.ModelVersions.AsNoTracking().Where(v => latestIds.Contains(v.Id)).ToListAsync(cancellationToken);
        return rows.Select(r => new StoredModel(KeyOf(r), InfoOf(r), counts.First(c => c.Key == r.ModelKey).Count, ScoringModel.FromJson(r.ModelJson)))
            .OrderBy(m => m.Key.Kind).ThenBy(m => m.Key.Segment, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every version of the default model, newest first, each with the fields it changed from the one before it.</summary>
    public Task<IReadOnlyList<ModelVersionSummary>> HistoryAsync(CancellationToken cancellationToken = default) =>
        HistoryAsync(ModelKey.Default, cancellationToken);

    /// <summary>Every version of one model, newest first, each with the fields it changed from the one before it (the first: from the defaults).</summary>
    public async Task<IReadOnlyList<ModelVersionSummary>> HistoryAsync(ModelKey key, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = key.ToString();
        var rows = await db.ModelVersions.AsNoTracking().Where(v => v.ModelKey == name).OrderBy(v => v.Id).ToListAsync(cancellationToken);
        var names = await EventTypeNamesAsync(db, cancellationToken);
        var history = new List<ModelVersionSummary>(rows.Count);
        var previous = ScoringModel.Default;
        foreach (var row in rows)
        {
            var detail = Detail(row);
            history.Add(new ModelVersionSummary(detail.Info, row.Removed ? ["Model removed"] : detail.Model.DiffFrom(previous, names).Select(c => c.Field).ToList()));
            previous = detail.Model;
        }

        history.Reverse();
        return history;
    }

    /// <summary>One version (of any model) with its model, null when there is no such version.</summary>
    public async Task<ModelVersionDetail?> GetAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == version, cancellationToken);
        return row is null ? null : Detail(row);
    }

    /// <summary>The default model's newest version with its model, null in a store nobody initialized.</summary>
    public Task<ModelVersionDetail?> GetLatestAsync(CancellationToken cancellationToken = default) =>
        GetLatestAsync(ModelKey.Default, cancellationToken);

    /// <summary>One model's newest version (a removal included), null when the model was never saved.</summary>
    public async Task<ModelVersionDetail?> GetLatestAsync(ModelKey key, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await LatestRowAsync(db, key, cancellationToken);
        return row is null ? null : Detail(row);
    }

    /// <summary>
    /// What changed in <paramref name="version"/> field by field, from <paramref name="comparedWith"/> when given
    /// (any other version, older or newer), else from the version of the same model before it (the first version is
    /// compared with the built-in defaults). Event types are named by their display names. Null when either version
    /// does not exist.
    /// </summary>
    public async Task<ModelVersionDiff?> DiffAsync(int version, int? comparedWith = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == version, cancellationToken);
        if (current is null)
        {
            return null;
        }

        ScoringModelVersion? before;
        if (comparedWith is { } other)
        {
            before = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == other, cancellationToken);
            if (before is null)
            {
                return null;
            }
        }
        else
        {
            before = await db.ModelVersions.AsNoTracking().Where(v => v.ModelKey == current.ModelKey && v.Id < version)
                .OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
        }

        var names = await EventTypeNamesAsync(db, cancellationToken);
        var now = Detail(current);
        var then = before is null ? null : Detail(before);
        return new ModelVersionDiff(now.Info, then?.Info, now.Model.DiffFrom(then?.Model ?? ScoringModel.Default, names));
    }

    /// <summary>
    /// Saves <paramref name="draft"/> as the default model's next version, or refuses (nothing is written) when the
    /// draft or the comment is invalid, nothing changed, or someone saved a newer version than <paramref name="baseVersion"/>.
    /// On success the scores of every page and the history are re-scored in the background (<see cref="SaveResult.Rescored"/>).
    /// </summary>
    public Task<SaveResult> SaveAsync(ScoringModel draft, int baseVersion, string? who, string? comment, CancellationToken cancellationToken = default) =>
        SaveAsync(ModelKey.Default, draft, baseVersion, who, comment, actor: null, cancellationToken);

    /// <summary>As the other overload; <paramref name="actor"/> (the signed-in member) is who the audit trail records.</summary>
    public Task<SaveResult> SaveAsync(ScoringModel draft, int baseVersion, string? who, string? comment, Actor? actor, CancellationToken cancellationToken = default) =>
        SaveAsync(ModelKey.Default, draft, baseVersion, who, comment, actor, cancellationToken);

    /// <summary>
    /// Saves <paramref name="draft"/> as the next version of model <paramref name="key"/> (creating a segment or
    /// onboarding model when <paramref name="baseVersion"/> is 0 and it has none), refused like the default's save.
    /// The onboarding model must carry its period (<see cref="ScoringModel.OnboardingDays"/>) and no other model may.
    /// </summary>
    public Task<SaveResult> SaveAsync(ModelKey key, ScoringModel draft, int baseVersion, string? who, string? comment, Actor? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = ValidateFor(key, draft);
        var trimmed = comment?.Trim() ?? "";
        if (trimmed.Length < MinCommentLength)
        {
            problems.Add(new("Comment", $"Say in a few words why (at least {MinCommentLength} characters)."));
        }
        else if (trimmed.Length > MaxCommentLength)
        {
            problems.Add(new("Comment", $"Keep the comment under {MaxCommentLength} characters (it has {trimmed.Length})."));
        }

        return SaveCoreAsync(key, draft, baseVersion, who, trimmed, restoredFrom: null, removed: false, problems, actor, cancellationToken);
    }

    /// <summary>
    /// Every rule a model must meet to be saved as <paramref name="key"/>: <see cref="ScoringModel.Validate"/>, the
    /// segment's name, and the onboarding period present exactly on the onboarding model. Shared by the editor,
    /// the import of a model file and the command line, so they refuse with the same messages.
    /// </summary>
    public static List<ModelProblem> ValidateFor(ModelKey key, ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<ModelProblem>(model.Validate());
        if (key.Kind == ModelKind.Segment && (string.IsNullOrWhiteSpace(key.Segment) || key.Segment.Length > MaxSegmentLength))
        {
            problems.Add(new("Segment", $"A segment model needs the segment's name (1-{MaxSegmentLength} characters)."));
        }

        if (key.Kind == ModelKind.Onboarding && model.OnboardingDays is null)
        {
            problems.Add(new(nameof(ScoringModel.OnboardingDays), "The onboarding model needs its onboarding period in days (onboardingDays)."));
        }
        else if (key.Kind != ModelKind.Onboarding && model.OnboardingDays is not null)
        {
            problems.Add(new(nameof(ScoringModel.OnboardingDays), "Only the onboarding model has an onboarding period (onboardingDays)."));
        }

        return problems;
    }

    /// <summary>
    /// Saves the model of <paramref name="version"/> again as a new version of its model (with <c>RestoredFrom</c> set),
    /// refused like a save when <paramref name="baseVersion"/> is no longer that model's newest.
    /// </summary>
    public Task<SaveResult> RestoreAsync(int version, int baseVersion, string? who, string? comment = null, CancellationToken cancellationToken = default) =>
        RestoreAsync(version, baseVersion, who, comment, actor: null, cancellationToken);

    /// <summary>As the other overload; <paramref name="actor"/> (the signed-in member) is who the audit trail records.</summary>
    public async Task<SaveResult> RestoreAsync(int version, int baseVersion, string? who, string? comment, Actor? actor, CancellationToken cancellationToken = default)
    {
        var old = await GetAsync(version, cancellationToken);
        if (old is null)
        {
            return SaveResult.Refused($"There is no version {version}.");
        }

        var text = string.IsNullOrWhiteSpace(comment) ? $"Restored version {version}" : comment.Trim();
        var problems = ValidateFor(old.Info.Key, old.Model);
        if (text.Length > MaxCommentLength)
        {
            problems.Add(new("Comment", $"Keep the comment under {MaxCommentLength} characters (it has {text.Length})."));
        }

        return await SaveCoreAsync(old.Info.Key, old.Model, baseVersion, who, text, restoredFrom: version, removed: false, problems, actor, cancellationToken);
    }

    /// <summary>
    /// Removes a segment or the onboarding model (a new version that records the removal): its accounts return to
    /// the default model (or their segment's) at the next re-score. Refused for the default model, a model that is
    /// not in use, or a stale <paramref name="baseVersion"/>.
    /// </summary>
    public async Task<SaveResult> RemoveAsync(ModelKey key, int baseVersion, string? who, string? comment, Actor? actor, CancellationToken cancellationToken = default)
    {
        if (key.Kind == ModelKind.Default)
        {
            return SaveResult.Refused("The default model cannot be removed.");
        }

        var latest = await GetLatestAsync(key, cancellationToken);
        if (latest is null || latest.Info.Removed)
        {
            return SaveResult.Refused($"There is no {key.DisplayName} to remove.");
        }

        var text = string.IsNullOrWhiteSpace(comment) ? $"Removed the {key.DisplayName}" : comment.Trim();
        var problems = new List<ModelProblem>();
        if (text.Length > MaxCommentLength)
        {
            problems.Add(new("Comment", $"Keep the comment under {MaxCommentLength} characters (it has {text.Length})."));
        }

        return await SaveCoreAsync(key, latest.Model, baseVersion, who, text, restoredFrom: null, removed: true, problems, actor, cancellationToken);
    }

    private async Task<SaveResult> SaveCoreAsync(ModelKey key, ScoringModel model, int baseVersion, string? who, string comment, int? restoredFrom, bool removed, List<ModelProblem> problems, Actor? actor, CancellationToken cancellationToken)
    {
        var name = who?.Trim() ?? "";
        if (name.Length == 0)
        {
            problems.Add(new("SavedBy", "Say who is saving (your name)."));
        }
        else if (name.Length > MaxNameLength)
        {
            problems.Add(new("SavedBy", $"Keep the name under {MaxNameLength} characters."));
        }

        if (problems.Count > 0)
        {
            return SaveResult.Refused("Fix the highlighted fields before saving.", problems);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var newest = await LatestRowAsync(db, key, cancellationToken);
            var newestVersion = newest?.Id ?? 0;
            if (newestVersion > baseVersion)
            {
                return SaveResult.Stale(Detail(newest!).Info);
            }

            if (newestVersion < baseVersion)
            {
                return SaveResult.Refused($"Version {baseVersion} is not the newest version of the {key.DisplayName} (that is {newestVersion}); reload the editor.");
            }

            if (!removed && newest is { Removed: false } && ScoringModel.FromJson(newest.ModelJson).Equals(model))
            {
                return SaveResult.Refused(restoredFrom is { } source
                    ? $"Version {source} is the same model as the current version {newestVersion}; nothing to restore."
                    : $"The draft is the same as version {newestVersion}; nothing to save.");
            }

            // One sequence over every model: the next number after the newest of any model.
            var next = (await db.ModelVersions.MaxAsync(v => (int?)v.Id, cancellationToken) ?? 0) + 1;
            var row = new ScoringModelVersion
            {
                Id = next,
                ModelKey = key.ToString(),
                Removed = removed,
                SavedAt = clock.GetUtcNow().UtcDateTime,
                SavedBy = name,
                Comment = comment,
                ModelJson = model.ToJson(),
                RestoredFrom = restoredFrom,
            };
            db.ModelVersions.Add(row);
            var target = key.Kind == ModelKind.Default ? $"model version {row.Id}" : $"{key} model version {row.Id}";
            var action = removed ? AuditActions.ModelRemove : restoredFrom is null ? AuditActions.ModelSave : AuditActions.ModelRestore;
            db.Audit.Add(AuditLog.NewEntry(actor ?? new Actor(name, "app"), action, target,
                removed ? $"removed: {comment}" : restoredFrom is { } from ? $"restored version {from}: {comment}" : comment, row.SavedAt));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            // With the audit entry the save is two inserts, so EF opens a transaction: busy can come from BEGIN too.
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                logger.LogWarning("Saving model version {Version}: the database is busy", row.Id);
                return SaveResult.Refused($"{char.ToUpperInvariant(DatabaseBusy.Message[0])}{DatabaseBusy.Message[1..]}: nothing was saved. Try again in a moment; your draft is kept.");
            }
            catch (DbUpdateException ex)
            {
                // Someone inserted the same number between our read and our insert: the key refused us.
                logger.LogInformation(ex, "Saving model version {Version} lost a race", row.Id);
                var winner = await GetLatestAsync(key, cancellationToken);
                return winner is not null && winner.Info.Version > baseVersion
                    ? SaveResult.Stale(winner.Info)
                    : SaveResult.Refused("Another model was saved at the same moment; nothing was saved. Save again.");
            }

            logger.LogInformation("{Model} version {Version} saved by {Who}", key, row.Id, name);
            // The worker re-scores in the background; the circuit that saved can wait for the new scores or not.
            rescore.Request();
            return SaveResult.Success(Detail(row).Info, board.WhenScoredWithModelAsync(row.Id));
        }
    }

    private static Task<ScoringModelVersion?> LatestRowAsync(HealthDbContext db, ModelKey key, CancellationToken cancellationToken)
    {
        var name = key.ToString();
        return db.ModelVersions.AsNoTracking().Where(v => v.ModelKey == name).OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private static ModelKey KeyOf(ScoringModelVersion row) => ModelKey.TryParse(row.ModelKey, out var key) ? key : ModelKey.Default;

    private static ModelVersionInfo InfoOf(ScoringModelVersion row) =>
        new(row.Id, row.SavedAt, row.SavedBy, row.Comment, row.RestoredFrom, KeyOf(row), row.Removed);

    /// <summary>Display names of the imported event types by key, so diffs say "Report created", not "report_created".</summary>
    private static async Task<Dictionary<string, string>> EventTypeNamesAsync(HealthDbContext db, CancellationToken cancellationToken) =>
        await db.EventTypes.AsNoTracking().ToDictionaryAsync(e => e.Key, e => e.Name, StringComparer.Ordinal, cancellationToken);

    private static ModelVersionDetail Detail(ScoringModelVersion row) => new(InfoOf(row), ScoringModel.FromJson(row.ModelJson));
}
