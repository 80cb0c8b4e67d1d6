using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HealthDashboard.Data;

public sealed class HealthDbContext(DbContextOptions<HealthDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountUser> Users => Set<AccountUser>();
    public DbSet<EventType> EventTypes => Set<EventType>();
    public DbSet<UsageEvent> Usage => Set<UsageEvent>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<SurveyResponse> Surveys => Set<SurveyResponse>();
    public DbSet<RevenueRecord> Revenue => Set<RevenueRecord>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<ImportedFile> ImportedFiles => Set<ImportedFile>();
    public DbSet<FailedImport> FailedImports => Set<FailedImport>();
    public DbSet<ScoringModelVersion> ModelVersions => Set<ScoringModelVersion>();
    public DbSet<ScoreSnapshot> Snapshots => Set<ScoreSnapshot>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps no kind: everything stored is UTC, so say so on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Account>(b =>
        {
            b.HasIndex(a => a.ExternalId).IsUnique();
        });
        modelBuilder.Entity<AccountUser>(b =>
        {
            b.ToTable("AccountUsers");
            b.HasIndex(u => u.ExternalId).IsUnique();
            b.HasIndex(u => u.AccountId);
        });
        modelBuilder.Entity<EventType>().HasIndex(e => e.Key).IsUnique();
        modelBuilder.Entity<UsageEvent>(b =>
        {
            b.ToTable("Usage");
            b.HasIndex(u => new { u.Timestamp, u.AccountId, u.EventTypeId, u.UserId, u.Count }).HasDatabaseName("IX_Usage_Window");
            b.HasIndex(u => u.AccountId);
        });
        modelBuilder.Entity<Ticket>(b =>
        {
            b.HasIndex(t => t.ExternalId).IsUnique();
            b.HasIndex(t => t.AccountId);
        });
        modelBuilder.Entity<SurveyResponse>().HasIndex(s => s.AccountId);
        modelBuilder.Entity<RevenueRecord>().HasIndex(r => new { r.AccountId, r.Date });
        modelBuilder.Entity<ImportedFile>().HasIndex(f => f.Sha256).IsUnique();
        modelBuilder.Entity<FailedImport>().HasIndex(f => f.AttemptedAt);
        modelBuilder.Entity<ImportBatch>().HasIndex(b => b.IdempotencyKey).IsUnique();
        modelBuilder.Entity<ScoringModelVersion>().Property(v => v.Id).ValueGeneratedNever();
        modelBuilder.Entity<ScoreSnapshot>(b =>
        {
            b.HasKey(s => new { s.Day, s.AccountId });
            b.HasIndex(s => s.AccountId);
        });
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
