using HealthDashboard.Data;
using HealthDashboard.Extensions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HealthDashboard.TestKit;

/// <summary>
/// The one test database of every test project: a SQLite file in a temporary folder, migrated and holding the
/// default model as version 1, with the product's own services over it (<c>AddHealthDashboardCore</c>, as the
/// web app and the command line wire them), a <see cref="FakeTimeProvider"/> as the clock and in-memory
/// configuration. A file rather than <c>:memory:</c> so that the command line, a second connection (locks)
/// and the checksum see the same database. Dispose deletes the folder.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    /// <summary>Where the fake clock starts unless a test says otherwise.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly IHost host;
    private ScoreBoardWorker? worker;

    private TestStore(string directory, IHost host, StoreOptions database)
    {
        Directory = directory;
        this.host = host;
        Database = database;
    }

    /// <summary>The temporary folder (the database, if SQLite, and anything else a test writes).</summary>
    public string Directory { get; }

    /// <summary>The engine and connection string of this store.</summary>
    public StoreOptions Database { get; }

    /// <summary>The engine of this store.</summary>
    public DatabaseProvider Engine => Database.Provider;

    /// <summary>The database file, for the command line's <c>--db</c> (SQLite stores only).</summary>
    public string DatabaseFile => Engine == DatabaseProvider.Sqlite
        ? Path.Combine(Directory, "health.db")
        : throw new InvalidOperationException("A PostgreSQL test store has no file: use CliArguments / CliConfiguration.");

    /// <summary>What a command-line verb is given to use this store: <c>--db FILE</c> on SQLite, nothing on PostgreSQL (see <see cref="CliConfiguration"/>).</summary>
    public string[] CliArguments => Engine == DatabaseProvider.Sqlite ? ["--db", DatabaseFile] : [];

    /// <summary>The configuration that points the command line (or a second app) at this store: the provider and the connection string.</summary>
    public IReadOnlyDictionary<string, string?> CliConfiguration => new Dictionary<string, string?>
    {
        [StoreOptions.ProviderKey] = Engine.ToString(),
        [$"ConnectionStrings:{StoreOptions.ConnectionName}"] = Database.ConnectionString,
    };

    /// <summary><see cref="CliConfiguration"/> as environment variables (<c>Database__Provider</c>, ...), for a child process.</summary>
    public IReadOnlyDictionary<string, string> CliEnvironment =>
        CliConfiguration.ToDictionary(e => e.Key.Replace(":", "__", StringComparison.Ordinal), e => e.Value!);

    /// <summary>The product's services over this database.</summary>
    public IServiceProvider Services => host.Services;

    /// <summary>The clock every service reads.</summary>
    public FakeTimeProvider Clock => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();

    public IDbContextFactory<HealthDbContext> DbFactory => Get<IDbContextFactory<HealthDbContext>>();

    /// <summary>A service of the product, e.g. <c>Get&lt;FolderImporter&gt;()</c>.</summary>
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Creates the store. <paramref name="configuration"/> is the app's configuration (e.g. <c>Scoring:AsOf</c>);
    /// <paramref name="interceptors"/> join every DbContext; with <paramref name="initialize"/> false the file is
    /// not even created (for tests of a missing or fresh database).
    /// </summary>
    public static Task<TestStore> CreateAsync(
        IDictionary<string, string?>? configuration = null,
        DateTimeOffset? start = null,
        bool initialize = true,
        params IInterceptor[] interceptors) =>
        CreateAsync(DatabaseProvider.Sqlite, configuration, start, initialize, interceptors);

    /// <summary>
    /// Creates the store on <paramref name="engine"/>: a SQLite file, or a fresh database on the PostgreSQL test
    /// server (<see cref="PostgresTestServer"/>; already migrated, so <paramref name="initialize"/> false only skips
    /// the default model there).
    /// </summary>
    public static async Task<TestStore> CreateAsync(
        DatabaseProvider engine,
        IDictionary<string, string?>? configuration = null,
        DateTimeOffset? start = null,
        bool initialize = true,
        params IInterceptor[] interceptors)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hd-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var database = engine == DatabaseProvider.Postgres
            ? new StoreOptions(engine, await PostgresTestServer.CreateDatabaseAsync())
            : new StoreOptions(engine, $"Data Source={Path.Combine(directory, "health.db")}");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(start ?? DefaultStart));
        foreach (var interceptor in interceptors)
        {
            builder.Services.AddSingleton(interceptor);
        }

        builder.Services.AddHealthDashboardCore(database);
        var store = new TestStore(directory, builder.Build(), database);
        if (initialize)
        {
            await store.Get<DatabaseInitializer>().InitializeAsync();
        }

        return store;
    }

    /// <summary>
    /// A store holding <paramref name="data"/> with <paramref name="model"/> saved as version 1, the as-of clock
    /// pinned to <paramref name="asOf"/>. Entity ids are the data indices + 1, so the loader rebuilds the same portfolio.
    /// </summary>
    public static Task<TestStore> CreateWithAsync(PortfolioData data, ScoringModel model, DateTime asOf, DateTimeOffset? start = null, params IInterceptor[] interceptors) =>
        CreateWithAsync(DatabaseProvider.Sqlite, data, model, asOf, start, interceptors);

    /// <summary>The same on <paramref name="engine"/>.</summary>
    public static async Task<TestStore> CreateWithAsync(DatabaseProvider engine, PortfolioData data, ScoringModel model, DateTime asOf, DateTimeOffset? start = null, params IInterceptor[] interceptors)
    {
        var store = await CreateAsync(
            engine, new Dictionary<string, string?> { [AsOfClock.PinKey] = asOf.ToString("yyyy-MM-ddTHH:mm:ssZ") }, start, initialize: false, interceptors);
        await store.SeedAsync(data, model, asOf.AddDays(-10));
        return store;
    }

    /// <summary>
    /// Starts the product's <see cref="ScoreBoardWorker"/> over the store (as the web app runs it) and waits for
    /// its first scores: <see cref="RescoreTrigger"/> requests are then served as in production.
    /// </summary>
    public async Task<PortfolioView> StartScoreBoardWorkerAsync()
    {
        worker = ActivatorUtilities.CreateInstance<ScoreBoardWorker>(Services);
        await worker.StartAsync(CancellationToken.None);
        return await Get<ScoreBoard>().GetAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A new open ADO.NET connection to the store, outside the product's pool (dispose it): for raw SQL in tests.</summary>
    public System.Data.Common.DbConnection OpenConnection()
    {
        System.Data.Common.DbConnection connection = Engine == DatabaseProvider.Postgres
            ? new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(Database.ConnectionString) { Pooling = false }.ToString())
            : new SqliteConnection(new SqliteConnectionStringBuilder(Database.ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>A new context over the store (dispose it).</summary>
    public Task<HealthDbContext> DbAsync() => DbFactory.CreateDbContextAsync();

    /// <summary>Row counts of the data tables, for readable assertions.</summary>
    public async Task<string> CountsAsync()
    {
        await using var db = await DbAsync();
        return $"event types {await db.EventTypes.CountAsync()}, accounts {await db.Accounts.CountAsync()}, users {await db.Users.CountAsync()}, "
            + $"usage {await db.Usage.CountAsync()}, tickets {await db.Tickets.CountAsync()}, surveys {await db.Surveys.CountAsync()}, "
            + $"revenue {await db.Revenue.CountAsync()}, batches {await db.ImportBatches.CountAsync()}, files {await db.ImportedFiles.CountAsync()}, "
            + $"models {await db.ModelVersions.CountAsync()}";
    }

    /// <summary>SHA-256 over every row of every table (rows in a fixed order): equal exactly when the content is equal.</summary>
    public Task<string> ChecksumAsync() => Engine == DatabaseProvider.Postgres
        ? DatabaseChecksum.OfPostgresAsync(Database.ConnectionString)
        : DatabaseChecksum.OfFileAsync(DatabaseFile);

    public async ValueTask DisposeAsync()
    {
        if (worker is not null)
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }

        if (Engine == DatabaseProvider.Postgres)
        {
            await PostgresTestServer.DropDatabaseAsync(Database.ConnectionString);
        }

        // Pooled connections keep the file open; let go of them before deleting.
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>
    /// Rebuilds the daily roll-up from the usage rows a test inserted through EF (<c>db.Usage.Add</c>), as the
    /// importer keeps it in its transaction; scoring reads the roll-up. Call it after <c>SaveChangesAsync</c>.
    /// </summary>
    public static async Task AddUsageRollupAsync(HealthDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        await UsageRollup.RebuildAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction());
    }

    private async Task SeedAsync(PortfolioData data, ScoringModel model, DateTime modelSavedAt)
    {
        await using var db = await DbAsync();
        await db.Database.MigrateAsync();
        db.ModelVersions.Add(new ScoringModelVersion
        {
            Id = 1,
            SavedAt = modelSavedAt,
            SavedBy = "system",
            Comment = "Test model",
            ModelJson = model.ToJson(),
        });

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

        // Sorted by import sequence, so the ids (the loader's import order) keep "the last imported wins".
        foreach (var m in data.Metrics.OrderBy(m => m.Sequence))
        {
            db.Metrics.Add(new MetricValue { AccountId = m.AccountIndex + 1, Metric = m.Metric, Time = new DateTime(m.Ticks, DateTimeKind.Utc), Value = m.Value });
        }

        await db.SaveChangesAsync();
        await AddUsageRollupAsync(db);
        if (db.Database.GetDbConnection() is Npgsql.NpgsqlConnection postgres)
        {
            await PostgresTestServer.ResetIdentitiesAsync(postgres);
        }
        else
        {
            // WAL as the product runs it (DatabaseInitializer), so readers and a writer behave as in production.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}
