using Npgsql;
using NpgsqlTypes;

namespace HealthDashboard.Data;

/// <summary>
/// Appends usage rows on PostgreSQL through binary <c>COPY "Usage" FROM STDIN</c> (<see cref="BinaryCopyRows"/> on
/// Npgsql's raw COPY stream): one stream per file instead of a round trip per row, inside the caller's
/// transaction, so the rows commit with the rest of the import (and its roll-up) or not at all. While it is open the
/// connection runs nothing else. Used by the importer and the demo generator.
/// </summary>
/// <remarks>
/// Why the ids are written here and not drawn from the identity sequence: a <c>nextval</c> per row was a fifth of
/// a bare COPY's time (psql, one million rows: 1.1 s without an id column, 1.6 s with the identity's default). The
/// rows get the ids after the largest stored one or drawn, in order, and <see cref="CompleteAsync"/> moves the
/// sequence past them, so inserts that do draw from it (EF, the SQLite-shaped paths) never collide. That relies on
/// what the refresh already relies on: usage is appended by one writer at a time (imports hold the import lock,
/// <c>FolderImporter</c>; the demo generator fills an empty store), so every id of a batch is above every id
/// committed before it, the watermark the incremental refresh reads rows "added since" by. A sequence cache would
/// save the same time but not keep that order (each connection would draw from its own block of ids). On PostgreSQL
/// raw usage has no primary-key B-tree (<c>HealthDbContext</c>, migration <c>UsageWithoutIdBtree</c>): the ids' uniqueness
/// is this numbering's, under that one-writer rule.
/// </remarks>
public sealed class PostgresUsageCopy : IAsyncDisposable
{
    private const string CopySql = """COPY "Usage" ("Id", "AccountId", "UserId", "EventTypeId", "Timestamp", "Count") FROM STDIN (FORMAT BINARY)""";

    // The identity sequence's last value (null before the first draw or setval).
    private const string SequenceLastValueSql = """
        SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('"Usage"', 'Id')::regclass), 0)
        """;

    // Moves the identity sequence past the ids written (never back: setval to a smaller value would hand them out again).
    private const string AdvanceSequenceSql = """
        SELECT setval(s, greatest(@lastId, coalesce(pg_sequence_last_value(s), 0)))
        FROM (SELECT pg_get_serial_sequence('"Usage"', 'Id')::regclass AS s) AS q
        """;

    private readonly NpgsqlConnection connection;
    private readonly BinaryCopyRows importer;
    private readonly long firstId;
    private long nextId;

    private PostgresUsageCopy(NpgsqlConnection connection, BinaryCopyRows importer, long firstId)
    {
        this.connection = connection;
        this.importer = importer;
        this.firstId = this.nextId = firstId;
    }

    /// <summary>Starts the COPY on <paramref name="connection"/> (which must be a PostgreSQL connection, open, in its transaction).</summary>
    /// <param name="connection">The open connection, in its transaction.</param>
    /// <param name="firstId">
    /// The first row's id when the caller knows it (<see cref="NextId"/> of the COPY it just completed on this
    /// transaction); null to take the id after the newest stored one and the sequence's last value.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PostgresUsageCopy> BeginAsync(System.Data.Common.DbConnection connection, long? firstId, CancellationToken cancellationToken)
    {
        var postgres = (NpgsqlConnection)connection;
        if (firstId is null)
        {
            await using var query = new NpgsqlCommand(SequenceLastValueSql, postgres);
            var sequence = Convert.ToInt64(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            firstId = Math.Max(sequence, await UsageRollup.LastUsageIdAsync(postgres, null, cancellationToken)) + 1;
        }

        return new(postgres, await BinaryCopyRows.BeginAsync(postgres, CopySql, cancellationToken), firstId.Value);
    }

    /// <summary>Starts the COPY with ids after the newest stored one and the sequence's last value.</summary>
    public static Task<PostgresUsageCopy> BeginAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
        BeginAsync(connection, null, cancellationToken);

    /// <summary>The id the next row gets (after <see cref="CompleteAsync"/>: the first id a next COPY in this transaction may use).</summary>
    public long NextId => nextId;

    /// <summary>Adds one row (buffered; written as the buffer fills).</summary>
    public void Write(int accountId, int? userId, int eventTypeId, long ticks, int count)
    {
        importer.StartRow(6);
        importer.Write(nextId++);
        importer.Write(accountId);
        if (userId is { } user)
        {
            importer.Write(user);
        }
        else
        {
            importer.WriteNull();
        }

        importer.Write(eventTypeId);
        importer.Write(ticks);
        importer.Write(count);
    }

    /// <summary>
    /// Ends the COPY and moves the id sequence past its rows: the rows are in the transaction and the connection is
    /// free for other commands. Without it, disposing cancels the COPY.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await importer.CompleteAsync(cancellationToken);
        if (nextId == firstId)
        {
            return;
        }

        await using var advance = new NpgsqlCommand(AdvanceSequenceSql, connection);
        advance.Parameters.Add(new NpgsqlParameter<long>("lastId", NpgsqlDbType.Bigint) { TypedValue = nextId - 1 });
        await advance.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => importer.DisposeAsync();
}
