using System.Text;
using HealthDashboard.Data;
using HealthDashboard.Import;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthDashboard.Tests.Import;

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A temporary directory with a SQLite database file (migrated and seeded with model version 1 by
/// <see cref="DatabaseInitializer"/>), an importer over it with a fixed clock, and helpers to write
/// import folders and to fingerprint the whole database.
/// </summary>
internal sealed class ImportTestDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private int _folders;

    private ImportTestDatabase(string directory, ServiceProvider services, FixedClock clock)
    {
        Directory = directory;
        _services = services;
        Clock = clock;
    }

    public string Directory { get; }

    public string DatabaseFile => Path.Combine(Directory, "health.db");

    public FixedClock Clock { get; }

    public FolderImporter Importer => _services.GetRequiredService<FolderImporter>();

    public IDbContextFactory<HealthDbContext> DbFactory => _services.GetRequiredService<IDbContextFactory<HealthDbContext>>();

    public static async Task<ImportTestDatabase> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hd-import-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var clock = new FixedClock(Start);
        var services = new ServiceCollection()
            .AddDbContextFactory<HealthDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "health.db")};Pooling=False"))
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<DatabaseInitializer>()
            .AddSingleton<FolderImporter>()
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new ImportTestDatabase(directory, services, clock);
    }

    /// <summary>Writes the files (name, content; "\n" line ends as written) into a new folder and returns its path.</summary>
    public string Folder(params (string Name, string Content)[] files)
    {
        var folder = Path.Combine(Directory, $"folder{++_folders}");
        System.IO.Directory.CreateDirectory(folder);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), content, new UTF8Encoding(false));
        }

        return folder;
    }

    public Task<ImportResult> ImportAsync(params (string Name, string Content)[] files) =>
        Importer.ImportFolderAsync(Folder(files), "test");

    public async Task<HealthDbContext> DbAsync() => await DbFactory.CreateDbContextAsync();

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
    public Task<string> ChecksumAsync() => DatabaseChecksum.OfFileAsync(DatabaseFile);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
