using HealthDashboard.Data;
using HealthDashboard.Extensions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HealthDashboard.Tests.Cli;

/// <summary>
/// A migrated SQLite database in a temporary file, with the same core services the command line builds
/// (AddHealthDashboardCore), so tests can fill it through the DbContext and then run verbs with <c>--db</c>.
/// </summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly IHost host;

    private TempDatabase(string directory, IHost host)
    {
        Directory = directory;
        this.host = host;
    }

    /// <summary>The folder holding the database (and anything else a test writes).</summary>
    public string Directory { get; }

    /// <summary>The database file, for <c>--db</c>.</summary>
    public string Path => System.IO.Path.Combine(Directory, "health.db");

    public IServiceProvider Services => host.Services;

    public IDbContextFactory<HealthDbContext> DbFactory => Services.GetRequiredService<IDbContextFactory<HealthDbContext>>();

    /// <summary>Creates the file, applies the migrations and saves the default model as version 1.</summary>
    public static async Task<TempDatabase> CreateAsync(bool initialize = true)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hd-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddHealthDashboardCore(System.IO.Path.Combine(directory, "health.db"));
        var database = new TempDatabase(directory, builder.Build());
        if (initialize)
        {
            await database.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }

        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
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
}
