using System.Globalization;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scoring;
using HealthDashboard.Tasks;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Timeline;

/// <summary>What a timeline entry is about (the filter chips).</summary>
public enum TimelineKind
{
    Note,
    Band,
    Alert,
    Task,
    Override,
    Model,
    Import,
}

/// <summary>Which way an entry went, for its icon and colour.</summary>
public enum TimelineTone
{
    Neutral,
    Good,
    Warning,
    Bad,
}

/// <summary>
/// One thing that happened to an account: when, who (null: the dashboard itself), one plain sentence, an optional
/// link, and for a note the note itself (the page offers edit and delete from it).
/// </summary>
public sealed record TimelineEntry(TimelineKind Kind, DateTime At, string? Who, string Text, TimelineTone Tone = TimelineTone.Neutral, string? Href = null, AccountNote? Note = null);

/// <summary>
/// The account page's timeline (issue 12): band changes (from the daily snapshots), alerts raised, acknowledged and
/// cleared, imports that touched the account (<see cref="ImportBatchAccount"/>, recorded at import), saves of the
/// models that apply to it, overrides set, ended and expired, tasks created and closed (only those the member may
/// see, as on the tasks panel), and notes, newest first. Everything is one account's rows, read in one context.
/// </summary>
public sealed class AccountTimeline(IDbContextFactory<HealthDbContext> dbFactory)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The entries of the account with external id <paramref name="accountId"/>, newest first; empty when there is no
    /// such account. <paramref name="modelKey"/> is the model that scores it now (its onboarding or segment model);
    /// <paramref name="now"/> the as-of time (an override whose end has passed by then has expired).
    /// </summary>
    public async Task<IReadOnlyList<TimelineEntry>> ForAccountAsync(
        string accountId, SignedInMember member, ModelKey modelKey, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.ExternalId == accountId, cancellationToken);
        if (account is null)
        {
            return [];
        }

        var entries = new List<TimelineEntry>();
        entries.AddRange(await BandChangesAsync(db, account.Id, cancellationToken));
        entries.AddRange(await AlertsAsync(db, account.Id, cancellationToken));
        entries.AddRange(await ImportsAsync(db, account.Id, cancellationToken));
        entries.AddRange(await ModelSavesAsync(db, ModelKeysOf(account, modelKey), cancellationToken));
        entries.AddRange(await OverridesAsync(db, account.Id, now, cancellationToken));
        entries.AddRange(await TasksAsync(db, account, member, cancellationToken));
        entries.AddRange(await NotesAsync(db, account.Id, cancellationToken));
        return [.. entries.OrderByDescending(e => e.At).ThenBy(e => e.Kind)];
    }

    /// <summary>The stored model names whose saves change this account's score: the default, its segment's and the one scoring it now.</summary>
    internal static IReadOnlyList<string> ModelKeysOf(Account account, ModelKey current)
    {
        var keys = new List<string> { ModelKey.Default.ToString(), current.ToString() };
        if (!string.IsNullOrEmpty(account.Segment))
        {
            keys.Add(ModelKey.ForSegment(account.Segment).ToString());
        }

        return [.. keys.Distinct(StringComparer.Ordinal)];
    }

    private static async Task<IEnumerable<TimelineEntry>> BandChangesAsync(HealthDbContext db, int accountId, CancellationToken cancellationToken)
    {
        var days = await db.SnapshotsOf(accountId).AsNoTracking().OrderBy(s => s.Day)
            .Select(s => new { s.Day, s.Band, s.Health }).ToListAsync(cancellationToken);
        var entries = new List<TimelineEntry>();
        for (var i = 1; i < days.Count; i++)
        {
            var (before, after) = ((Band)days[i - 1].Band, (Band)days[i].Band);
            if (before == after)
            {
                continue;
            }

            // Band values run green (0) to red: a smaller value is healthier.
            var rose = after < before;
            entries.Add(new TimelineEntry(TimelineKind.Band, days[i].Day, null,
                $"{(rose ? "Rose" : "Fell")} from {Name(before)} to {Name(after)} (health {days[i].Health.ToString("0", Invariant)}).",
                rose ? TimelineTone.Good : after == Band.Red ? TimelineTone.Bad : TimelineTone.Warning));
        }

        return entries;
    }

    private static async Task<IEnumerable<TimelineEntry>> AlertsAsync(HealthDbContext db, int accountId, CancellationToken cancellationToken)
    {
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.AccountId == accountId)
            .Select(a => new { a.OpenedAt, a.Message, a.AcknowledgedAt, a.AcknowledgedBy, a.ClearedAt, Rule = a.Rule!.Name })
            .ToListAsync(cancellationToken);
        var entries = new List<TimelineEntry>();
        foreach (var alert in alerts)
        {
            entries.Add(new(TimelineKind.Alert, alert.OpenedAt, null, $"Alert \u201c{alert.Rule}\u201d raised: {alert.Message}.", TimelineTone.Bad, "alerts"));
            if (alert.AcknowledgedAt is { } acknowledged)
            {
                entries.Add(new(TimelineKind.Alert, acknowledged, alert.AcknowledgedBy, $"Alert \u201c{alert.Rule}\u201d acknowledged.", TimelineTone.Neutral, "alerts"));
            }

            if (alert.ClearedAt is { } cleared)
            {
                entries.Add(new(TimelineKind.Alert, cleared, null, $"Alert \u201c{alert.Rule}\u201d cleared: the condition no longer holds.", TimelineTone.Good, "alerts"));
            }
        }

        return entries;
    }

    private static async Task<IEnumerable<TimelineEntry>> ImportsAsync(HealthDbContext db, int accountId, CancellationToken cancellationToken)
    {
        var batches = await db.ImportBatchAccounts.AsNoTracking().Where(t => t.AccountId == accountId)
            .Join(db.ImportBatches, t => t.ImportBatchId, b => b.Id, (t, b) => new { b.Id, b.ImportedAt, b.ImportedBy, b.Source, b.Summary })
            .ToListAsync(cancellationToken);
        return batches.Select(b => new TimelineEntry(TimelineKind.Import, b.ImportedAt, b.ImportedBy,
            $"Import {b.Id} ({b.Source}) brought data for this account: {b.Summary.TrimEnd('.')}.", TimelineTone.Neutral, "import"));
    }

    private static async Task<IEnumerable<TimelineEntry>> ModelSavesAsync(HealthDbContext db, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var versions = await db.ModelVersions.AsNoTracking().Where(v => keys.Contains(v.ModelKey))
            .Select(v => new { v.Id, v.ModelKey, v.SavedAt, v.SavedBy, v.Comment, v.Removed, v.RestoredFrom })
            .ToListAsync(cancellationToken);
        return versions.Select(v =>
        {
            var model = ModelKey.TryParse(v.ModelKey, out var key) ? key.DisplayName : v.ModelKey;
            var what = v.Removed ? $"{model} removed (version {v.Id}); its accounts return to the default model"
                : v.RestoredFrom is { } from ? $"{model} version {v.Id} restored from version {from}"
                : $"{model} version {v.Id} saved";
            var comment = string.IsNullOrWhiteSpace(v.Comment) ? "." : $": {v.Comment.Trim().TrimEnd('.')}.";
            return new TimelineEntry(TimelineKind.Model, v.SavedAt, v.SavedBy, what + comment, TimelineTone.Neutral, $"model/versions/{v.Id}");
        });
    }

    private static async Task<IEnumerable<TimelineEntry>> OverridesAsync(HealthDbContext db, int accountId, DateTime now, CancellationToken cancellationToken)
    {
        var overrides = await db.Overrides.AsNoTracking().Where(o => o.AccountId == accountId).ToListAsync(cancellationToken);
        var entries = new List<TimelineEntry>();
        foreach (var o in overrides)
        {
            var value = o.Value.ToString("0.##", Invariant);
            entries.Add(new(TimelineKind.Override, o.SetAt, o.SetBy,
                $"Health overridden to {value} from {Day(o.From)} until {Day(o.Until)}: {o.Reason}", TimelineTone.Warning));
            if (o.EndedAt is { } ended && ended < o.Until)
            {
                entries.Add(new(TimelineKind.Override, ended, o.EndedBy, $"Override to {value} ended before {Day(o.Until)}; the model's score counts again."));
            }
            else if (o.Until <= now)
            {
                entries.Add(new(TimelineKind.Override, o.Until, null, $"Override to {value} expired; the model's score counts again."));
            }
        }

        return entries;
    }

    private static async Task<IEnumerable<TimelineEntry>> TasksAsync(HealthDbContext db, Account account, SignedInMember member, CancellationToken cancellationToken)
    {
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.AccountId == account.ExternalId).ToListAsync(cancellationToken);
        var entries = new List<TimelineEntry>();
        foreach (var task in tasks.Where(t => TaskStore.MaySee(member, t.AssigneeEmail, account.Owner)))
        {
            entries.Add(new(TimelineKind.Task, task.CreatedAt, task.CreatedBy,
                $"Task \u201c{task.Title}\u201d created for {task.AssigneeName}, due {Day(task.DueDate)}."));
            if (task.ClosedAt is { } closed)
            {
                entries.Add(task.Status == AccountTaskStatus.Done
                    ? new(TimelineKind.Task, closed, task.ClosedBy, $"Task \u201c{task.Title}\u201d done.", TimelineTone.Good)
                    : new(TimelineKind.Task, closed, task.ClosedBy, $"Task \u201c{task.Title}\u201d closed as won't do: {task.Reason}", TimelineTone.Warning));
            }
        }

        return entries;
    }

    private static async Task<IEnumerable<TimelineEntry>> NotesAsync(HealthDbContext db, int accountId, CancellationToken cancellationToken)
    {
        var notes = await db.Notes.AsNoTracking().Where(n => n.AccountId == accountId).ToListAsync(cancellationToken);
        return notes.Select(n => n.DeletedAt is { } deleted
            ? new TimelineEntry(TimelineKind.Note, deleted, n.DeletedBy,
                $"Note deleted by {n.DeletedBy} (written by {n.AuthorName} on {Day(n.CreatedAt)}; its text is kept in the audit trail).")
            : new TimelineEntry(TimelineKind.Note, n.CreatedAt, n.AuthorName, n.Text, Note: n));
    }

    private static string Name(Band band) => band.ToString().ToLowerInvariant();

    private static string Day(DateTime time) => time.ToString("d MMM yyyy", Invariant);
}
