using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.Data.Sqlite;

namespace HealthDashboard.Bench.Synthetic;

/// <summary>
/// A synthetic portfolio as a SQLite file with the app's schema: created through the app's own
/// initializer (migrations), then filled by prepared ADO.NET inserts in one transaction. The file is
/// cached under the bench's cache folder by the spec's key and reused by later runs.
/// </summary>
public static class SqliteDatabase
{
    public static string PathFor(PortfolioSpec spec) => Path.Combine(CacheFolder.Path, $"portfolio-{spec.Key}.db");

    /// <summary>The database file of <paramref name="spec"/>, generated first if no earlier run left it.</summary>
    public static async Task<string> EnsureAsync(PortfolioSpec spec, TextWriter log)
    {
        var path = PathFor(spec);
        if (File.Exists(path))
        {
            return path;
        }

        // Built under a temporary name and renamed at the end, so an interrupted run leaves nothing to reuse.
        var building = path + ".building";
        DeleteWithSidecars(building);
        log.WriteLine($"Generating {path} (once; later runs reuse it)...");
        using (await AppHost.OpenAsync(building))
        {
        }

        var portfolio = SyntheticPortfolio.Generate(spec);
        var rows = await FillAsync(building, portfolio);
        log.WriteLine($"  {rows:N0} usage rows written.");
        File.Move(building, path);
        return path;
    }

    /// <summary>Inserts the portfolio into an initialized, empty database; returns the number of usage rows.</summary>
    public static async Task<long> FillAsync(string databaseFile, SyntheticPortfolio portfolio)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
        await connection.OpenAsync();
        // A throw-away file being built: no journal, no syncs, a large page cache for the random-order AccountId index.
        await ExecuteAsync(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;");
        long usageRows;
        await using (var transaction = connection.BeginTransaction())
        {
            var inserter = new BulkInserter(connection, transaction);
            inserter.Insert("Accounts", ["Id", "ExternalId", "Name", "Segment", "Plan", "Seats", "Mrr", "RenewalDate", "Owner", "CreatedAt", "ChurnedAt"],
                portfolio.Accounts.Select((a, i) => new object?[] { i + 1, a.Id, a.Name, a.Segment, a.Plan, a.Seats, a.Mrr, a.RenewalDate, a.Owner, a.CreatedAt, a.ChurnedAt }));
            inserter.Insert("AccountUsers", ["Id", "ExternalId", "AccountId", "Name", "Email", "CreatedAt"],
                portfolio.Users.Select((u, i) => new object?[] { i + 1, u.Id, u.AccountIndex + 1, u.Name, u.Email, u.CreatedAt }));
            inserter.Insert("EventTypes", ["Id", "Key", "Name", "Weight", "KeyFeature", "ValueMoment"],
                portfolio.EventTypes.Select((e, i) => new object?[] { i + 1, e.Key, e.Name, e.Settings.Weight, e.Settings.KeyFeature, e.Settings.ValueMoment }));
            inserter.Insert("Tickets", ["ExternalId", "AccountId", "OpenedAt", "ClosedAt", "Priority", "Escalated", "Satisfaction"],
                portfolio.Tickets.Select(t => new object?[] { t.Id, t.AccountIndex + 1, t.OpenedAt, t.ClosedAt, t.Priority, t.Escalated, t.Satisfaction }));
            inserter.Insert("Surveys", ["AccountId", "UserId", "RespondedAt", "Kind", "Score"],
                portfolio.Surveys.Select(s => new object?[] { s.AccountIndex + 1, s.UserIndex >= 0 ? s.UserIndex + 1 : null, s.RespondedAt, s.Kind == SurveyKind.Nps ? "NPS" : "CSAT", s.Score }));
            inserter.Insert("Revenue", ["AccountId", "Date", "Mrr"],
                portfolio.Revenue.Select(r => new object?[] { r.AccountIndex + 1, r.Date, r.Mrr }));
            usageRows = inserter.Insert("Usage", ["AccountId", "UserId", "EventTypeId", "Timestamp", "Count"],
                portfolio.Usage().Select(u => new object?[] { u.AccountIndex + 1, u.UserIndex >= 0 ? u.UserIndex + 1 : null, u.EventTypeIndex + 1, u.Ticks, u.Count }));
            await UsageRollup.AddSinceAsync(connection, transaction, 0);
            await transaction.CommitAsync();
        }

        // Leave the file as the app keeps it.
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;");
        return usageRows;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes a database file with its WAL and shared-memory files.</summary>
    public static void DeleteWithSidecars(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>One prepared INSERT per table, its parameters rebound for every row.</summary>
    private sealed class BulkInserter(SqliteConnection connection, SqliteTransaction transaction)
    {
        public long Insert(string table, string[] columns, IEnumerable<object?[]> rows)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
            var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
            command.Prepare();
            long count = 0;
            foreach (var row in rows)
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                command.ExecuteNonQuery();
                count++;
            }

            return count;
        }
    }
}
