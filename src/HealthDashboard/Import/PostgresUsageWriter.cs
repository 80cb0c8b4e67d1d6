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

    private readonly NpgsqlConnection connection;
    private readonly ImportStages stages;
    private readonly UsageDailySums groups;
    private PostgresUsageCopy copy;

    private PostgresUsageWriter(NpgsqlConnection connection, ImportStages stages, PostgresUsageCopy copy, int maxGroups)
    {
        this.connection = connection;
        this.stages = stages;
        this.copy = copy;
        groups = new UsageDailySums(maxGroups);
    }

    /// <summary>Starts the COPY on <paramref name="connection"/> (open, in the import's transaction).</summary>
    /// <param name="connection">The open connection, in the import's transaction.</param>
    /// <param name="stages">The import's stopwatches.</param>
    /// <param name="maxGroups">Roll-up groups held before <see cref="Full"/> asks for a flush.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PostgresUsageWriter> BeginAsync(NpgsqlConnection connection, ImportStages stages, int maxGroups, CancellationToken cancellationToken) =>
        new(connection, stages, await PostgresUsageCopy.BeginAsync(connection, cancellationToken), maxGroups);

    /// <summary>Adds one usage row (ids are the stored, positive ones). When <see cref="Full"/> turns true, call <see cref="FlushAsync"/>.</summary>
    public void Add(int accountId, int? userId, int eventTypeId, long ticks, int count)
    {
        this.copy.Write(accountId, userId, eventTypeId, ticks, count);
        this.groups.Add(accountId, userId, eventTypeId, ticks, count);
    }

    /// <summary>True when the groups held should be merged (<see cref="FlushAsync"/>) before more rows are added.</summary>
    public bool Full => this.groups.Full;

    /// <summary>Ends the COPY, merges the groups held and starts a new COPY for the rows to come.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await CompleteAsync(cancellationToken);
        // The ids go on from the COPY just completed (the rows written since are this transaction's own): no query
        // for the newest id per flush.
        this.copy = await PostgresUsageCopy.BeginAsync(this.connection, this.copy.NextId, cancellationToken);
    }

    /// <summary>Ends the COPY and merges the groups still held: the rows and their roll-up are in the transaction.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await this.copy.CompleteAsync(cancellationToken);
        this.stages.Add("usage inserts", started);
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

        this.stages.Add("roll-up", started);
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
        await using var copyGroups = await this.connection.BeginBinaryImportAsync(CopyGroupsSql, cancellationToken);
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!isNew[i])
            {
                continue;
            }

            var group = sorted[i];
            copyGroups.StartRow();
            copyGroups.Write(group.Day, NpgsqlDbType.Integer);
            copyGroups.Write(group.AccountId, NpgsqlDbType.Integer);
            copyGroups.Write(group.EventTypeId, NpgsqlDbType.Integer);
            copyGroups.Write(group.UserId, NpgsqlDbType.Integer);
            copyGroups.Write(group.AtMidnight, NpgsqlDbType.Boolean);
            copyGroups.Write(group.Count, NpgsqlDbType.Bigint);
            copyGroups.Write(group.LastTicks, NpgsqlDbType.Bigint);
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

    /// <summary>Cancels the COPY if it was not completed (the transaction is then rolled back); nothing once it was.</summary>
    public ValueTask DisposeAsync() => this.copy.DisposeAsync();
}
