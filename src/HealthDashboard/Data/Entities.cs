namespace HealthDashboard.Data;

// Entities of the store. Every DateTime is UTC (HealthDbContext converts on read).
// Integer surrogate keys keep the big usage table narrow; the ids of DATA.md are ExternalId.

public sealed class Account
{
    public int Id { get; set; }
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public string? Segment { get; set; }
    public string? Plan { get; set; }
    public int Seats { get; set; }
    public double Mrr { get; set; }
    public DateTime? RenewalDate { get; set; }
    public string? Owner { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ChurnedAt { get; set; }
}

public sealed class AccountUser
{
    public int Id { get; set; }
    public required string ExternalId { get; set; }
    public int AccountId { get; set; }
    public Account? Account { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
    public DateTime? CreatedAt { get; set; }
}

public sealed class EventType
{
    public int Id { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public double Weight { get; set; } = 1;
    public bool KeyFeature { get; set; }
    public bool ValueMoment { get; set; }
}

/// <summary>
/// One usage row as imported. Timestamp is UTC ticks so that the covering index
/// (Timestamp, AccountId, EventTypeId, UserId, Count) answers a window scan on its own.
/// </summary>
public sealed class UsageEvent
{
    public long Id { get; set; }
    public int AccountId { get; set; }
    public int? UserId { get; set; }
    public int EventTypeId { get; set; }
    public long Timestamp { get; set; }
    public int Count { get; set; } = 1;
}

/// <summary>
/// The daily roll-up of <see cref="UsageEvent"/> rows (table <c>UsageDaily</c>, kept by <see cref="UsageRollup"/>
/// in the same transaction as the rows): one row per UTC day, account, event type, user and "exactly at
/// midnight or not", with the summed count and the latest timestamp. See <see cref="UsageRollup"/> for why
/// midnight rows have a group of their own and why one group can stand for its raw rows in scoring.
/// </summary>
public sealed class UsageDay
{
    /// <summary>UTC day number: <c>Timestamp / TimeSpan.TicksPerDay</c>.</summary>
    public int Day { get; set; }
    public int AccountId { get; set; }
    public int EventTypeId { get; set; }

    /// <summary>The user, or 0 for account-level rows (user ids start at 1; 0 keeps the key unique without NULLs).</summary>
    public int UserId { get; set; }

    /// <summary>True for the rows exactly at 00:00:00.0000000 of <see cref="Day"/> (date-only exports).</summary>
    public bool AtMidnight { get; set; }

    /// <summary>Sum of the rows' counts.</summary>
    public long Count { get; set; }

    /// <summary>Latest timestamp (ticks) of the rows.</summary>
    public long LastTimestamp { get; set; }
}

public sealed class Ticket
{
    public int Id { get; set; }
    public required string ExternalId { get; set; }
    public int AccountId { get; set; }
    public DateTime OpenedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? Priority { get; set; }
    public bool Escalated { get; set; }
    public int? Satisfaction { get; set; }
}

public sealed class SurveyResponse
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public int? UserId { get; set; }
    public DateTime RespondedAt { get; set; }

    /// <summary><c>NPS</c> or <c>CSAT</c>.</summary>
    public required string Kind { get; set; }
    public double Score { get; set; }
}

public sealed class RevenueRecord
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public DateTime Date { get; set; }
    public double Mrr { get; set; }
}

/// <summary>One import (a folder, an API batch or the demo generator) and what it brought.</summary>
public sealed class ImportBatch
{
    public int Id { get; set; }
    public DateTime ImportedAt { get; set; }
    public required string Source { get; set; }

    /// <summary>Who imported: a member's email, <c>api-key:NAME</c> or <c>cli</c> (null before sign-in existed).</summary>
    public string? ImportedBy { get; set; }
    public required string Summary { get; set; }

    /// <summary>The <c>Idempotency-Key</c> of the API call that brought the batch: a retry with it gets this batch's result.</summary>
    public string? IdempotencyKey { get; set; }

    public List<ImportedFile> Files { get; set; } = [];
}

/// <summary>
/// An import that was refused (nothing else changed): when, from where, the files given and why, so the
/// Import page's history shows failed attempts beside the imports that went in.
/// </summary>
public sealed class FailedImport
{
    /// <summary>Most problems kept per attempt; <see cref="ProblemCount"/> has the total.</summary>
    public const int MaxProblemsKept = 20;

    public int Id { get; set; }
    public DateTime AttemptedAt { get; set; }
    public required string Source { get; set; }

    /// <summary>The file names given, comma-separated.</summary>
    public required string Files { get; set; }

    public int ProblemCount { get; set; }

    /// <summary>The first <see cref="MaxProblemsKept"/> problems, one a line, as <c>file:line: column: message</c>.</summary>
    public required string Problems { get; set; }
}

/// <summary>A file whose exact content was imported; its SHA-256 refuses a second import.</summary>
public sealed class ImportedFile
{
    public int Id { get; set; }
    public int ImportBatchId { get; set; }
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public int Rows { get; set; }
    public DateTime ImportedAt { get; set; }
}

/// <summary>
/// A saved version of one scoring model (the default, a segment's or the onboarding model). Version numbers are
/// one sequence over every model, unique and consecutive: a save inserts the newest + 1, so two saves at once
/// cannot both succeed, and a version number names one model's version everywhere (snapshots, the score board).
/// </summary>
public sealed class ScoringModelVersion
{
    /// <summary>Version number (1 is the default model).</summary>
    public int Id { get; set; }

    /// <summary>Which model: <c>default</c>, <c>segment:NAME</c> or <c>onboarding</c> (<see cref="Scoring.ModelKey"/>).</summary>
    public string ModelKey { get; set; } = "default";

    /// <summary>True for the version that removed a segment or onboarding model (its accounts return to the default).</summary>
    public bool Removed { get; set; }
    public DateTime SavedAt { get; set; }
    public required string SavedBy { get; set; }
    public string? Comment { get; set; }
    public required string ModelJson { get; set; }

    /// <summary>The version this one was restored from, if it is a restore.</summary>
    public int? RestoredFrom { get; set; }
}

/// <summary>
/// An account's score in the daily snapshot (as of 00:00 UTC of <see cref="Day"/>): everything the account page and
/// the <c>history</c> verb show for that day, so a trend never re-scores. Indicator scores and raw values are null
/// when the indicator is missing (SCORING.md).
/// </summary>
public sealed class ScoreSnapshot
{
    public DateTime Day { get; set; }
    public int AccountId { get; set; }

    /// <summary>The version of the model that scored this account.</summary>
    public int ModelVersion { get; set; }
    public double Health { get; set; }
    public byte Grade { get; set; }
    public byte Band { get; set; }

    /// <summary>The MRR shown that day (the latest revenue entry at or before it, else the account's).</summary>
    public double Mrr { get; set; }

    public double? Engagement { get; set; }
    public double? Breadth { get; set; }
    public double? Depth { get; set; }
    public double? Frequency { get; set; }
    public double? Recency { get; set; }
    public double? Support { get; set; }
    public double? Sentiment { get; set; }
    public double? Growth { get; set; }
    public double? EngagementRaw { get; set; }
    public double? BreadthRaw { get; set; }
    public double? DepthRaw { get; set; }
    public double? FrequencyRaw { get; set; }
    public double? RecencyRaw { get; set; }
    public double? SupportRaw { get; set; }
    public double? SentimentRaw { get; set; }
    public double? GrowthRaw { get; set; }

    /// <summary>
    /// The custom indicators of the account's model (score, metric value and time by key), as
    /// <c>Scores/SnapshotCustomScores</c> writes them; null when its model had none (or for a row stored before they were kept).
    /// </summary>
    public string? CustomScores { get; set; }
}

/// <summary>
/// One snapshot day as a whole: the store version (newest import batch and model version) it was scored at. A day
/// whose version differs from the store's is stale and re-scored by the back-fill; readers fall back to scoring it.
/// </summary>
public sealed class SnapshotDay
{
    public DateTime Day { get; set; }
    public int ImportBatch { get; set; }
    public int ModelVersion { get; set; }
    public DateTime ScoredAt { get; set; }

    /// <summary>Scored accounts that day, their average health and how many were in each band (the portfolio trend).</summary>
    public int Accounts { get; set; }
    public double AverageHealth { get; set; }
    public int Green { get; set; }
    public int Yellow { get; set; }
    public int Red { get; set; }
}

/// <summary>What an <see cref="AlertRule"/> watches for (see <c>Alerts/AlertConditions</c>).</summary>
public enum AlertKind
{
    /// <summary>The account is in <see cref="AlertRule.Band"/>.</summary>
    InBand,

    /// <summary>Health fell at least <see cref="AlertRule.Threshold"/> points below its highest of the last <see cref="AlertRule.Days"/> days.</summary>
    HealthDrop,

    /// <summary>Renews within <see cref="AlertRule.Days"/> days while yellow or red.</summary>
    RenewalAtRisk,

    /// <summary>No usage for <see cref="AlertRule.Days"/> days.</summary>
    NoUsage,

    /// <summary><see cref="AlertRule.Indicator"/> is below <see cref="AlertRule.Threshold"/>.</summary>
    IndicatorBelow,
}

/// <summary>An alert rule an admin defined; evaluated against every scored account after each re-score.</summary>
public sealed class AlertRule
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public AlertKind Kind { get; set; }

    /// <summary>The band of <see cref="AlertKind.InBand"/> (a <c>Scoring.Band</c> value).</summary>
    public byte? Band { get; set; }

    /// <summary>Points (<see cref="AlertKind.HealthDrop"/>) or score (<see cref="AlertKind.IndicatorBelow"/>).</summary>
    public double? Threshold { get; set; }

    /// <summary>Days of <see cref="AlertKind.HealthDrop"/>, <see cref="AlertKind.RenewalAtRisk"/> and <see cref="AlertKind.NoUsage"/>.</summary>
    public int? Days { get; set; }

    /// <summary>The indicator of <see cref="AlertKind.IndicatorBelow"/> (a <c>Scoring.Indicator</c> value).</summary>
    public byte? Indicator { get; set; }

    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>Where new alerts of this rule are POSTed (Slack-compatible JSON); null: no webhook.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key of the webhook's signature header.</summary>
    public string? WebhookSecret { get; set; }

    public DateTime? LastDeliveryAt { get; set; }

    /// <summary>The last delivery's outcome: "200 OK", or why it failed after its retries.</summary>
    public string? LastDeliveryResult { get; set; }
    public bool LastDeliveryFailed { get; set; }
}

/// <summary>
/// One account meeting one rule's condition: opened when it starts, cleared when it stops (never a second open alert
/// of the same rule and account meanwhile). Acknowledging or snoozing only changes who still needs to look.
/// </summary>
public sealed class Alert
{
    public int Id { get; set; }
    public int RuleId { get; set; }
    public AlertRule? Rule { get; set; }
    public int AccountId { get; set; }
    public Account? Account { get; set; }
    public DateTime OpenedAt { get; set; }

    /// <summary>What was found, in words ("Health 34 (red)").</summary>
    public required string Message { get; set; }
    public DateTime? ClearedAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }

    /// <summary>Hidden from the inbox and the badge until this time.</summary>
    public DateTime? SnoozedUntil { get; set; }
}

/// <summary>A saved Accounts or Users view: a name for the query string the page's filter writes (issue 16).</summary>
public sealed class SavedView
{
    public int Id { get; set; }

    /// <summary>The page's route, <c>accounts</c> or <c>users</c>.</summary>
    public required string Page { get; set; }
    public required string Name { get; set; }

    /// <summary>Exactly what the page's filter writes to the URL (no leading <c>?</c>, first page).</summary>
    public required string Query { get; set; }

    /// <summary>The email of the member who saved it (lower case).</summary>
    public required string OwnerEmail { get; set; }

    /// <summary>The owner's display name when saved, for "shared by".</summary>
    public required string OwnerName { get; set; }

    /// <summary>True when the whole team sees it (and it appears in the navigation drawer).</summary>
    public bool Shared { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A member's default view of a page: opened when they come to the page without a query.</summary>
public sealed class SavedViewDefault
{
    public required string MemberEmail { get; set; }
    public required string Page { get; set; }
    public int SavedViewId { get; set; }
    public SavedView? SavedView { get; set; }
}

/// <summary>
/// A CS manager's override of an account's health (SCORING.md "Overrides"): value V from <see cref="From"/> until
/// <see cref="Until"/> (at most 90 days later). Active at T when From &lt;= T &lt; Until and not ended before T.
/// </summary>
public sealed class AccountOverride
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public double Value { get; set; }
    public required string Reason { get; set; }
    public DateTime From { get; set; }
    public DateTime Until { get; set; }
    public required string SetBy { get; set; }
    public DateTime SetAt { get; set; }

    /// <summary>When it was ended early (it is not active at or after this time), null unless ended.</summary>
    public DateTime? EndedAt { get; set; }
    public string? EndedBy { get; set; }
}

/// <summary>A row of <c>metrics.csv</c>: an account metric's value at a time (appended; the id orders rows of equal times).</summary>
public sealed class MetricValue
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public required string Metric { get; set; }
    public DateTime Time { get; set; }
    public double Value { get; set; }
}

/// <summary>Where a task stands.</summary>
public enum AccountTaskStatus
{
    Open = 0,
    Done = 1,
    WontDo = 2,
}

/// <summary>A piece of work on an account (issue 16): made by hand or by a playbook; closed, never deleted.</summary>
public sealed class AccountTask
{
    public int Id { get; set; }

    /// <summary>The account's id as DATA.md spells it (<c>ACC-1</c>).</summary>
    public required string AccountId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public DateTime DueDate { get; set; }

    /// <summary>The assignee's email (lower case) and display name.</summary>
    public required string AssigneeEmail { get; set; }
    public required string AssigneeName { get; set; }
    public AccountTaskStatus Status { get; set; }

    /// <summary>Why it was not done (required for <see cref="AccountTaskStatus.WontDo"/>).</summary>
    public string? Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime? ClosedAt { get; set; }

    /// <summary>The playbook trigger that made it (<c>playbook-id:account</c>), null for a task made by hand.</summary>
    public string? Source { get; set; }

    /// <summary>The alert whose opening made it (a playbook triggered by an alert rule), null otherwise.</summary>
    public int? AlertId { get; set; }
}

/// <summary>A comment on a task.</summary>
public sealed class TaskComment
{
    public int Id { get; set; }
    public int TaskId { get; set; }
    public required string Author { get; set; }
    public DateTime At { get; set; }
    public required string Text { get; set; }
}

/// <summary>What starts a <see cref="Playbook"/> for an account (see <c>Tasks/PlaybookService</c>).</summary>
public enum PlaybookTrigger
{
    /// <summary>An alert of <see cref="Playbook.AlertRuleId"/> opens for the account (held while it stays open).</summary>
    AlertRule,

    /// <summary>The account is in <see cref="Playbook.Band"/>.</summary>
    EntersBand,

    /// <summary>The account renews within <see cref="Playbook.Days"/> days while yellow or red.</summary>
    RenewalAtRisk,

    /// <summary>The account's active override expires within <see cref="Playbook.Days"/> days.</summary>
    OverrideExpires,
}

/// <summary>
/// A playbook an admin defined (issue 16): a trigger and the tasks to create when it fires for an account.
/// Turned off rather than deleted once it has fired, so its tasks keep a name to point to.
/// </summary>
public sealed class Playbook
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public PlaybookTrigger Trigger { get; set; }

    /// <summary>The rule of <see cref="PlaybookTrigger.AlertRule"/>.</summary>
    public int? AlertRuleId { get; set; }

    /// <summary>The band of <see cref="PlaybookTrigger.EntersBand"/> (a <c>Scoring.Band</c> value).</summary>
    public byte? Band { get; set; }

    /// <summary>Days of <see cref="PlaybookTrigger.RenewalAtRisk"/> and <see cref="PlaybookTrigger.OverrideExpires"/>.</summary>
    public int? Days { get; set; }

    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>The tasks it creates, in <see cref="PlaybookTaskTemplate.Position"/> order.</summary>
    public List<PlaybookTaskTemplate> Tasks { get; set; } = [];
}

/// <summary>A task a playbook creates: due <see cref="DueInDays"/> after the as-of time it fired at.</summary>
public sealed class PlaybookTaskTemplate
{
    public int Id { get; set; }
    public int PlaybookId { get; set; }
    public int Position { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public int DueInDays { get; set; }

    /// <summary>A named member's email (lower case); null: the account's owner.</summary>
    public string? AssigneeEmail { get; set; }
    public string? AssigneeName { get; set; }
}

/// <summary>
/// One playbook firing for one account: opened (and its tasks created) when the trigger starts to hold, cleared when
/// it stops; never a second open firing of the same playbook and account, so tasks are made once per episode.
/// </summary>
public sealed class PlaybookFiring
{
    public int Id { get; set; }
    public int PlaybookId { get; set; }

    /// <summary>The account's id as DATA.md spells it (<c>ACC-1</c>).</summary>
    public required string AccountId { get; set; }
    public DateTime FiredAt { get; set; }
    public DateTime? ClearedAt { get; set; }

    /// <summary>The alert that fired it (<see cref="PlaybookTrigger.AlertRule"/>), null otherwise.</summary>
    public int? AlertId { get; set; }
}

/// <summary>A tag on an account (issue 16): free text, shown as a chip, filterable; adding and removing is audited.</summary>
public sealed class AccountTag
{
    /// <summary>The account's id as DATA.md spells it (<c>ACC-1</c>).</summary>
    public required string AccountId { get; set; }
    public required string Tag { get; set; }
    public required string AddedBy { get; set; }
    public DateTime AddedAt { get; set; }
}

/// <summary>
/// A CS manager's note on an account (issue 12): plain text, editable by its author for
/// <c>NoteStore.EditMinutes</c> after it was written. Deleting keeps the row (who and when, the text cleared) so the
/// timeline can say "note deleted by X"; the text itself goes to the audit trail.
/// </summary>
public sealed class AccountNote
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public required string Text { get; set; }

    /// <summary>The author's email (lower case): who may edit it.</summary>
    public required string AuthorEmail { get; set; }

    /// <summary>The author's display name when written.</summary>
    public required string AuthorName { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? EditedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    /// <summary>The display name of who deleted it.</summary>
    public string? DeletedBy { get; set; }
}

/// <summary>
/// An account an import touched (a row of any file named it): written in the import's transaction, so the account
/// timeline finds "imports that touched this account" with one indexed read instead of scanning the data.
/// </summary>
public sealed class ImportBatchAccount
{
    public int ImportBatchId { get; set; }
    public int AccountId { get; set; }
}
