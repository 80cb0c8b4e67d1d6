using System.Diagnostics;
using System.Text;
using HealthDashboard.Data;
using Microsoft.Data.Sqlite;

namespace HealthDashboard.Import;

/// <summary>
/// Writes an import's usage rows to SQLite, in the connection's current transaction: the rows in multi-row
/// <c>INSERT</c>s (<see cref="RowsPerStatement"/> rows a statement, prepared once on SQLite's own API), and their
/// daily roll-up (<see cref="UsageRollup"/>) summed in memory as the rows pass and upserted in key order.
/// </summary>
/// <remarks>
/// Why not one row a statement: each execution pays SQLite's statement start and end (cursors opened and closed,
/// the b-tree entered from its root) and a call into the native library per step; 64 rows a statement share them.
/// Why the roll-up in memory: the SQL form (<see cref="UsageRollup.AddSinceAsync"/>) reads the new rows back and
/// upserts them one by one in file order, each a search of the roll-up's b-tree from its root; summed first and
/// written in key order the upserts append (measured with the sqlite3 shell on part 3's million rows: 0.92 s of CPU
/// row by row against 0.31 s sorted, besides the read-back). The sums are written and cleared whenever
/// <see cref="UsageDailySums.MaxGroups"/> groups are held, so memory stays bounded whatever the file's size; a group written
/// twice adds up (the upsert), so the result is the same.
/// Why a second thread for large files: reading and checking the rows (CSV, UTF-8, three id lookups, the time) took
/// about half of a million-row import and SQLite's own work the other half, one after the other on one core (bench
/// part 3). With the rows handed over in chunks the reader checks the next chunk while the writer stores this one, in
/// the same transaction on the same connection (used by one thread at a time: the reader runs no SQL meanwhile;
/// <see cref="RowHandOver{TRow}"/>). A failure on the writer's thread is thrown to the reader at its next hand-over or
/// at <see cref="Complete"/>.
/// </remarks>
internal sealed class SqliteUsageWriter : IDisposable
{
    /// <summary>Usage rows a multi-row <c>INSERT</c> carries (5 parameters each, far below SQLite's limit).</summary>
    public const int RowsPerStatement = 64;

    private const int GroupsPerStatement = 64;

    private static readonly string InsertColumns = """INSERT INTO "Usage" ("AccountId", "UserId", "EventTypeId", "Timestamp", "Count") VALUES """;

    private static readonly string RollupColumns =
        """INSERT INTO "UsageDaily" ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp") VALUES """;

    /// <summary>Rows handed to the background writer at a time.</summary>
    private const int RowsPerChunk = 8192;

    /// <summary>Chunks the background writer may lag behind the reader: bounded memory (about 200 KB each).</summary>
    private const int ChunksQueued = 8;

    private readonly SqliteConnection connection;
    private readonly ImportStages stages;
    private readonly RawInsert insertMany;
    private RawInsert? insertOne, upsertMany, upsertOne;
    private readonly UsageRow[] pending = new UsageRow[RowsPerStatement];
    private int pendingCount;
    private readonly UsageDailySums groups;

    // Stopwatch ticks of the database work; added to the stages by Complete, on the caller's thread.
    private long insertTicks, rollupTicks;

    // Background mode: the reader's thread fills chunks, the writer's thread stores them (see the class's remarks).
    private readonly RowHandOver<UsageRow>? handOver;

    /// <param name="connection">The open connection, in the import's transaction.</param>
    /// <param name="stages">The import's stopwatches.</param>
    /// <param name="inBackground">
    /// True: the rows are stored on a thread of their own while the caller reads on; the caller must then run nothing
    /// else on <paramref name="connection"/> until <see cref="Complete"/> or <see cref="Dispose"/> returns.
    /// </param>
    /// <param name="maxGroups">Roll-up groups held before they are written.</param>
    public SqliteUsageWriter(SqliteConnection connection, ImportStages stages, bool inBackground, int maxGroups = UsageDailySums.MaxGroups)
    {
        this.connection = connection;
        this.stages = stages;
        groups = new UsageDailySums(maxGroups);
        insertMany = new RawInsert(connection, InsertColumns + Placeholders(RowsPerStatement, 5));
        if (inBackground)
        {
            handOver = new RowHandOver<UsageRow>(Store, RowsPerChunk, ChunksQueued);
        }
    }

    private readonly record struct UsageRow(int AccountId, int? UserId, int EventTypeId, long Ticks, int Count);

    /// <summary>Adds one usage row (ids are the stored, positive ones).</summary>
    public void Add(int accountId, int? userId, int eventTypeId, long ticks, int count)
    {
        var row = new UsageRow(accountId, userId, eventTypeId, ticks, count);
        if (this.handOver is null)
        {
            Store(row);
        }
        else
        {
            this.handOver.Add(row);
        }
    }

    /// <summary>Writes what is still held: the last rows and the roll-up's sums (after the background writer has stored every row).</summary>
    public void Complete()
    {
        if (this.handOver is not null)
        {
            this.handOver.Complete();
            this.stages.AddTicks("waiting for the usage writer", this.handOver.WaitTicks);
        }

        WritePending();
        WriteRollup();
        this.stages.AddTicks("usage inserts", this.insertTicks);
        this.stages.AddTicks("roll-up", this.rollupTicks);
    }

    private void Store(UsageRow row)
    {
        this.pending[this.pendingCount++] = row;
        if (this.pendingCount == RowsPerStatement)
        {
            WritePending();
        }

        this.groups.Add(row.AccountId, row.UserId, row.EventTypeId, row.Ticks, row.Count);
        if (this.groups.Full)
        {
            WriteRollup();
        }
    }

    private void WritePending()
    {
        var started = Stopwatch.GetTimestamp();
        if (this.pendingCount == RowsPerStatement)
        {
            Bind(insertMany, this.pending);
        }
        else
        {
            insertOne ??= new RawInsert(this.connection, InsertColumns + Placeholders(1, 5));
            foreach (var row in this.pending.AsSpan(0, this.pendingCount))
            {
                Bind(insertOne, [row]);
            }
        }

        this.pendingCount = 0;
        this.insertTicks += Stopwatch.GetTimestamp() - started;

        static void Bind(RawInsert insert, ReadOnlySpan<UsageRow> rows)
        {
            var p = 1;
            foreach (var row in rows)
            {
                insert.Set(p++, row.AccountId);
                insert.SetOrNull(p++, row.UserId);
                insert.Set(p++, row.EventTypeId);
                insert.Set(p++, row.Ticks);
                insert.Set(p++, row.Count);
            }

            insert.Execute();
        }
    }

    private void WriteRollup()
    {
        if (this.groups.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var groupsInOrder = this.groups.InKeyOrder();
        var whole = groupsInOrder.Length - groupsInOrder.Length % GroupsPerStatement;
        if (whole > 0)
        {
            upsertMany ??= new RawInsert(this.connection, RollupColumns + Placeholders(GroupsPerStatement, 7) + UsageRollup.AccumulateOnConflict);
            for (var i = 0; i < whole; i += GroupsPerStatement)
            {
                BindGroups(upsertMany, groupsInOrder.AsSpan(i, GroupsPerStatement));
            }
        }

        if (whole < groupsInOrder.Length)
        {
            upsertOne ??= new RawInsert(this.connection, RollupColumns + Placeholders(1, 7) + UsageRollup.AccumulateOnConflict);
            foreach (var group in groupsInOrder.AsSpan(whole))
            {
                BindGroups(upsertOne, [group]);
            }
        }

        this.groups.Clear();
        this.rollupTicks += Stopwatch.GetTimestamp() - started;
    }

    private static void BindGroups(RawInsert upsert, ReadOnlySpan<UsageDailyGroup> groups)
    {
        var p = 1;
        foreach (var group in groups)
        {
            upsert.Set(p++, group.Day);
            upsert.Set(p++, group.AccountId);
            upsert.Set(p++, group.EventTypeId);
            upsert.Set(p++, group.UserId);
            upsert.Set(p++, group.AtMidnight ? 1 : 0);
            upsert.Set(p++, group.Count);
            upsert.Set(p++, group.LastTicks);
        }

        upsert.Execute();
    }

    /// <summary><c>(?1, ?2, ...), (...)</c>: <paramref name="rows"/> groups of <paramref name="columns"/> numbered parameters.</summary>
    private static string Placeholders(int rows, int columns)
    {
        var sql = new StringBuilder();
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 1; column <= columns; column++)
            {
                sql.Append(column == 1 ? "?" : ", ?").Append(row * columns + column);
            }

            sql.Append(')');
        }

        return sql.ToString();
    }

    /// <summary>Stops the background writer (waiting for it: the connection is then free) and frees the statements.</summary>
    public void Dispose()
    {
        this.handOver?.Dispose();
        insertMany.Dispose();
        insertOne?.Dispose();
        upsertMany?.Dispose();
        upsertOne?.Dispose();
    }
}
