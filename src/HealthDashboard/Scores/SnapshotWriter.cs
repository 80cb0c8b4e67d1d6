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
/// stop rolls them back: they are scored again next time). The rows go through the house's bulk paths: on SQLite
/// statements prepared on SQLite's own API (<see cref="RawInsert"/>), each inserting <see cref="RowsPerInsert"/> rows
/// (the day a parameter shared by all of them, bound once per day), on PostgreSQL binary <c>COPY</c>. On SQLite in
/// WAL mode the writer's connection commits without waiting for the disk and leaves the WAL's checkpoint to
/// <see cref="Checkpoint"/>, which the back-fill runs between its transactions (<see cref="RelaxSqliteDurability"/>).
/// </summary>
internal sealed class SnapshotWriter : IAsyncDisposable
{
    private const string DayFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>
    /// Rows per SQLite INSERT statement. A statement per row paid SQLite's per-statement work (step, reset, opening the
    /// table and its key) and the binding of the day on each of the ~10,000 rows of a day; 100 rows of 24 parameters
    /// stay far below SQLite's parameter limit (32,766). A day's last rows that do not fill one go one at a time.
    /// </summary>
    private const int RowsPerInsert = 100;

    /// <summary>
    /// The columns of a row after its key (<c>Day</c>, <c>AccountId</c>), each with how a scored account gives its value:
    /// both engines' writes follow this list, so a column is added here alone (and to <see cref="ScoreSnapshot"/>).
    /// </summary>
    private static readonly Column[] ValueColumns =
    [
        new NumberColumn("ModelVersion", NpgsqlDbType.Integer, (scored, a) => scored.ModelVersionOf(a)),
        new NumberColumn("Health", NpgsqlDbType.Double, (scored, a) => scored.Scores.Health[a]),
        new NumberColumn("Grade", NpgsqlDbType.Smallint, (scored, a) => (int)scored.Scores.Grades[a]),
        new NumberColumn("Band", NpgsqlDbType.Smallint, (scored, a) => (int)scored.Scores.BandOf(a)),
        new NumberColumn("Mrr", NpgsqlDbType.Double, (scored, a) => scored.Aggregates.Mrr[a]),
        .. Indicators.All.Select(i => new NumberColumn(i.ToString(), NpgsqlDbType.Double,
            (scored, a) => scored.Scores.Values[(a * Indicators.Count) + (int)i])),
        .. Indicators.All.Select(i => new NumberColumn(i + "Raw", NpgsqlDbType.Double,
            (scored, a) => scored.Scores.Raw[(a * Indicators.Count) + (int)i])),
        new CustomScoresColumn(),
    ];

    /// <summary>Parameters of one row in an INSERT after the shared day: the account id and the value columns.</summary>
    private static readonly int ParametersPerRow = 1 + ValueColumns.Length;

    private static readonly string ColumnList = string.Join(", ", ((string[])["Day", "AccountId", .. ValueColumns.Select(c => c.Name)]).Select(c => $"\"{c}\""));

    /// <summary>
    /// Scratch space of <see cref="SnapshotCustomScores.Write"/>, kept between rows; per thread because the column list
    /// is shared by every writer (the text is made synchronously, before any await).
    /// </summary>
    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? customScoresBuffer;

    private static System.Buffers.ArrayBufferWriter<byte> CustomScoresBuffer => customScoresBuffer ??= new(256);

    private readonly IDbContextFactory<HealthDbContext> dbFactory;
    private readonly HealthDbContext db;
    private readonly DbConnection connection;
    private readonly bool postgres;
    private Dictionary<string, int> accountIds;
    private RawInsert? sqliteInsertMany;
    private RawInsert? sqliteInsertOne;

    /// <summary>The connection's own <c>synchronous</c> and <c>wal_autocheckpoint</c> before <see cref="OpenAsync"/> changed them; null when it did not.</summary>
    private (long Synchronous, long AutoCheckpoint)? sqliteSettings;

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
            var writer = new SnapshotWriter(dbFactory, db, ids);
            writer.RelaxSqliteDurability();
            return writer;
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
            sqliteInsertMany ??= new RawInsert((SqliteConnection)connection, InsertSql(RowsPerInsert));
            sqliteInsertOne ??= new RawInsert((SqliteConnection)connection, InsertSql(1));
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

    /// <summary>
    /// Copies the days committed so far from SQLite's WAL into the database file (a passive checkpoint: it takes no
    /// write lock, so an import may write meanwhile). Nothing to do on PostgreSQL or outside WAL mode.
    /// </summary>
    public void Checkpoint()
    {
        if (sqliteSettings is not null)
        {
            Pragma("PRAGMA wal_checkpoint(PASSIVE)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        sqliteInsertMany?.Dispose();
        sqliteInsertOne?.Dispose();
        if (sqliteSettings is { } settings)
        {
            // The connection goes back to the pool, where an import may take it next: with the settings it came with.
            try
            {
                Checkpoint();
                Pragma(string.Create(CultureInfo.InvariantCulture, $"PRAGMA synchronous = {settings.Synchronous}"));
                Pragma(string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = {settings.AutoCheckpoint}"));
            }
            catch (SqliteException)
            {
                SqliteConnection.ClearPool((SqliteConnection)connection);
            }
        }

        await db.DisposeAsync();
    }

    /// <summary>
    /// On SQLite in WAL mode: commits that do not wait for the disk (<c>synchronous = NORMAL</c>) and no checkpoint
    /// inside a commit (<c>wal_autocheckpoint = 0</c>; the back-fill calls <see cref="Checkpoint"/> between its
    /// transactions). Each commit then holds the one write lock for the inserts alone: the checkpoint's copying and
    /// its fsyncs, which every week's commit ran (a week of days is far over the 1,000 WAL pages that start one), took
    /// about as long as the inserts, and an import waited for them. In WAL mode NORMAL never corrupts the file; a power
    /// cut may lose the last committed days with their stamps, and the back-fill scores them again (snapshots are
    /// derived from the data).
    /// </summary>
    private void RelaxSqliteDurability()
    {
        if (postgres || !string.Equals(PragmaValue("PRAGMA journal_mode") as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        sqliteSettings = ((long)PragmaValue("PRAGMA synchronous")!, (long)PragmaValue("PRAGMA wal_autocheckpoint")!);
        Pragma("PRAGMA synchronous = NORMAL");
        Pragma("PRAGMA wal_autocheckpoint = 0");
    }

    private object? PragmaValue(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Pragma(string sql) => PragmaValue(sql);

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

    /// <summary>An INSERT of <paramref name="rows"/> rows: <c>?1</c> is the day of every row, then each row's own parameters.</summary>
    private static string InsertSql(int rows) =>
        $"INSERT INTO \"Snapshots\" ({ColumnList}) VALUES "
        + string.Join(", ", Enumerable.Range(0, rows).Select(r =>
            $"(?1, {string.Join(", ", Enumerable.Range(2 + (r * ParametersPerRow), ParametersPerRow).Select(p => $"?{p}"))})"));

    private void InsertRows(ScoredPortfolio scored, int[] ids, string day)
    {
        var (many, one) = (sqliteInsertMany!, sqliteInsertOne!);
        many.Set(1, day);
        one.Set(1, day);
        var a = 0;
        for (; a + RowsPerInsert <= ids.Length; a += RowsPerInsert)
        {
            for (var r = 0; r < RowsPerInsert; r++)
            {
                BindRow(many, 2 + (r * ParametersPerRow), scored, ids, a + r);
            }

            many.Execute();
        }

        for (; a < ids.Length; a++)
        {
            BindRow(one, 2, scored, ids, a);
            one.Execute();
        }
    }

    /// <summary>Sets one row's parameters from <paramref name="first"/> on: local account <paramref name="account"/>'s id and values.</summary>
    private static void BindRow(RawInsert insert, int first, ScoredPortfolio scored, int[] ids, int account)
    {
        insert.Set(first, ids[account]);
        for (var c = 0; c < ValueColumns.Length; c++)
        {
            ValueColumns[c].Bind(insert, first + 1 + c, scored, account);
        }
    }

    private async Task CopyRowsAsync(ScoredPortfolio scored, int[] ids, CancellationToken cancellationToken)
    {
        await using var copy = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY \"Snapshots\" ({ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var a = 0; a < ids.Length; a++)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(scored.AsOf, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(ids[a], NpgsqlDbType.Integer, cancellationToken);
            foreach (var column in ValueColumns)
            {
                await column.WriteAsync(copy, scored, a, cancellationToken);
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

    /// <summary>One column of a snapshot row after its key, written the same way on every row.</summary>
    private abstract class Column(string name)
    {
        public string Name => name;

        /// <summary>Sets parameter <paramref name="position"/> of the SQLite insert to the value of local account <paramref name="account"/>.</summary>
        public abstract void Bind(RawInsert insert, int position, ScoredPortfolio scored, int account);

        /// <summary>Writes the value of local account <paramref name="account"/> as the next field of a PostgreSQL binary COPY row.</summary>
        public abstract Task WriteAsync(NpgsqlBinaryImporter copy, ScoredPortfolio scored, int account, CancellationToken cancellationToken);
    }

    /// <summary>
    /// A number, NULL when it is NaN (an indicator without a value). Whole-number types are stored as integers
    /// (<paramref name="type"/> is the PostgreSQL column's type; SQLite takes any integer).
    /// </summary>
    private sealed class NumberColumn(string name, NpgsqlDbType type, Func<ScoredPortfolio, int, double> value) : Column(name)
    {
        public override void Bind(RawInsert insert, int position, ScoredPortfolio scored, int account)
        {
            var number = value(scored, account);
            if (type == NpgsqlDbType.Double || double.IsNaN(number))
            {
                insert.SetOrNull(position, number);
            }
            else
            {
                insert.Set(position, (long)number);
            }
        }

        public override Task WriteAsync(NpgsqlBinaryImporter copy, ScoredPortfolio scored, int account, CancellationToken cancellationToken)
        {
            var number = value(scored, account);
            return double.IsNaN(number) ? copy.WriteNullAsync(cancellationToken) : type switch
            {
                NpgsqlDbType.Smallint => copy.WriteAsync((short)number, type, cancellationToken),
                NpgsqlDbType.Integer => copy.WriteAsync((int)number, type, cancellationToken),
                _ => copy.WriteAsync(number, type, cancellationToken),
            };
        }
    }

    /// <summary>
    /// The custom indicators' JSON text (<see cref="SnapshotCustomScores"/>), NULL when the account's model has none. SQLite
    /// takes the UTF-8 bytes as they are written, without a string between.
    /// </summary>
    private sealed class CustomScoresColumn() : Column("CustomScores")
    {
        public override void Bind(RawInsert insert, int position, ScoredPortfolio scored, int account)
        {
            var buffer = CustomScoresBuffer;
            if (SnapshotCustomScores.WriteUtf8(scored.Scores, account, buffer))
            {
                insert.SetUtf8(position, buffer.WrittenSpan);
            }
            else
            {
                insert.SetNull(position);
            }
        }

        public override Task WriteAsync(NpgsqlBinaryImporter copy, ScoredPortfolio scored, int account, CancellationToken cancellationToken) =>
            SnapshotCustomScores.Write(scored.Scores, account, CustomScoresBuffer) is { } text
                ? copy.WriteAsync(text, NpgsqlDbType.Text, cancellationToken)
                : copy.WriteNullAsync(cancellationToken);
    }
}
