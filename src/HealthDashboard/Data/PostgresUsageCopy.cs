using Npgsql;
using NpgsqlTypes;

namespace HealthDashboard.Data;

/// <summary>
/// Appends usage rows on PostgreSQL through binary <c>COPY "Usage" FROM STDIN</c> (Npgsql's
/// <see cref="NpgsqlBinaryImporter"/>): one stream per file instead of a round trip per row, inside the caller's
/// transaction, so the rows commit with the rest of the import (and its roll-up) or not at all. While it is open the
/// connection runs nothing else. Used by the importer and the demo generator.
/// </summary>
public sealed class PostgresUsageCopy : IAsyncDisposable
{
    private const string CopySql = """COPY "Usage" ("AccountId", "UserId", "EventTypeId", "Timestamp", "Count") FROM STDIN (FORMAT BINARY)""";

    private readonly NpgsqlBinaryImporter importer;

    private PostgresUsageCopy(NpgsqlBinaryImporter importer) => this.importer = importer;

    /// <summary>Starts the COPY on <paramref name="connection"/> (which must be a PostgreSQL connection, open, in its transaction).</summary>
    public static async Task<PostgresUsageCopy> BeginAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
        new(await ((NpgsqlConnection)connection).BeginBinaryImportAsync(CopySql, cancellationToken));

    /// <summary>Adds one row (buffered; written as the buffer fills).</summary>
    public void Write(int accountId, int? userId, int eventTypeId, long ticks, int count)
    {
        importer.StartRow();
        importer.Write(accountId, NpgsqlDbType.Integer);
        if (userId is { } user)
        {
            importer.Write(user, NpgsqlDbType.Integer);
        }
        else
        {
            importer.WriteNull();
        }

        importer.Write(eventTypeId, NpgsqlDbType.Integer);
        importer.Write(ticks, NpgsqlDbType.Bigint);
        importer.Write(count, NpgsqlDbType.Integer);
    }

    /// <summary>Ends the COPY: the rows are in the transaction. Without it, disposing cancels the COPY.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken) => await importer.CompleteAsync(cancellationToken);

    public ValueTask DisposeAsync() => importer.DisposeAsync();
}
