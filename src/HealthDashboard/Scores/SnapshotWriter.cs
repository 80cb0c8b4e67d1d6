using System.Data.Common;
using System.Globalization;
using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace HealthDashboard.Scores;

/// <summary>
/// Writes scored days into the snapshot tables for <see cref="SnapshotStore.BackfillAsync"/>: each day replaces what
/// the day had (its rows and its <see cref="SnapshotDay"/> stamp), several days to a transaction (a failure or a
/// stop rolls them back: they are scored again next time). The rows go through the house's bulk paths: on SQLite one
/// statement prepared on SQLite's own API and stepped per row (<see cref="RawInsert"/>), on PostgreSQL binary
/// <c>COPY</c>. Several days to a transaction because the (account, day) index takes each day's rows at one place per
/// account: a transaction per day rewrote nearly every page of that index each day.
/// </summary>
internal sealed class SnapshotWriter : IAsyncDisposable
{
    private const string DayFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly string[] IndicatorColumns = [.. Indicators.All.Select(i => i.ToString())];

    private static readonly string[] RowColumns =
        ["Day", "AccountId", "ModelVersion", "Health", "Grade", "Band", "Mrr", .. IndicatorColumns, .. IndicatorColumns.Select(c => c + "Raw"), "CustomScores"];

    /// <summary>1-based position of the <c>CustomScores</c> parameter of the SQLite insert (the last column).</summary>
    private static readonly int CustomScoresPosition = RowColumns.Length;

    /// <summary>Scratch space of <see cref="SnapshotCustomScores.Write"/>, kept between rows.</summary>
    private readonly System.Buffers.ArrayBufferWriter<byte> customBuffer = new(256);

    private static readonly string ColumnList = string.Join(", ", RowColumns.Select(c => $"\"{c}\""));

    private readonly IDbContextFactory<HealthDbContext> dbFactory;
    private readonly HealthDbContext db;
    private readonly DbConnection connection;
    private readonly bool postgres;
    private Dictionary<string, int> accountIds;
    private RawInsert? sqliteInsert;

    private SnapshotWriter(IDbContextFactory<HealthDbContext> dbFactory, HealthDbContext db, Dictionary<string, int> accountIds)
    {
        this.dbFactory = dbFactory;
        this.db = db;
        this.accountIds = accountIds;
        connection = db.Database.GetDbConnection();
        postgres = SqlDialect.IsPostgres(connection);
    }

    public static async Task<SnapshotWriter> OpenAsync(IDbContextFactory<HealthDbContext> dbFactory, CancellationToken cancellationToken)
    {
        var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            var ids = await AccountIdsAsync(db, cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            return new SnapshotWriter(dbFactory, db, ids);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Replaces each day of <paramref name="days"/> with its rows, stamped <paramref name="storeVersion"/>, in one transaction.</summary>
    public async Task WriteAsync(IReadOnlyList<ScoredPortfolio> days, StoreVersion storeVersion, CancellationToken cancellationToken)
    {
        // Before the transaction, which on SQLite holds the one write lock from its first statement.
        var ids = new List<int[]>(days.Count);
        foreach (var day in days)
        {
            ids.Add(await AccountIdsOfAsync(day, cancellationToken));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!postgres)
        {
            sqliteInsert ??= new RawInsert((SqliteConnection)connection,
                $"INSERT INTO \"Snapshots\" ({ColumnList}) VALUES ({string.Join(", ", RowColumns.Select((_, i) => $"?{i + 1}"))})");
        }

        for (var d = 0; d < days.Count; d++)
        {
            await AddDayAsync(transaction.GetDbTransaction(), days[d], ids[d], storeVersion, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task AddDayAsync(DbTransaction dbTransaction, ScoredPortfolio scored, int[] ids, StoreVersion storeVersion, CancellationToken cancellationToken)
    {
        var day = DayValue(scored.AsOf);
        await ExecuteAsync(dbTransaction, """DELETE FROM "Snapshots" WHERE "Day" = @p0""", [day], cancellationToken);
        await ExecuteAsync(dbTransaction, """DELETE FROM "SnapshotDays" WHERE "Day" = @p0""", [day], cancellationToken);

        if (postgres)
        {
            await CopyRowsAsync(scored, ids, cancellationToken);
        }
        else
        {
            InsertRows(scored, ids, (string)day);
        }

        var (aggregates, scores) = (scored.Aggregates, scored.Scores);
        int green = 0, yellow = 0, red = 0;
        var healthSum = 0.0;
        for (var a = 0; a < aggregates.Accounts.Length; a++)
        {
            (green, yellow, red) = scores.BandOf(a) switch { Band.Green => (green + 1, yellow, red), Band.Yellow => (green, yellow + 1, red), _ => (green, yellow, red + 1) };
            healthSum += scores.Health[a];
        }

        await ExecuteAsync(dbTransaction,
            """
            INSERT INTO "SnapshotDays" ("Day", "ImportBatch", "ModelVersion", "ScoredAt", "Accounts", "AverageHealth", "Green", "Yellow", "Red")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)
            """,
            [day, storeVersion.ImportBatch, storeVersion.ModelVersion, DayValue(DateTime.UtcNow), aggregates.Accounts.Length,
                aggregates.Accounts.Length == 0 ? 0.0 : healthSum / aggregates.Accounts.Length, green, yellow, red],
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        sqliteInsert?.Dispose();
        await db.DisposeAsync();
    }

    private static Task<Dictionary<string, int>> AccountIdsAsync(HealthDbContext db, CancellationToken cancellationToken) =>
        db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, cancellationToken);

    /// <summary>
    /// The store id of each scored account. An account the map does not know was added after it was read (an import,
    /// perhaps by another process, while the run scores from a later load of the data): the map is read again. One
    /// still unknown was deleted meanwhile: the run stops and the worker retries.
    /// </summary>
    private async Task<int[]> AccountIdsOfAsync(ScoredPortfolio scored, CancellationToken cancellationToken)
    {
        var accounts = scored.Aggregates.Accounts;
        var ids = new int[accounts.Length];
        for (var a = 0; a < accounts.Length; a++)
        {
            var externalId = scored.Data.Accounts[accounts[a]].Id;
            if (!accountIds.TryGetValue(externalId, out ids[a]))
            {
                await using (var fresh = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    accountIds = await AccountIdsAsync(fresh, cancellationToken);
                }

                if (!accountIds.TryGetValue(externalId, out ids[a]))
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Snapshot of {scored.AsOf:yyyy-MM-dd}: account {externalId} was scored but is no longer in the store (deleted meanwhile); the back-fill will run again."));
                }
            }
        }

        return ids;
    }

    private void InsertRows(ScoredPortfolio scored, int[] ids, string day)
    {
        var insert = sqliteInsert!;
        var scores = scored.Scores;
        for (var a = 0; a < ids.Length; a++)
        {
            insert.Set(1, day);
            insert.Set(2, ids[a]);
            insert.Set(3, scored.ModelVersionOf(a));
            insert.Set(4, scores.Health[a]);
            insert.Set(5, (long)scores.Grades[a]);
            insert.Set(6, (long)scores.BandOf(a));
            insert.Set(7, scored.Aggregates.Mrr[a]);
            for (var i = 0; i < Indicators.Count; i++)
            {
                insert.SetOrNull(8 + i, scores.Values[(a * Indicators.Count) + i]);
                insert.SetOrNull(8 + Indicators.Count + i, scores.Raw[(a * Indicators.Count) + i]);
            }

            insert.SetOrNull(CustomScoresPosition, SnapshotCustomScores.Write(scores, a, customBuffer));
            insert.Execute();
        }
    }

    private async Task CopyRowsAsync(ScoredPortfolio scored, int[] ids, CancellationToken cancellationToken)
    {
        var scores = scored.Scores;
        await using var copy = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY \"Snapshots\" ({ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var a = 0; a < ids.Length; a++)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(scored.AsOf, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(ids[a], NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(scored.ModelVersionOf(a), NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(scores.Health[a], NpgsqlDbType.Double, cancellationToken);
            await copy.WriteAsync((short)scores.Grades[a], NpgsqlDbType.Smallint, cancellationToken);
            await copy.WriteAsync((short)scores.BandOf(a), NpgsqlDbType.Smallint, cancellationToken);
            await copy.WriteAsync(scored.Aggregates.Mrr[a], NpgsqlDbType.Double, cancellationToken);
            for (var column = 0; column < 2 * Indicators.Count; column++)
            {
                var (values, i) = column < Indicators.Count ? (scores.Values, column) : (scores.Raw, column - Indicators.Count);
                var value = values[(a * Indicators.Count) + i];
                if (double.IsNaN(value))
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await copy.WriteAsync(value, NpgsqlDbType.Double, cancellationToken);
                }
            }

            if (SnapshotCustomScores.Write(scores, a, customBuffer) is { } custom)
            {
                await copy.WriteAsync(custom, NpgsqlDbType.Text, cancellationToken);
            }
            else
            {
                await copy.WriteNullAsync(cancellationToken);
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private async Task ExecuteAsync(DbTransaction dbTransaction, string sql, object[] values, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = dbTransaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = values[i];
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A time as the engine stores it: on SQLite the text form EF writes for DateTime (so LINQ comparisons keep
    /// working), on PostgreSQL a UTC timestamp.
    /// </summary>
    private object DayValue(DateTime time) => postgres
        ? DateTime.SpecifyKind(time, DateTimeKind.Utc)
        : time.ToString(DayFormat, CultureInfo.InvariantCulture);
}
