using System.Diagnostics;
using HealthDashboard.Data;
using Npgsql;
using NpgsqlTypes;

namespace HealthDashboard.Import;

/// <summary>
/// Writes an import's usage rows to PostgreSQL, in the connection's current transaction: the rows through one binary
/// <c>COPY</c> stream (<see cref="PostgresUsageCopy"/>), and their daily roll-up (<see cref="UsageRollup"/>) summed in
/// memory as the rows pass (<see cref="UsageDailySums"/>), then written to <c>UsageDaily</c> in key order: the groups
/// of days that have no roll-up row yet through a second binary COPY, those of days that do with one
/// <c>INSERT ... SELECT ... FROM unnest(...) ON CONFLICT DO UPDATE</c> whose seven arrays carry them.
/// </summary>
/// <remarks>
/// <para>Why not the grouped statement over the new raw rows (<see cref="UsageRollup.AddSinceAsync"/>): it read back and
/// sorted every row the COPY had just written, 6.0 of the 8.1 s of a million-row import (bench part 3). Raw events make
/// nearly one group per row (part 3's million rows: 903,489 groups), so writing the groups costs about what writing
/// the rows does, and how they are written matters: into a table shaped like <c>UsageDaily</c>, 900,000 sorted rows
/// took 3.7 to 4.1 s by COPY and 9.1 to 10.5 s by <c>INSERT ... ON CONFLICT</c> (psql, same minute, busy machine).
/// A day with no roll-up row cannot conflict (imports take one lock, and the days are checked inside it), so a daily
/// export of a new day goes by COPY; a day met before (API batches through the day, a re-sent day) is merged.</para>
/// <para>Why arrays and not a COPY into a temporary table and a merge from it: the same binary transfer without
/// creating, filling and dropping a table in the catalog, and one statement. The connection runs nothing else while a
/// COPY is open, so a flush (every <see cref="UsageDailySums.MaxGroups"/> groups, memory stays bounded) ends the rows'
/// COPY, writes the groups and starts a new COPY; a group met in two flushes adds up (its day is stored by then).</para>
/// <para>The importer's writer runs in the background (<see cref="BeginAsync(NpgsqlConnection, ImportStages, int, bool, CancellationToken)"/>):
/// the reader hands the checked rows over in chunks (<see cref="RowHandOver{TRow}"/>) and reads on while a thread of the
/// writer's own streams them into the COPY and flushes the groups; it also flushes whenever a row starts a day after
/// every day held (with at least <see cref="MinGroupsPerDayFlush"/> groups held), so a file in time order (an export)
/// writes each day's groups once, by COPY, while the reader checks the next day, instead of all of them after the last
/// row with the reader idle (bench part 3: the roll-up was 1.2 to 2 s of a 3 s import after the rows).</para>
/// <para>The floor, and why a file of sparse events stays over 2 x <c>psql \copy</c> (bench README, part 3): raw events
/// spread thin (0.3 a user and day) make nearly one roll-up group per row, so the import writes two heaps of the file's
/// size and <c>PK_UsageDaily</c> where <c>\copy</c> writes one heap. psql alone, binary COPY of such an import's rows and
/// groups with their indexes in one transaction: 2.5 to 2.8 x its CSV <c>\copy</c>, of which the primary key is about
/// 0.7 s a million groups; the import now takes about that plus 0.3 to 0.5 s. A day of raw events as an analytics
/// export has them (50 to 100 a user) makes a quarter as many groups and imports at about 2 x (1.9 and 2.3 x in two
/// runs on a loaded machine). Reaching 2 x on the sparse
/// shape needs another roll-up design (no primary key and merges by day, groups allowed to repeat, or a partition per
/// day indexed in bulk), each with its own cost to the API's per-minute merges or to <c>verify</c>: not done without the
/// coordinator's word.</para>
/// </remarks>
internal sealed class PostgresUsageWriter : IAsyncDisposable
{
    // The upsert adds counts and keeps the later time (UsageRollup's conflict clause); the groups of one flush are
    // distinct keys, as PostgreSQL requires of one INSERT ... ON CONFLICT DO UPDATE.
    private const string MergeSql = $"""
        INSERT INTO "UsageDaily" ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp")
        SELECT * FROM unnest(@day, @account, @eventType, @user, @atMidnight, @count, @last)
        {UsageRollup.AccumulateOnConflict}
        """;

    private const string CopyGroupsSql = """
        COPY "UsageDaily" ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp") FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Groups held before a new day's first row flushes them (background mode): fewer, and days are too small to bother.</summary>
    public const int MinGroupsPerDayFlush = 1 << 13;

    /// <summary>Rows handed to the background writer at a time.</summary>
    private const int RowsPerChunk = 8192;

    /// <summary>
    /// Chunks the background writer may lag behind the reader (about 200 KB each): enough for the reader to read on
    /// while a day's groups are written.
    /// </summary>
    private const int ChunksQueued = 32;

    private readonly NpgsqlConnection connection;
    private readonly ImportStages stages;
    private readonly UsageDailySums groups;
    private readonly RowHandOver<UsageRow>? handOver;
    private PostgresUsageCopy copy;

    // The latest day of the groups held (background mode's day flushes), in days since 0001-01-01.
    private long lastDayHeld = long.MinValue;

    // Stopwatch ticks of the database work, kept by whichever thread writes; added to the stages by CompleteAsync.
    private long insertTicks, rollupTicks;

    private PostgresUsageWriter(NpgsqlConnection connection, ImportStages stages, PostgresUsageCopy copy, int maxGroups, bool inBackground)
    {
        this.connection = connection;
        this.stages = stages;
        this.copy = copy;
        groups = new UsageDailySums(maxGroups);
        if (inBackground)
        {
            handOver = new RowHandOver<UsageRow>(StoreAndFlush, RowsPerChunk, ChunksQueued);
        }
    }

    private readonly record struct UsageRow(int AccountId, int? UserId, int EventTypeId, long Ticks, int Count);

    /// <summary>Starts the COPY on <paramref name="connection"/> (open, in the import's transaction).</summary>
    /// <param name="connection">The open connection, in the import's transaction.</param>
    /// <param name="stages">The import's stopwatches.</param>
    /// <param name="maxGroups">Roll-up groups held before <see cref="Full"/> asks for a flush.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PostgresUsageWriter> BeginAsync(NpgsqlConnection connection, ImportStages stages, int maxGroups, CancellationToken cancellationToken) =>
        new(connection, stages, await PostgresUsageCopy.BeginAsync(connection, cancellationToken), maxGroups, inBackground: false);

    /// <summary>
    /// Starts the importer's writer: with <paramref name="inBackground"/> the rows are written on a thread of the writer's
    /// own, which flushes by itself (<see cref="Full"/> stays false); the caller must then run nothing else on
    /// <paramref name="connection"/> until <see cref="CompleteAsync"/> or <see cref="DisposeAsync"/> returns.
    /// </summary>
    public static async Task<PostgresUsageWriter> BeginAsync(
        NpgsqlConnection connection, ImportStages stages, int maxGroups, bool inBackground, CancellationToken cancellationToken) =>
        new(connection, stages, await PostgresUsageCopy.BeginAsync(connection, cancellationToken), maxGroups, inBackground);

    /// <summary>Adds one usage row (ids are the stored, positive ones). When <see cref="Full"/> turns true, call <see cref="FlushAsync"/>.</summary>
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

    /// <summary>True when the groups held should be merged (<see cref="FlushAsync"/>) before more rows are added (never in background mode).</summary>
    public bool Full => this.handOver is null && this.groups.Full;

    private void Store(UsageRow row)
    {
        this.copy.Write(row.AccountId, row.UserId, row.EventTypeId, row.Ticks, row.Count);
        this.groups.Add(row.AccountId, row.UserId, row.EventTypeId, row.Ticks, row.Count);
    }

    /// <summary>The background writer's store: a row of a day after every day held, or a full set of groups, flushes first.</summary>
    private void StoreAndFlush(UsageRow row)
    {
        var day = row.Ticks / TimeSpan.TicksPerDay;
        if ((day > this.lastDayHeld && this.groups.Count >= MinGroupsPerDayFlush) || this.groups.Full)
        {
            // The writer's own thread, which may block: the reader reads on meanwhile.
            FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        this.lastDayHeld = Math.Max(this.lastDayHeld, day);
        Store(row);
    }

    /// <summary>Ends the COPY, merges the groups held and starts a new COPY for the rows to come.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await EndCopyAndMergeAsync(cancellationToken);
        // The ids go on from the COPY just completed (the rows written since are this transaction's own): no query
        // for the newest id per flush.
        this.copy = await PostgresUsageCopy.BeginAsync(this.connection, this.copy.NextId, cancellationToken);
    }

    /// <summary>
    /// Ends the COPY and merges the groups still held (in background mode: once every row handed over is written, its
    /// error thrown here): the rows and their roll-up are in the transaction.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (this.handOver is not null)
        {
            this.handOver.Complete();
            this.stages.AddTicks("waiting for the usage writer", this.handOver.WaitTicks);
        }

        await EndCopyAndMergeAsync(cancellationToken);
        this.stages.AddTicks("usage inserts", this.insertTicks);
        this.stages.AddTicks("roll-up", this.rollupTicks);
    }

    private async Task EndCopyAndMergeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await this.copy.CompleteAsync(cancellationToken);
        this.insertTicks += Stopwatch.GetTimestamp() - started;
        await MergeAsync(cancellationToken);
    }

    private async Task MergeAsync(CancellationToken cancellationToken)
    {
        if (this.groups.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var sorted = this.groups.InKeyOrder();
        this.groups.Clear();
        var storedDays = await StoredDaysAsync(sorted, cancellationToken);
        // Sorted by day first: each day's groups are one run, all new or all to be merged.
        var isNew = Array.ConvertAll(sorted, g => !storedDays.Contains(g.Day));
        await CopyNewAsync(sorted, isNew, cancellationToken);
        if (storedDays.Count > 0)
        {
            await UpsertAsync([.. sorted.Where((_, i) => !isNew[i])], cancellationToken);
        }

        this.rollupTicks += Stopwatch.GetTimestamp() - started;
    }

    /// <summary>The days among <paramref name="sorted"/>'s that already have roll-up rows (earlier imports, or earlier flushes of this one).</summary>
    private async Task<HashSet<int>> StoredDaysAsync(UsageDailyGroup[] sorted, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand(
            """SELECT d FROM unnest(@days) AS d WHERE EXISTS (SELECT 1 FROM "UsageDaily" WHERE "Day" = d)""", this.connection);
        query.Parameters.Add(new NpgsqlParameter<int[]>("days", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        {
            TypedValue = [.. sorted.Select(g => g.Day).Distinct()],
        });
        var stored = new HashSet<int>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(reader.GetInt32(0));
        }

        return stored;
    }

    /// <summary>Appends the groups of days with no roll-up row yet through a binary COPY: no conflict is possible.</summary>
    private async Task CopyNewAsync(UsageDailyGroup[] sorted, bool[] isNew, CancellationToken cancellationToken)
    {
        if (!isNew.Contains(true))
        {
            return;
        }

        // Written synchronously, as the rows' COPY is: an awaited call per field costs more than the buffered write.
        await using var copyGroups = await BinaryCopyRows.BeginAsync(this.connection, CopyGroupsSql, cancellationToken);
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!isNew[i])
            {
                continue;
            }

            var group = sorted[i];
            copyGroups.StartRow(7);
            copyGroups.Write(group.Day);
            copyGroups.Write(group.AccountId);
            copyGroups.Write(group.EventTypeId);
            copyGroups.Write(group.UserId);
            copyGroups.Write(group.AtMidnight);
            copyGroups.Write(group.Count);
            copyGroups.Write(group.LastTicks);
        }

        await copyGroups.CompleteAsync(cancellationToken);
    }

    /// <summary>Merges groups into days that have roll-up rows: one upsert that adds counts and keeps the later time.</summary>
    private async Task UpsertAsync(UsageDailyGroup[] groups, CancellationToken cancellationToken)
    {
        await using var merge = new NpgsqlCommand(MergeSql, this.connection) { CommandTimeout = 0 };
        merge.Parameters.Add(new NpgsqlParameter<int[]>("day", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. groups.Select(g => g.Day)] });
        merge.Parameters.Add(new NpgsqlParameter<int[]>("account", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. groups.Select(g => g.AccountId)] });
        merge.Parameters.Add(new NpgsqlParameter<int[]>("eventType", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. groups.Select(g => g.EventTypeId)] });
        merge.Parameters.Add(new NpgsqlParameter<int[]>("user", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. groups.Select(g => g.UserId)] });
        merge.Parameters.Add(new NpgsqlParameter<bool[]>("atMidnight", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = [.. groups.Select(g => g.AtMidnight)] });
        merge.Parameters.Add(new NpgsqlParameter<long[]>("count", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. groups.Select(g => g.Count)] });
        merge.Parameters.Add(new NpgsqlParameter<long[]>("last", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. groups.Select(g => g.LastTicks)] });
        await merge.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Stops the background writer, then cancels the COPY if it was not completed (the transaction is then rolled back);
    /// nothing once it was.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        this.handOver?.Dispose();
        return this.copy.DisposeAsync();
    }
}
