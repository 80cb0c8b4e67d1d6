using HealthDashboard.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HealthDashboard.TestKit;

/// <summary>
/// The PostgreSQL server the tests run on as well as SQLite: at the connection string in
/// <c>HEALTHDASHBOARD_TEST_POSTGRES</c> (default the loopback server <c>scripts/test-postgres.sh</c> starts, which
/// <c>.ci/run</c> starts before the tests). Each test store gets a fresh database, copied from a template this
/// test process migrates once (a copy takes a fraction of a migration's time), and dropped when the store is.
/// </summary>
public static class PostgresTestServer
{
    /// <summary>The environment variable holding the server's connection string (without a database).</summary>
    public const string EnvironmentVariable = "HEALTHDASHBOARD_TEST_POSTGRES";

    /// <summary>The default: <c>scripts/test-postgres.sh</c>'s server.</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres";

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? template;

    /// <summary>The server's connection string (maintenance database).</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultConnectionString;

    /// <summary>The connection string of database <paramref name="name"/> on the server.</summary>
    public static string ConnectionStringOf(string name) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, IncludeErrorDetail = true }.ToString();

    /// <summary>Creates a fresh, migrated database (no data) and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var source = await TemplateAsync();
        var name = "hd_test_" + Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{source}\"");
                return ConnectionStringOf(name);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // Another copy of the template is being made this very moment: try again.
                await Task.Delay(50 * attempt);
            }
        }
    }

    /// <summary>Drops the database of <paramref name="connectionString"/> (closing its pooled connections first).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>
    /// Sets every identity column's next value above the rows a test inserted with explicit ids (PostgreSQL's
    /// sequences, unlike SQLite's rowids, do not follow explicit inserts).
    /// </summary>
    public static async Task ResetIdentitiesAsync(NpgsqlConnection connection)
    {
        var statements = new List<string>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce(max(%I), 0) + 1, false) FROM %I',
                          quote_ident(table_name), column_name, column_name, table_name)
            FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                statements.Add(reader.GetString(0));
            }
        }

        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> TemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (template is not null)
            {
                return template;
            }

            var name = "hd_template_" + Guid.NewGuid().ToString("N");
            await ExecuteAsync($"CREATE DATABASE \"{name}\"");
            var connectionString = ConnectionStringOf(name);
            var options = new DbContextOptionsBuilder<HealthDbContext>().UseNpgsql(connectionString).Options;
            await using (var db = new PostgresHealthDbContext(options))
            {
                await db.Database.MigrateAsync();
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            // The template goes when the test process does (a crashed run leaves it on the throw-away server).
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").GetAwaiter().GetResult();
                }
                catch (NpgsqlException)
                {
                    // The server may be gone already.
                }
            };
            template = name;
            return name;
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL test server at '{ServerConnectionString}' ({e.Message}). Start one with scripts/test-postgres.sh "
                + $"(.ci/run does), or point {EnvironmentVariable} at a server where this user may create databases.", e);
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
