using HealthDashboard.Scores;
using HealthDashboard.Data;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.TestData;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthDashboard.Tests.ModelVersions;

/// <summary>
/// A temporary SQLite file holding <see cref="TestPortfolio"/> with its model saved as version 1,
/// and the real services over it: loader, snapshots, score board (pinned to the test as-of time),
/// model store and preview. Dispose deletes the file.
/// </summary>
public sealed class ModelTestStore : IAsyncDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"hd-model-{Guid.NewGuid():N}.db");

    private ModelTestStore(IInterceptor[] interceptors)
    {
        Factory = new TestDbFactory($"Data Source={path}", interceptors);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Scoring:AsOf"] = TestPortfolio.AsOf.ToString("yyyy-MM-ddTHH:mm:ssZ") })
            .Build();
        Board = new ScoreBoard(new PortfolioLoader(Factory), new SnapshotStore(Factory), Clock, configuration, NullLogger<ScoreBoard>.Instance);
        Store = new ModelStore(Factory, Board, Clock, NullLogger<ModelStore>.Instance);
    }

    /// <summary>The time every save is stamped with.</summary>
    public static readonly DateTime SaveTime = new(2026, 6, 30, 14, 5, 0, DateTimeKind.Utc);

    public FixedClock Clock { get; } = new(SaveTime);
    public IDbContextFactory<HealthDbContext> Factory { get; }
    public ScoreBoard Board { get; }
    public ModelStore Store { get; }
    public ModelPreview Preview { get; } = new();

    /// <summary>Creates the store, seeds it and scores it once (the "saved" view).</summary>
    public static async Task<ModelTestStore> CreateAsync(params IInterceptor[] interceptors)
    {
        var store = new ModelTestStore(interceptors);
        await store.SeedAsync();
        await store.Board.RefreshAsync(rescoreHistory: true);
        return store;
    }

    /// <summary>Row counts of every table, to show that something wrote nothing.</summary>
    public async Task<string> RowCountsAsync()
    {
        await using var db = await Factory.CreateDbContextAsync();
        return string.Join(", ",
            $"accounts {await db.Accounts.CountAsync()}",
            $"users {await db.Users.CountAsync()}",
            $"event types {await db.EventTypes.CountAsync()}",
            $"usage {await db.Usage.CountAsync()}",
            $"tickets {await db.Tickets.CountAsync()}",
            $"surveys {await db.Surveys.CountAsync()}",
            $"revenue {await db.Revenue.CountAsync()}",
            $"versions {await db.ModelVersions.CountAsync()}",
            $"newest {await db.ModelVersions.MaxAsync(v => v.Id)}",
            $"snapshots {await db.Snapshots.CountAsync()}",
            $"snapshot versions {string.Join('/', await db.Snapshots.Select(s => s.ModelVersion).Distinct().OrderBy(v => v).ToListAsync())}");
    }

    public async ValueTask DisposeAsync()
    {
        Board.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        await Task.CompletedTask;
    }

    private async Task SeedAsync()
    {
        var data = TestPortfolio.Data();
        await using var db = await Factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        db.ModelVersions.Add(new ScoringModelVersion
        {
            Id = 1,
            SavedAt = TestPortfolio.AsOf.AddDays(-10),
            SavedBy = "system",
            Comment = "Test model",
            ModelJson = TestPortfolio.Model().ToJson(),
        });

        // Entity ids are the data indices + 1, so the loader rebuilds the same portfolio.
        for (var a = 0; a < data.Accounts.Count; a++)
        {
            var x = data.Accounts[a];
            db.Accounts.Add(new Account
            {
                Id = a + 1, ExternalId = x.Id, Name = x.Name, Segment = x.Segment, Plan = x.Plan, Seats = x.Seats, Mrr = x.Mrr,
                RenewalDate = x.RenewalDate, Owner = x.Owner, CreatedAt = x.CreatedAt, ChurnedAt = x.ChurnedAt,
            });
        }

        for (var u = 0; u < data.Users.Count; u++)
        {
            var x = data.Users[u];
            db.Users.Add(new AccountUser { Id = u + 1, ExternalId = x.Id, AccountId = x.AccountIndex + 1, Name = x.Name, Email = x.Email, CreatedAt = x.CreatedAt });
        }

        for (var e = 0; e < data.EventTypeKeys.Count; e++)
        {
            db.EventTypes.Add(new EventType { Id = e + 1, Key = data.EventTypeKeys[e], Name = data.EventTypeNames[e] });
        }

        foreach (var row in data.Usage)
        {
            db.Usage.Add(new UsageEvent
            {
                AccountId = row.AccountIndex + 1, UserId = row.UserIndex >= 0 ? row.UserIndex + 1 : null,
                EventTypeId = row.EventTypeIndex + 1, Timestamp = row.Ticks, Count = row.Count,
            });
        }

        foreach (var t in data.Tickets)
        {
            db.Tickets.Add(new Ticket
            {
                ExternalId = t.Id, AccountId = t.AccountIndex + 1, OpenedAt = t.OpenedAt, ClosedAt = t.ClosedAt,
                Priority = t.Priority, Escalated = t.Escalated, Satisfaction = t.Satisfaction,
            });
        }

        foreach (var s in data.Surveys)
        {
            db.Surveys.Add(new SurveyResponse
            {
                AccountId = s.AccountIndex + 1, UserId = s.UserIndex >= 0 ? s.UserIndex + 1 : null, RespondedAt = s.RespondedAt,
                Kind = s.Kind == SurveyKind.Nps ? "NPS" : "CSAT", Score = s.Score,
            });
        }

        foreach (var r in data.Revenue)
        {
            db.Revenue.Add(new RevenueRecord { Id = (int)r.Sequence, AccountId = r.AccountIndex + 1, Date = r.Date, Mrr = r.Mrr });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>A DbContext per call over one SQLite file, with optional interceptors (a test seam for races).</summary>
    private sealed class TestDbFactory(string connectionString, IInterceptor[] interceptors) : IDbContextFactory<HealthDbContext>
    {
        public HealthDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<HealthDbContext>().UseSqlite(connectionString);
            if (interceptors.Length > 0)
            {
                options.AddInterceptors(interceptors);
            }

            return new HealthDbContext(options.Options);
        }
    }
}

/// <summary>A clock that always says the same time.</summary>
public sealed class FixedClock(DateTime utcNow) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(utcNow, TimeSpan.Zero);
}
