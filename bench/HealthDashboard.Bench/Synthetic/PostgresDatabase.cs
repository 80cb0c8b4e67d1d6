using HealthDashboard.Import;
using Npgsql;

namespace HealthDashboard.Bench.Synthetic;

/// <summary>
/// Databases on the PostgreSQL server the bench is pointed at (<c>HEALTHDASHBOARD_BENCH_POSTGRES</c>, else
/// <c>HEALTHDASHBOARD_TEST_POSTGRES</c>: <c>scripts/test-postgres.sh</c> starts a throw-away one): fresh ones per
/// round, and a synthetic portfolio imported once through the app's importer and kept by the spec's key, so later
/// runs (and copies made from it as a template) reuse it.
/// </summary>
public static class PostgresDatabase
{
    /// <summary>The server's connection string, or null when no server is configured (the PostgreSQL figures are then skipped).</summary>
    public static string? Server =>
        Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_POSTGRES") is { Length: > 0 } bench
            ? bench
            : Environment.GetEnvironmentVariable("HEALTHDASHBOARD_TEST_POSTGRES") is { Length: > 0 } test ? test : null;

    /// <summary>The app's configuration for the store in database <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string?> AppConfiguration(string connectionString) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Health"] = connectionString,
    };

    /// <summary>Drops and creates database <paramref name="name"/> (empty, or a copy of <paramref name="template"/>); returns the connection string to it.</summary>
    public static async Task<string> RecreateAsync(string server, string name, string? template = null)
    {
        // The template must have no open connection, pooled ones included.
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}");
        return On(server, name);
    }

    /// <summary>Drops database <paramref name="name"/> if it exists.</summary>
    public static async Task DropAsync(string server, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>The connection string to database <paramref name="name"/> on <paramref name="server"/>.</summary>
    public static string On(string server, string name) => new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;

    /// <summary>The name of the kept database of <paramref name="spec"/>'s portfolio.</summary>
    public static string PortfolioName(PortfolioSpec spec) => $"hd_bench_portfolio_{spec.Key.Replace('-', '_')}";

    /// <summary>
    /// <paramref name="spec"/>'s portfolio as a PostgreSQL database: its CSV folders (<see cref="CsvFolders"/>) imported
    /// through the app's importer (binary COPY, the roll-up summed as the rows pass), then vacuumed and analysed as a
    /// store that has been live a while would be. Built once under a temporary name; returns its name.
    /// </summary>
    public static async Task<string> EnsurePortfolioAsync(string server, PortfolioSpec spec, TextWriter log)
    {
        var name = PortfolioName(spec);
        if (await ExistsAsync(server, name))
        {
            return name;
        }

        var folders = CsvFolders.Ensure(spec, log);
        log.WriteLine($"Importing {folders.Usage} into PostgreSQL database {name} (once; later runs reuse it)...");
        var building = name + "_building";
        var connectionString = await RecreateAsync(server, building);
        using (var app = await AppHost.OpenAsync(databaseFile: null, AppConfiguration(connectionString)))
        {
            var importer = app.Get<FolderImporter>();
            foreach (var folder in new[] { folders.Reference, folders.Usage })
            {
                var result = await importer.ImportFolderAsync(folder, "bench");
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"The import of {folder} was refused: {string.Join("; ", result.Problems.Take(5))}");
                }

                log.WriteLine($"  {result.Summary}");
            }
        }

        await ExecuteOnAsync(connectionString, "VACUUM ANALYZE");
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"ALTER DATABASE {building} RENAME TO {name}");
        return name;
    }

    private static async Task<bool> ExistsAsync(string server, string name)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Runs <paramref name="statements"/> one command each on the server's own database (CREATE/DROP DATABASE may not share a transaction).</summary>
    private static async Task ExecuteAsync(string server, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await ExecuteOnAsync(server, sql);
        }
    }

    /// <summary>Runs one statement on <paramref name="connectionString"/>, without a time limit.</summary>
    public static async Task ExecuteOnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
