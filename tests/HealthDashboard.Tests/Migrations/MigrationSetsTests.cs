using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Migrations;

/// <summary>
/// Both migration sets end at the model the code declares. Several people add migrations in parallel and merge
/// the model snapshots by hand; a snapshot that lost or duplicated a change would make the next
/// <c>dotnet ef migrations add</c> emit it again (or drop it), so this checks the merge, with no database needed.
/// </summary>
public sealed class MigrationSetsTests
{
    [Fact]
    public void The_sqlite_migrations_match_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model snapshot differs from the model: regenerate the newest migration.");
    }

    [Fact]
    public void The_postgres_migrations_match_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "The PostgreSQL model snapshot differs from the model: regenerate the newest migration.");
    }
}
