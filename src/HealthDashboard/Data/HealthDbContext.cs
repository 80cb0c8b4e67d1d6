using HealthDashboard.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HealthDashboard.Data;

/// <summary>
/// The store: the customer data, scores and models, and (Identity's tables) the team that signs in. This class is
/// the SQLite store and owns the SQLite migrations (Data/Migrations); <see cref="PostgresHealthDbContext"/> is the
/// same model on PostgreSQL with its own migrations (Data/PostgresMigrations). Code always asks for
/// <c>IDbContextFactory&lt;HealthDbContext&gt;</c>, which creates the configured engine's class.
/// </summary>
public class HealthDbContext(DbContextOptions<HealthDbContext> options) : IdentityDbContext<TeamMember>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core's data-protection keys (sign-in cookies, antiforgery): in the store, so every instance shares them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Account> Accounts => Set<Account>();
    /// <summary>The customers' users (hides Identity's <c>Users</c>, the team: see <see cref="TeamMembers"/>).</summary>
    public new DbSet<AccountUser> Users => Set<AccountUser>();

    /// <summary>The people who sign in.</summary>
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<EventType> EventTypes => Set<EventType>();
    public DbSet<UsageEvent> Usage => Set<UsageEvent>();

    /// <summary>The daily roll-up of <see cref="Usage"/> (see <see cref="UsageRollup"/>).</summary>
    public DbSet<UsageDay> UsageDaily => Set<UsageDay>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<SurveyResponse> Surveys => Set<SurveyResponse>();
    public DbSet<RevenueRecord> Revenue => Set<RevenueRecord>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<ImportedFile> ImportedFiles => Set<ImportedFile>();
    public DbSet<FailedImport> FailedImports => Set<FailedImport>();
    public DbSet<ScoringModelVersion> ModelVersions => Set<ScoringModelVersion>();
    public DbSet<ScoreSnapshot> Snapshots => Set<ScoreSnapshot>();
    public DbSet<AccountOverride> Overrides => Set<AccountOverride>();
    public DbSet<MetricValue> Metrics => Set<MetricValue>();
    public DbSet<SnapshotDay> SnapshotDays => Set<SnapshotDay>();

    /// <summary>
    /// One account's snapshot rows (of the days from <paramref name="from"/> to <paramref name="to"/> when given), found
    /// day by day on the (day, account) key: <see cref="Snapshots"/> has no index by account, so the days are named
    /// (<c>"Day" IN (SELECT "Day" FROM "SnapshotDays" ...)</c>; every stored snapshot day has its <see cref="SnapshotDay"/>,
    /// written in the same transaction). A join instead let SQLite carry the day range over to the key and scan every
    /// account's rows of those days.
    /// </summary>
    public IQueryable<ScoreSnapshot> SnapshotsOf(int accountId, DateTime? from = null, DateTime? to = null)
    {
        var days = SnapshotDays.AsQueryable();
        if (from is { } first)
        {
            days = days.Where(d => d.Day >= first);
        }

        if (to is { } last)
        {
            days = days.Where(d => d.Day <= last);
        }

        var dayList = days.Select(d => d.Day);
        return Snapshots.Where(s => s.AccountId == accountId && dayList.Contains(s.Day));
    }

    public DbSet<AlertRule> AlertRules => Set<AlertRule>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<SavedViewDefault> SavedViewDefaults => Set<SavedViewDefault>();
    public DbSet<AccountTask> Tasks => Set<AccountTask>();
    public DbSet<TaskComment> TaskComments => Set<TaskComment>();
    public DbSet<AccountNote> Notes => Set<AccountNote>();

    /// <summary>Which accounts each import touched (the account timeline's imports).</summary>
    public DbSet<ImportBatchAccount> ImportBatchAccounts => Set<ImportBatchAccount>();
    public DbSet<Playbook> Playbooks => Set<Playbook>();
    public DbSet<PlaybookTaskTemplate> PlaybookTaskTemplates => Set<PlaybookTaskTemplate>();
    public DbSet<PlaybookFiring> PlaybookFirings => Set<PlaybookFiring>();
    public DbSet<AccountTag> AccountTags => Set<AccountTag>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps no kind: everything stored is UTC, so say so on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ApiKeyRecord>(b =>
        {
            b.HasIndex(k => k.Name).IsUnique();
            b.HasIndex(k => k.Hash).IsUnique();
        });
        builder.Entity<AuditEntry>(b =>
        {
            b.ToTable("AuditTrail");
            b.HasIndex(a => a.At);
            // The newest entry of one action in one index seek: the loader's stamps watch account.owner this way.
            b.HasIndex(a => new { a.Action, a.Id });
        });
        builder.Entity<Account>(b =>
        {
            b.HasIndex(a => a.ExternalId).IsUnique();
        });
        builder.Entity<AccountUser>(b =>
        {
            b.ToTable("AccountUsers");
            b.HasIndex(u => u.ExternalId).IsUnique();
            b.HasIndex(u => u.AccountId);
        });
        builder.Entity<EventType>().HasIndex(e => e.Key).IsUnique();
        builder.Entity<UsageEvent>(b =>
        {
            b.ToTable("Usage");
            // Raw usage is read only by time (the loader's edge days and the refresh's moved day boundary) and by id
            // (the refresh's "rows added since", the newest id); whole days come from the roll-up. No index by
            // account: nothing reads raw usage by account (pages read the roll-up or memory), and a second index in
            // random account order tripled the cost of an insert (measured: 1.4 s of a million-row import against
            // 0.5 s for this one).
            if (Database.IsNpgsql())
            {
                // PostgreSQL: one BRIN index (the min and max of time and of id over each 128 pages) and no B-tree at
                // all, not even the primary key's (migration UsageWithoutIdBtree drops PK_Usage by SQL: the model keeps
                // Id as the key EF tracks rows by). Rows arrive roughly in time order (daily exports, API batches) and
                // always in id order (appended), so a block range spans a few days and a run of ids: a day's read and
                // the refresh's "ids above the last one" visit the few ranges that hold them, as a bitmap heap scan.
                // The B-trees were the cost of a COPY (psql, one million rows, same minute: bare 0.6 s, this index
                // 1.0 s, the primary key and a BRIN over time 2.0 s). Nothing needs the key's B-tree: no query reads
                // one row by id, and no two rows can get one id: the app's writer is PostgresUsageCopy (the importer,
                // the demo generator), which numbers its rows after the newest stored id and the identity sequence
                // and moves the sequence past them, one writer at a time (imports hold the import lock; the demo
                // fills an empty store); an EF insert (the tests' seeding) draws from the same sequence. The newest id, which the key's B-tree found in one step, is read through
                // the sequence (UsageRollup.LastUsageIdAsync). autosummarize has autovacuum summarize each range as it
                // fills, so ranges an import just wrote (which a BRIN scan reads whole until then) stay few.
                b.HasIndex(u => new { u.Timestamp, u.Id }).HasDatabaseName("IX_Usage_TimeAndId").HasMethod("brin").HasStorageParameter("autosummarize", true);
            }
            else
            {
                // SQLite: one covering index in time order, so the edge days' rows are read without touching the
                // table; the CSV and the API append mostly in time order, so it grows at its end.
                b.HasIndex(u => new { u.Timestamp, u.AccountId, u.EventTypeId, u.UserId, u.Count }).HasDatabaseName("IX_Usage_Window");
            }
        });
        builder.Entity<UsageDay>(b =>
        {
            // Day first: the loader's read of a day range is one range of the primary key (a clustered
            // WITHOUT ROWID table on SQLite, see the migration), and the key is the upsert's conflict target.
            b.ToTable("UsageDaily");
            b.HasKey(d => new { d.Day, d.AccountId, d.EventTypeId, d.UserId, d.AtMidnight });
        });
        builder.Entity<Ticket>(b =>
        {
            b.HasIndex(t => t.ExternalId).IsUnique();
            b.HasIndex(t => t.AccountId);
        });
        builder.Entity<SurveyResponse>().HasIndex(s => s.AccountId);
        builder.Entity<RevenueRecord>().HasIndex(r => new { r.AccountId, r.Date });
        builder.Entity<ImportedFile>().HasIndex(f => f.Sha256).IsUnique();
        builder.Entity<FailedImport>().HasIndex(f => f.AttemptedAt);
        builder.Entity<ImportBatch>().HasIndex(b => b.IdempotencyKey).IsUnique();
        builder.Entity<ScoringModelVersion>(b =>
        {
            b.Property(v => v.Id).ValueGeneratedNever();
            b.HasIndex(v => new { v.ModelKey, v.Id });
        });
        builder.Entity<MetricValue>(b =>
        {
            b.HasIndex(m => new { m.AccountId, m.Metric, m.Time });
            b.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AccountOverride>(b =>
        {
            b.HasIndex(o => new { o.AccountId, o.From });
            b.HasOne<Account>().WithMany().HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<SavedView>(b =>
        {
            b.HasIndex(v => new { v.Page, v.OwnerEmail });
            b.HasIndex(v => v.Shared);
        });
        builder.Entity<SavedViewDefault>(b =>
        {
            // Deleting a view drops it as anyone's default.
            b.HasKey(d => new { d.MemberEmail, d.Page });
            b.HasOne(d => d.SavedView).WithMany().HasForeignKey(d => d.SavedViewId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AccountTask>(b =>
        {
            b.HasIndex(t => new { t.AssigneeEmail, t.Status, t.DueDate });
            b.HasIndex(t => new { t.AccountId, t.Status });
            b.HasIndex(t => t.Source);
        });
        builder.Entity<TaskComment>(b =>
        {
            b.HasIndex(c => c.TaskId);
            b.HasOne<AccountTask>().WithMany().HasForeignKey(c => c.TaskId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<AccountNote>(b =>
        {
            b.HasIndex(n => n.AccountId);
            b.HasOne<Account>().WithMany().HasForeignKey(n => n.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ImportBatchAccount>(b =>
        {
            // Account first: the timeline reads one account's batches.
            b.HasKey(t => new { t.AccountId, t.ImportBatchId });
            b.HasOne<ImportBatch>().WithMany().HasForeignKey(t => t.ImportBatchId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Playbook>(b =>
        {
            b.HasMany(p => p.Tasks).WithOne().HasForeignKey(t => t.PlaybookId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AlertRule>().WithMany().HasForeignKey(p => p.AlertRuleId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<PlaybookFiring>(b =>
        {
            // One open firing per playbook and account: a racing evaluation cannot make the tasks twice.
            b.HasIndex(f => new { f.PlaybookId, f.AccountId }).IsUnique().HasFilter("\"ClearedAt\" IS NULL");
            b.HasOne<Playbook>().WithMany().HasForeignKey(f => f.PlaybookId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AccountTag>(b =>
        {
            b.HasKey(t => new { t.AccountId, t.Tag });
            b.HasIndex(t => t.Tag);
        });
        // Keyed by day first and no index by account: the back-fill writes whole days, which land in one place of
        // the key, where an (account, day) index takes each day's rows at one place per account and rewrote most of
        // its pages on every write (several times the cost of the rows). One account's days: SnapshotsOf.
        builder.Entity<ScoreSnapshot>().HasKey(s => new { s.Day, s.AccountId });
        builder.Entity<SnapshotDay>().HasKey(d => d.Day);
        builder.Entity<Alert>(b =>
        {
            // One open alert per rule and account: the database refuses a duplicate even from a racing evaluation.
            b.HasIndex(a => new { a.RuleId, a.AccountId }).IsUnique().HasFilter("\"ClearedAt\" IS NULL");
            b.HasIndex(a => a.AccountId);
            b.HasOne(a => a.Rule).WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne(a => a.Account).WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>
/// <see cref="HealthDbContext"/> on PostgreSQL: the same model, a class of its own only so that EF keeps a second
/// migrations set (Data/PostgresMigrations, <c>--context PostgresHealthDbContext</c>) beside the SQLite one.
/// </summary>
public sealed class PostgresHealthDbContext(DbContextOptions<HealthDbContext> options) : HealthDbContext(options);
