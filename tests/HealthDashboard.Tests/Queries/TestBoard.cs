using HealthDashboard.Scores;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthDashboard.Tests.Queries;

/// <summary>
/// A SQLite in-memory store (one open connection, migrated) and a real <see cref="ScoreBoard"/> over it,
/// for tests that publish an in-memory view and read it back through the app's services.
/// </summary>
public sealed class TestBoard : IDisposable
{
    private readonly SqliteConnection connection = new("Data Source=:memory:");

    public TestBoard()
    {
        connection.Open();
        Factory = new ConnectionFactory(new DbContextOptionsBuilder<HealthDbContext>().UseSqlite(connection).Options);
        using (var db = Factory.CreateDbContext())
        {
            db.Database.Migrate();
        }

        Snapshots = new SnapshotStore(Factory);
        Board = new ScoreBoard(new PortfolioLoader(Factory), Snapshots, TimeProvider.System,
            new ConfigurationBuilder().Build(), NullLogger<ScoreBoard>.Instance);
    }

    /// <summary>Contexts over the shared in-memory database.</summary>
    public IDbContextFactory<HealthDbContext> Factory { get; }

    /// <summary>The snapshot store over the same database.</summary>
    public SnapshotStore Snapshots { get; }

    /// <summary>The board; call <c>Publish</c> with a test view.</summary>
    public ScoreBoard Board { get; }

    public void Dispose()
    {
        Board.Dispose();
        connection.Dispose();
    }

    private sealed class ConnectionFactory(DbContextOptions<HealthDbContext> options) : IDbContextFactory<HealthDbContext>
    {
        public HealthDbContext CreateDbContext() => new(options);
    }
}
