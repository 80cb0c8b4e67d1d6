using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Data;

/// <summary>Applies migrations and makes sure the default scoring model exists as version 1.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<HealthDbContext> dbFactory, TimeProvider clock)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the dashboard read while an import writes (PostgreSQL's MVCC does so anyway).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        if (!await db.ModelVersions.AnyAsync(cancellationToken))
        {
            db.ModelVersions.Add(new ScoringModelVersion
            {
                Id = 1,
                SavedAt = clock.GetUtcNow().UtcDateTime,
                SavedBy = "system",
                Comment = "Default model (SCORING.md)",
                ModelJson = ScoringModel.Default.ToJson(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
