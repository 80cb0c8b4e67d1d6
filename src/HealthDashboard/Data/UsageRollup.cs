using System.Data.Common;

namespace HealthDashboard.Data;

/// <summary>
/// Keeps and checks the daily roll-up of usage (table <c>UsageDaily</c>, <see cref="UsageDay"/>): per UTC
/// day, account, event type, user (0 = account-level) and "exactly at midnight", the summed count and the
/// latest timestamp. Every path that inserts usage writes the roll-up in the same transaction, so it always agrees
/// with the raw rows: <see cref="AddSinceAsync"/> (the demo generator, the test kit, the bench's database), or, in the
/// importer (which the CSV, the API and the Import page all go through), the same upsert from sums kept in memory as the
/// rows pass (<c>Import/UsageDailySums</c>, written by <c>SqliteUsageWriter</c> and <c>PostgresUsageWriter</c>). <c>verify</c> checks it
/// (<see cref="FindDifferencesAsync"/>).
/// </summary>
/// <remarks>
/// <para>Why one roll-up row can stand for its raw rows: the scoring core (<c>WindowAggregates</c>) only adds
/// counts, sets an active-day bit for the row's UTC day, and keeps the latest time per account, user and
/// event type. A group whose rows all lie in the window (T - W, T] contributes exactly the same when it is
/// handed over as ONE usage row with the sum as its count and the latest timestamp as its time; a group
/// wholly before the window only contributes its latest time (Recency), also the same. So scoring from
/// roll-ups is exact whenever no group straddles a window edge.</para>
/// <para>Why midnight rows are a group of their own: snapshots, history and the backtest score at
/// midnights, and daily exports carry date-only timestamps, i.e. rows exactly at 00:00. With T at midnight
/// the window (T - W, T] takes the midnight rows of day(T) and leaves out those of day(T - W), and takes
/// every other row of the days between: with the midnight rows apart, no group straddles an edge, so every
/// midnight as-of time is exact from roll-ups alone. For any other T only the two edge days, day(T) and
/// day(T - W), are read as raw rows (<c>PortfolioLoader</c>).</para>
/// <para>Why SQL and not an in-memory map at import: one statement, the same on every insert path, over just
/// the rows the transaction added (<c>"Id" &gt; before</c>, a rowid range), each row an upsert into its group
/// so a day that is imported in several batches (API batches every minute) accumulates. On SQLite row by row rather
/// than <c>GROUP BY</c>: raw events (count 1, one user) make groups of one or two rows, so grouping first
/// saves few upserts and costs a sort of every new row (measured: 1.6 s against 0.8 s of CPU for a million rows).</para>
/// </remarks>
public static class UsageRollup
{
    /// <summary>The roll-up's group of a raw row (day, account, event type, user or 0, at midnight) and its sums.</summary>
    private const string GroupOfUsage = """
        SELECT "Timestamp" / 864000000000 AS "Day", "AccountId", "EventTypeId", coalesce("UserId", 0) AS "UserId",
               "Timestamp" % 864000000000 = 0 AS "AtMidnight", sum("Count") AS "Count", max("Timestamp") AS "LastTimestamp"
        FROM "Usage"
        """;

    private const string GroupBy = """GROUP BY 1, 2, 3, 4, 5""";

    private const string Upsert = """
        ON CONFLICT ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight") DO UPDATE SET
            "Count" = "UsageDaily"."Count" + excluded."Count",
            "LastTimestamp" = CASE WHEN excluded."LastTimestamp" > "UsageDaily"."LastTimestamp" THEN excluded."LastTimestamp" ELSE "UsageDaily"."LastTimestamp" END
        """;

    /// <summary>The upsert's conflict clause: a group met again adds its count and keeps the later time.</summary>
    internal const string AccumulateOnConflict = "\n" + Upsert;

    // SQLite: row by row in id order, each an upsert into the clustered key. No GROUP BY, so no sort of the new rows
    // in a temporary b-tree (that sort was half the time of a million-row import; the upserts are the other half).
    private const string AddRowsSql = $"""
        INSERT INTO "UsageDaily" ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp")
        SELECT "Timestamp" / 864000000000, "AccountId", "EventTypeId", coalesce("UserId", 0), "Timestamp" % 864000000000 = 0, "Count", "Timestamp"
        FROM "Usage" WHERE "Id" > @after ORDER BY "Id"
        {Upsert}
        """;

    // PostgreSQL refuses an INSERT ... ON CONFLICT that updates one row twice, so its rows are grouped first.
    private const string AddGroupsSql = $"""
        INSERT INTO "UsageDaily" ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp")
        {GroupOfUsage} WHERE "Id" > @after {GroupBy}
        {Upsert}
        """;

    // The later of two times as CASE, not SQLite's max(a, b) or PostgreSQL's greatest(a, b): one statement for both engines.

    // Both sides in key order: the stored roll-up is its clustered primary key; the recomputed one is grouped
    // (and so sorted) by the same columns. FindDifferencesAsync merges the two streams in one pass, in constant
    // memory (a join of the two inside SQLite turned out quadratic on the unindexed grouped side).
    private const string StoredSql = """
        SELECT "Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp" FROM "UsageDaily"
        ORDER BY "Day", "AccountId", "EventTypeId", "UserId", "AtMidnight"
        """;

    private const string ExpectedSql = $"""{GroupOfUsage} WHERE true {GroupBy} ORDER BY 1, 2, 3, 4, 5""";

    /// <summary>The id of the newest usage row (0 when none): pass it to <see cref="AddSinceAsync"/> after inserting.</summary>
    /// <remarks>
    /// On PostgreSQL raw usage has no B-tree on its id (see <c>HealthDbContext</c>), so <c>max("Id")</c> alone would read
    /// the whole table. Every id written moves the identity sequence past it (<see cref="PostgresUsageCopy"/>, EF's
    /// inserts draw from it), so the newest committed id is at most the sequence's last value, and usually within the
    /// last <see cref="NewestIdsScanned"/> ids below it: the max over those is read through the BRIN index (the newest
    /// block ranges). Only when none of those ids is committed (a large import in progress or rolled back took them)
    /// is the whole table read. Not the sequence's value itself: it is not transactional (an import still running has
    /// moved it), and the refresh's watermark must be an id this transaction sees.
    /// </remarks>
    public static async Task<long> LastUsageIdAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        if (SqlDialect.IsPostgres(connection))
        {
            await using var sequence = Command(connection, transaction, SequenceLastValueSql);
            var last = Convert.ToInt64(await sequence.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (await MaxIdAboveAsync(connection, transaction, Math.Max(0, last - NewestIdsScanned), cancellationToken) is { } newest)
            {
                return newest;
            }
        }

        return await MaxIdAboveAsync(connection, transaction, 0, cancellationToken) ?? 0;
    }

    /// <summary>How many ids below the sequence's last value <see cref="LastUsageIdAsync"/> looks at first on PostgreSQL.</summary>
    internal const long NewestIdsScanned = 100_000;

    // The identity sequence's last value (0 before the first draw or setval).
    private const string SequenceLastValueSql = """
        SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('"Usage"', 'Id')::regclass), 0)
        """;

    private static async Task<long?> MaxIdAboveAsync(DbConnection connection, DbTransaction? transaction, long floor, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, floor > 0 ? """SELECT max("Id") FROM "Usage" WHERE "Id" > @floor""" : """SELECT max("Id") FROM "Usage" """);
        if (floor > 0)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@floor";
            parameter.Value = floor;
            command.Parameters.Add(parameter);
        }

        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    /// <summary>
    /// Adds the usage rows with an id above <paramref name="afterUsageId"/> (those the current transaction
    /// inserted) to the roll-up; call it inside that transaction, so both commit or neither does.
    /// </summary>
    public static async Task AddSinceAsync(DbConnection connection, DbTransaction? transaction, long afterUsageId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection, transaction, SqlDialect.IsPostgres(connection) ? AddGroupsSql : AddRowsSql);
        var after = command.CreateParameter();
        after.ParameterName = "@after";
        after.Value = afterUsageId;
        command.Parameters.Add(after);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Recomputes the whole roll-up from the raw rows (for stores written without it, e.g. a test's EF seeding).</summary>
    public static async Task RebuildAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        await using (var command = Command(connection, transaction, """DELETE FROM "UsageDaily" """))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await AddSinceAsync(connection, transaction, 0, cancellationToken);
    }

    /// <summary>Recomputes the roll-up from the raw rows and returns every group where it differs from the stored one.</summary>
    public static async Task<IReadOnlyList<RollupDifference>> FindDifferencesAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        // PostgreSQL runs one command at a time per connection: the second stream reads through a second one.
        await using var second = SqlDialect.IsPostgres(connection) ? (DbConnection)((ICloneable)connection).Clone() : null;
        if (second is not null)
        {
            await second.OpenAsync(cancellationToken);
        }

        await using var storedCommand = Command(connection, null, StoredSql);
        await using var expectedCommand = Command(second ?? connection, null, ExpectedSql);
        storedCommand.CommandTimeout = expectedCommand.CommandTimeout = 0;
        await using var stored = await storedCommand.ExecuteReaderAsync(cancellationToken);
        await using var expected = await expectedCommand.ExecuteReaderAsync(cancellationToken);
        var differences = new List<RollupDifference>();
        bool hasStored = await stored.ReadAsync(cancellationToken), hasExpected = await expected.ReadAsync(cancellationToken);
        while (hasStored || hasExpected)
        {
            var order = !hasStored ? 1 : !hasExpected ? -1 : CompareKeys(stored, expected);
            if (order == 0)
            {
                if (stored.GetInt64(5) != expected.GetInt64(5) || stored.GetInt64(6) != expected.GetInt64(6))
                {
                    differences.Add(Difference(expected, expected.GetInt64(5), expected.GetInt64(6), stored.GetInt64(5), stored.GetInt64(6)));
                }

                hasStored = await stored.ReadAsync(cancellationToken);
                hasExpected = await expected.ReadAsync(cancellationToken);
            }
            else if (order < 0)
            {
                differences.Add(Difference(stored, null, null, stored.GetInt64(5), stored.GetInt64(6)));
                hasStored = await stored.ReadAsync(cancellationToken);
            }
            else
            {
                differences.Add(Difference(expected, expected.GetInt64(5), expected.GetInt64(6), null, null));
                hasExpected = await expected.ReadAsync(cancellationToken);
            }
        }

        return differences;
    }

    private static int CompareKeys(DbDataReader a, DbDataReader b)
    {
        for (var column = 0; column < 5; column++)
        {
            var order = Key(a, column).CompareTo(Key(b, column));
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    /// <summary>A key column as a number: SQLite has no boolean (AtMidnight is 0/1), PostgreSQL's is a bool.</summary>
    private static long Key(DbDataReader reader, int column) =>
        Convert.ToInt64(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture);

    private static RollupDifference Difference(DbDataReader key, long? expectedCount, long? expectedLast, long? storedCount, long? storedLast) =>
        new((int)Key(key, 0), (int)Key(key, 1), (int)Key(key, 2), (int)Key(key, 3), Key(key, 4) != 0,
            expectedCount, expectedLast, storedCount, storedLast);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}

/// <summary>One roll-up group where the stored row and the raw rows disagree (null: no such row / no raw rows).</summary>
public sealed record RollupDifference(
    int Day, int AccountId, int EventTypeId, int UserId, bool AtMidnight,
    long? ExpectedCount, long? ExpectedLastTimestamp, long? StoredCount, long? StoredLastTimestamp)
{
    /// <summary>The group's UTC day.</summary>
    public DateTime Date => new(Day * TimeSpan.TicksPerDay, DateTimeKind.Utc);
}
