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

    /// <summary>Every version, newest first.</summary>
    public async Task<IReadOnlyList<ModelVersionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id)
            .Select(v => new ModelVersionInfo(v.Id, v.SavedAt, v.SavedBy, v.Comment, v.RestoredFrom))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Every version, newest first, each with the fields it changed from the one before it (the first: from the defaults).</summary>
    public async Task<IReadOnlyList<ModelVersionSummary>> HistoryAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ModelVersions.AsNoTracking().OrderBy(v => v.Id).ToListAsync(cancellationToken);
        var names = await EventTypeNamesAsync(db, cancellationToken);
        var history = new List<ModelVersionSummary>(rows.Count);
        var previous = ScoringModel.Default;
        foreach (var row in rows)
        {
            var detail = Detail(row);
            history.Add(new ModelVersionSummary(detail.Info, detail.Model.DiffFrom(previous, names).Select(c => c.Field).ToList()));
            previous = detail.Model;
        }

        history.Reverse();
        return history;
    }

    /// <summary>One version with its model, null when there is no such version.</summary>
    public async Task<ModelVersionDetail?> GetAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == version, cancellationToken);
        return row is null ? null : Detail(row);
    }

    /// <summary>The newest version with its model, null in a store nobody initialized.</summary>
    public async Task<ModelVersionDetail?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : Detail(row);
    }

    /// <summary>
    /// What changed in <paramref name="version"/> field by field, from <paramref name="comparedWith"/> when given
    /// (any other version, older or newer), else from the version before it (the first version is compared with
    /// the built-in defaults). Event types are named by their display names. Null when either version does not exist.
    /// </summary>
    public async Task<ModelVersionDiff?> DiffAsync(int version, int? comparedWith = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ModelVersions.AsNoTracking();
        var rows = comparedWith is { } other
            ? await query.Where(v => v.Id == version || v.Id == other).OrderByDescending(v => v.Id == version).ToListAsync(cancellationToken)
            : await query.Where(v => v.Id <= version).OrderByDescending(v => v.Id).Take(2).ToListAsync(cancellationToken);
        if (rows.Count == 0 || rows[0].Id != version || (comparedWith is not null && comparedWith != version && rows.Count < 2))
        {
            return null;
        }

        var current = Detail(rows[0]);
        var before = rows.Count > 1 ? Detail(rows[1]) : comparedWith == version ? current : null;
        var names = await EventTypeNamesAsync(db, cancellationToken);
        return new ModelVersionDiff(current.Info, before?.Info, current.Model.DiffFrom(before?.Model ?? ScoringModel.Default, names));
    }

    /// <summary>
    /// Saves <paramref name="draft"/> as version <paramref name="baseVersion"/> + 1, or refuses (nothing is
    /// written) when the draft or the comment is invalid, nothing changed, or someone saved a newer version.
    /// On success the scores of every page and the history are re-scored in the background
    /// (<see cref="SaveResult.Rescored"/>).
    /// </summary>
    public Task<SaveResult> SaveAsync(ScoringModel draft, int baseVersion, string? who, string? comment, CancellationToken cancellationToken = default) =>
        SaveAsync(draft, baseVersion, who, comment, actor: null, cancellationToken);

    /// <summary>As the other overload; <paramref name="actor"/> (the signed-in member) is who the audit trail records.</summary>
    public Task<SaveResult> SaveAsync(ScoringModel draft, int baseVersion, string? who, string? comment, Actor? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = new List<ModelProblem>(draft.Validate());
        var trimmed = comment?.Trim() ?? "";
        if (trimmed.Length < MinCommentLength)
        {
            problems.Add(new("Comment", $"Say in a few words why (at least {MinCommentLength} characters)."));
        }
        else if (trimmed.Length > MaxCommentLength)
        {
            problems.Add(new("Comment", $"Keep the comment under {MaxCommentLength} characters (it has {trimmed.Length})."));
        }

        return SaveCoreAsync(draft, baseVersion, who, trimmed, restoredFrom: null, problems, actor, cancellationToken);
    }

    /// <summary>
    /// Saves the model of <paramref name="version"/> again as a new version (with <c>RestoredFrom</c> set),
    /// refused like <see cref="SaveAsync(ScoringModel, int, string?, string?, CancellationToken)"/> when <paramref name="baseVersion"/> is no longer the newest.
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
        var problems = new List<ModelProblem>(old.Model.Validate());
        if (text.Length > MaxCommentLength)
        {
            problems.Add(new("Comment", $"Keep the comment under {MaxCommentLength} characters (it has {text.Length})."));
        }

        return await SaveCoreAsync(old.Model, baseVersion, who, text, restoredFrom: version, problems, actor, cancellationToken);
    }

    private async Task<SaveResult> SaveCoreAsync(ScoringModel model, int baseVersion, string? who, string comment, int? restoredFrom, List<ModelProblem> problems, Actor? actor, CancellationToken cancellationToken)
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
            var newest = await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
            var newestVersion = newest?.Id ?? 0;
            if (newestVersion > baseVersion)
            {
                return SaveResult.Stale(Detail(newest!).Info);
            }

            if (newestVersion < baseVersion)
            {
                return SaveResult.Refused($"Version {baseVersion} does not exist (the newest is {newestVersion}); reload the editor.");
            }

            if (newest is not null && ScoringModel.FromJson(newest.ModelJson).Equals(model))
            {
                return SaveResult.Refused(restoredFrom is { } source
                    ? $"Version {source} is the same model as the current version {newestVersion}; nothing to restore."
                    : $"The draft is the same as version {newestVersion}; nothing to save.");
            }

            var row = new ScoringModelVersion
            {
                Id = baseVersion + 1,
                SavedAt = clock.GetUtcNow().UtcDateTime,
                SavedBy = name,
                Comment = comment,
                ModelJson = model.ToJson(),
                RestoredFrom = restoredFrom,
            };
            db.ModelVersions.Add(row);
            db.Audit.Add(AuditLog.NewEntry(actor ?? new Actor(name, "app"), restoredFrom is null ? AuditActions.ModelSave : AuditActions.ModelRestore,
                $"model version {row.Id}", restoredFrom is { } from ? $"restored version {from}: {comment}" : comment, row.SavedAt));
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
                // Someone inserted base + 1 between our check and our insert: the key refused us.
                logger.LogInformation(ex, "Saving model version {Version} lost a race", row.Id);
                var winner = await GetLatestAsync(cancellationToken);
                return winner is not null && winner.Info.Version > baseVersion
                    ? SaveResult.Stale(winner.Info)
                    : throw new InvalidOperationException("Saving the model version failed.", ex);
            }

            logger.LogInformation("Model version {Version} saved by {Who}", row.Id, name);
            // The worker re-scores in the background; the circuit that saved can wait for the new scores or not.
            rescore.Request();
            return SaveResult.Success(Detail(row).Info, board.WhenScoredWithModelAsync(row.Id));
        }
    }

    /// <summary>Display names of the imported event types by key, so diffs say "Report created", not "report_created".</summary>
    private static async Task<Dictionary<string, string>> EventTypeNamesAsync(HealthDbContext db, CancellationToken cancellationToken) =>
        await db.EventTypes.AsNoTracking().ToDictionaryAsync(e => e.Key, e => e.Name, StringComparer.Ordinal, cancellationToken);

    private static ModelVersionDetail Detail(ScoringModelVersion row) =>
        new(new ModelVersionInfo(row.Id, row.SavedAt, row.SavedBy, row.Comment, row.RestoredFrom), ScoringModel.FromJson(row.ModelJson));
}
