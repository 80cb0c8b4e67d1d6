using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace HealthDashboard.TestKit;

/// <summary>A fingerprint of a SQLite database's content, to prove that a refusal or a crash changed nothing.</summary>
public static class DatabaseChecksum
{
    /// <summary>
    /// SHA-256 over every row of every table but the refused-import log (rows in a fixed order): equal exactly when
    /// the content is equal. FailedImports records refused attempts, not data: a refusal adds a row there (and its id
    /// in sqlite_sequence) and changes nothing else. <paramref name="ignoredTables"/> are left out too (e.g. the score
    /// cache a running app writes on its own).
    /// </summary>
    public static async Task<string> OfFileAsync(string databaseFile, params string[] ignoredTables)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'FailedImports' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var text = new StringBuilder();
        foreach (var table in tables.Except(ignoredTables, StringComparer.Ordinal))
        {
            await using var select = connection.CreateCommand();
            // The id counters of ignored tables are as derived as their rows.
            select.CommandText = table == "sqlite_sequence"
                ? "SELECT * FROM sqlite_sequence WHERE name <> 'FailedImports'" + string.Concat(ignoredTables.Select(t => $" AND name <> '{t.Replace("'", "''", StringComparison.Ordinal)}'"))
                : $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(string.Join('\u001f', values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
            }

            rows.Sort(StringComparer.Ordinal);
            text.Append(table).Append('\n').AppendJoin('\n', rows).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The same fingerprint of a PostgreSQL database (every table of the public schema but FailedImports, rows
    /// as text in a fixed order; sequences are not compared: a rolled-back insert advances them by design).
    /// </summary>
    public static async Task<string> OfPostgresAsync(string connectionString, params string[] ignoredTables)
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'FailedImports' ORDER BY table_name COLLATE \"C\"",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var text = new StringBuilder();
        foreach (var table in tables.Except(ignoredTables, StringComparer.Ordinal))
        {
            await using var select = new Npgsql.NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE \"C\"), '') FROM \"{table}\" t", connection);
            text.Append(table).Append('\n').Append((string)(await select.ExecuteScalarAsync())!).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>SQLite's own check of the file: "ok" when every page and index is sound.</summary>
    public static async Task<string> IntegrityAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
