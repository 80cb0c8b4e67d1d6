using System.Diagnostics;
using HealthDashboard.Data;
using Npgsql;
using NpgsqlTypes;

namespace HealthDashboard.Import;

/// <summary>
/// Writes an import's usage rows to PostgreSQL, in the connection's current transaction: the rows through one binary
/// <c>COPY</c> stream (<see cref="PostgresUsageCopy"/>), and their daily roll-up (<see cref="UsageRollup"/>) summed in
/// memory as the rows pass (<see cref="UsageDailySums"/>), then merged into <c>UsageDaily</c> with one
/// <c>INSERT ... SELECT ... FROM unnest(...) ON CONFLICT DO UPDATE</c> whose seven arrays carry the groups in key order.
/// </summary>
/// <remarks>
/// Why not the grouped statement over the new raw rows (<see cref="UsageRollup.AddSinceAsync"/>): it read back and
/// sorted every row the COPY had just written, 6.0 of the 8.1 s of a million-row import (bench part 3). Why arrays and
/// not a COPY into a temporary table and a merge from it: the same binary transfer without creating, filling and
/// dropping a table in the catalog, and still one statement per flush. The connection runs nothing else while the COPY
/// is open, so a flush (every <see cref="UsageDailySums.MaxGroups"/> groups, memory stays bounded) ends the COPY, merges
/// the groups and starts a new COPY; a group met in two flushes adds up, as it does across imports.
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
        this.copy = await PostgresUsageCopy.BeginAsync(this.connection, cancellationToken);
    }

    /// <summary>Ends the COPY and merges the groups still held: the rows and their roll-up are in the transaction.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await this.copy.CompleteAsync(cancellationToken);
        // Only disposing the importer hands the connection back for other commands.
        await this.copy.DisposeAsync();
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
        var days = new int[sorted.Length];
        var accounts = new int[sorted.Length];
        var eventTypes = new int[sorted.Length];
        var users = new int[sorted.Length];
        var atMidnight = new bool[sorted.Length];
        var counts = new long[sorted.Length];
        var lastTimes = new long[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            var group = sorted[i];
            (days[i], accounts[i], eventTypes[i], users[i]) = (group.Day, group.AccountId, group.EventTypeId, group.UserId);
            (atMidnight[i], counts[i], lastTimes[i]) = (group.AtMidnight, group.Count, group.LastTicks);
        }

        await using var merge = new NpgsqlCommand(MergeSql, this.connection) { CommandTimeout = 0 };
        merge.Parameters.Add(new NpgsqlParameter<int[]>("day", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = days });
        merge.Parameters.Add(new NpgsqlParameter<int[]>("account", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = accounts });
        merge.Parameters.Add(new NpgsqlParameter<int[]>("eventType", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = eventTypes });
        merge.Parameters.Add(new NpgsqlParameter<int[]>("user", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = users });
        merge.Parameters.Add(new NpgsqlParameter<bool[]>("atMidnight", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = atMidnight });
        merge.Parameters.Add(new NpgsqlParameter<long[]>("count", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = counts });
        merge.Parameters.Add(new NpgsqlParameter<long[]>("last", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = lastTimes });
        await merge.ExecuteNonQueryAsync(cancellationToken);
        this.stages.Add("roll-up", started);
    }

    /// <summary>Cancels the COPY if it was not completed (the transaction is then rolled back); nothing once it was.</summary>
    public ValueTask DisposeAsync() => this.copy.DisposeAsync();
}
