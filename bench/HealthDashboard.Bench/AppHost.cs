using HealthDashboard.Data;
using HealthDashboard.Extensions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthDashboard.Bench;

/// <summary>
/// The app's own service wiring (<c>AddHealthDashboardCore</c>, as the command
/// line builds it) over one database file, with logging off so it does not time the console.
/// </summary>
public sealed class AppHost : IDisposable
{
    private readonly IHost host;

    private AppHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public T Get<T>() where T : notnull => host.Services.GetRequiredService<T>();

    /// <summary>Builds the services and brings the schema up to date (migrations, WAL, default model); a null file: the configured store.</summary>
    public static async Task<AppHost> OpenAsync(string? databaseFile, IDictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        builder.AddHealthDashboardCore(databaseFile);
        var appHost = new AppHost(builder.Build());
        await appHost.Get<DatabaseInitializer>().InitializeAsync();
        if (!SqliteThreadingMode.IsMultiThread)
        {
            // Something opened a SQLite connection before the store's options chose the mode: the figures would be the slower mode's.
            Console.Error.WriteLine("  note: SQLite runs in serialized mode in this process (a connection opened before the app's store options).");
        }

        return appHost;
    }

    public void Dispose()
    {
        host.Dispose();
        // Pooled connections keep the file open; release them so it can be renamed or deleted.
        SqliteConnection.ClearAllPools();
    }
}
