using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace HealthDashboard.Data;

/// <summary>The database engines the store runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (or a distributed one such as Citus).</summary>
    Postgres,
}

/// <summary>
/// Which engine the store is on and how to reach it: <c>Database:Provider</c> (<c>Sqlite</c>, the default, or
/// <c>Postgres</c>) and <c>ConnectionStrings:Health</c>, from any configuration source (appsettings.json,
/// environment variables such as <c>Database__Provider=Postgres</c> and <c>ConnectionStrings__Health=Host=...</c>,
/// command-line <c>--Database:Provider=Postgres</c>). The command line's <c>--db FILE</c> is the SQLite shorthand.
/// </summary>
/// <param name="Provider">The engine.</param>
/// <param name="ConnectionString">The engine's connection string.</param>
public sealed record StoreOptions(DatabaseProvider Provider, string ConnectionString)
{
    // Every store is chosen through this type before any connection opens: the moment to set SQLite's threading mode.
    static StoreOptions() => SqliteThreadingMode.Apply();

    /// <summary>Configuration key of the engine.</summary>
    public const string ProviderKey = "Database:Provider";

    /// <summary>Name of the connection string (<c>ConnectionStrings:Health</c>).</summary>
    public const string ConnectionName = "Health";

    /// <summary>The SQLite file used when nothing is configured.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=healthdashboard.db";

    /// <summary>The store on the SQLite file <paramref name="databaseFile"/>.</summary>
    public static StoreOptions SqliteFile(string databaseFile) =>
        // The builder, never concatenation: a --db of "x.db;Mode=Memory" names a file, it does not add options.
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = databaseFile }.ToString());

    /// <summary>
    /// The configured store; <paramref name="sqliteFile"/> (the command line's <c>--db</c>) overrides it with that
    /// SQLite file. A <c>Postgres</c> provider without a connection string is refused (there is no sensible default server).
    /// </summary>
    public static StoreOptions FromConfiguration(IConfiguration configuration, string? sqliteFile = null)
    {
        if (sqliteFile is not null)
        {
            return SqliteFile(sqliteFile);
        }

        var provider = ParseProvider(configuration[ProviderKey]);
        var connectionString = configuration.GetConnectionString(ConnectionName);
        var store = provider switch
        {
            DatabaseProvider.Postgres when string.IsNullOrWhiteSpace(connectionString) => throw new InvalidOperationException(
                $"{ProviderKey} is Postgres but ConnectionStrings:{ConnectionName} is not set (e.g. ConnectionStrings__{ConnectionName}=\"Host=127.0.0.1;Database=health;Username=...;Password=...\")."),
            DatabaseProvider.Postgres => new StoreOptions(provider, connectionString!),
            _ => new StoreOptions(provider, string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString),
        };
        store.CheckConnectionString();
        return store;
    }

    /// <summary>Refuses a connection string the engine cannot read (often the other engine's: "Data Source=..." for Postgres), naming the keys.</summary>
    private void CheckConnectionString()
    {
        try
        {
            _ = Provider == DatabaseProvider.Postgres
                ? new NpgsqlConnectionStringBuilder(ConnectionString).ConnectionString
                : new SqliteConnectionStringBuilder(ConnectionString).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not a {Provider} connection string ({ProviderKey} is {Provider}): {e.Message}", e);
        }
    }

    /// <summary>Parses <c>Database:Provider</c> (case-insensitive; empty is SQLite); names the accepted values otherwise.</summary>
    public static DatabaseProvider ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException($"{ProviderKey} '{value}' is not Sqlite or Postgres."),
    };

    /// <summary>Points <paramref name="options"/> at this store, with <paramref name="interceptors"/>.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, IEnumerable<IInterceptor> interceptors)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(ConnectionString);
        }
        else
        {
            options.UseSqlite(ConnectionString).AddInterceptors(new SqliteBusyTimeout());
        }

        return options.AddInterceptors(interceptors);
    }
}

/// <summary>
/// Creates the context class of the configured engine: <see cref="HealthDbContext"/> on SQLite,
/// <see cref="PostgresHealthDbContext"/> (the same model, its own migrations) on PostgreSQL.
/// </summary>
public sealed class HealthDbContextFactory(DbContextOptions<HealthDbContext> options, StoreOptions store) : IDbContextFactory<HealthDbContext>
{
    public HealthDbContext CreateDbContext() =>
        store.Provider == DatabaseProvider.Postgres ? new PostgresHealthDbContext(options) : new HealthDbContext(options);
}

/// <summary>What raw SQL needs to know about the engine behind a connection (for the few statements that differ).</summary>
public static class SqlDialect
{
    /// <summary>True on PostgreSQL.</summary>
    public static bool IsPostgres(DbConnection connection) => connection is NpgsqlConnection;

    /// <summary>SQLite's <c>INDEXED BY</c> hint for <paramref name="index"/>; nothing on PostgreSQL (its planner picks the index).</summary>
    public static string IndexedBy(DbConnection connection, string index) => IsPostgres(connection) ? "" : $"INDEXED BY \"{index}\"";
}
