using System.Data.Common;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace HealthDashboard.Scores;

/// <summary>
/// Reads the store into the pure scoring core's <see cref="PortfolioData"/>: every account, user,
/// event type, ticket, survey and revenue entry, and the usage of one time span.
/// </summary>
/// <remarks>
/// Usage comes from the daily roll-up (<see cref="UsageRollup"/>): each roll-up row becomes one
/// <see cref="UsageRow"/> with the group's summed count at the group's latest time, which scores exactly like
/// its raw rows as long as no group straddles a window edge. Every midnight is such an edge for free (midnight
/// rows are a group of their own); for every other edge instant the loader reads that whole UTC day as raw
/// rows instead (on SQLite a range of the covering index IX_Usage_Window, on PostgreSQL the block ranges its BRIN
/// index IX_Usage_Time picks, grouped by the database). The span's own ends are always edges; a caller
/// that will score several as-of times from one load names their window edges (T and T - W days) in
/// <c>windowEdges</c>. Everything else it scores from the data is exact too when it only asks whole UTC days
/// (e.g. a per-day count) or midnights.
/// </remarks>
public sealed class PortfolioLoader(IDbContextFactory<HealthDbContext> dbFactory)
{
    /// <summary>Loads the portfolio with the usage in (<paramref name="usageFrom"/>, <paramref name="usageTo"/>], exact for windows ending or starting at either end.</summary>
    public Task<PortfolioData> LoadAsync(DateTime usageFrom, DateTime usageTo, CancellationToken cancellationToken = default) =>
        LoadAsync(usageFrom, usageTo, [], cancellationToken);

    /// <summary>
    /// Loads the portfolio with the usage in (<paramref name="usageFrom"/>, <paramref name="usageTo"/>], exact for
    /// every window whose ends are the span's ends, midnights, or instants listed in <paramref name="windowEdges"/>
    /// (for an as-of T with a window of W days: T and T - W days; see <see cref="WindowEdges"/>).
    /// </summary>
    public async Task<PortfolioData> LoadAsync(DateTime usageFrom, DateTime usageTo, IEnumerable<DateTime> windowEdges, CancellationToken cancellationToken = default) =>
        (await LoadSpanAsync(usageFrom, usageTo, windowEdges, cancellationToken)).Data;

    /// <summary>Like <see cref="LoadAsync(DateTime, DateTime, IEnumerable{DateTime}, CancellationToken)"/>, keeping what <see cref="UpdateAsync"/> needs to bring it up to date later.</summary>
    public async Task<LoadedSpan> LoadSpanAsync(DateTime usageFrom, DateTime usageTo, IEnumerable<DateTime> windowEdges, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One read transaction: the usage rows and the newest usage id come from the same state of the store.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stamp = await ReferenceStampAsync(db, cancellationToken);
        var lastUsageId = await UsageRollup.LastUsageIdAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), cancellationToken);
        var state = new StoreState(stamp, lastUsageId);
        var ids = await IdMaps.ReadAsync(db, cancellationToken);
        var edges = windowEdges.ToList();
        var exactDays = ExactDays(usageFrom, usageTo, edges);
        // Everything but usage is read on a connection of its own while this one and others read the usage.
        var referenceRead = ReadersBesideMain > 0
            ? OnAnotherThread(() => OnOwnConnectionAsync(state, other => ReadReferenceAsync(other, cancellationToken), cancellationToken), cancellationToken)
            : Task.FromResult<Reference?>(null);
        var (usage, usageRows) = await ReadUsageAsync(db, state, usageFrom.Ticks, usageTo.Ticks, exactDays, edges, ids, cancellationToken);
        var reference = await referenceRead ?? await ReadReferenceAsync(db, cancellationToken);
        if (!ids.SameAs(reference))
        {
            // Only when a writer changed the store under the read (the stamps would have said so): never map by stale ids.
            throw new InvalidOperationException("The accounts, users or event types changed while the portfolio was read; read it again.");
        }

        return new LoadedSpan(reference.ToData(usage, usageRows), usageFrom, usageTo, exactDays, lastUsageId, reference.AccountIds, reference.UserIds, reference.EventTypeIds)
        {
            ReferenceStamp = stamp,
        };
    }

    /// <summary>
    /// Connections read in parallel with the load's own (machines with several cores): the roll-up's days are read a
    /// range at a time by whichever connection is free, and everything but usage on one more. SQLite and PostgreSQL
    /// both scan one statement on one core, and the roll-up's read is most of a load, so this is what brings a load
    /// under the time of the engine's own single-threaded scan of the raw rows.
    /// </summary>
    private static int ReadersBesideMain => Math.Clamp(Environment.ProcessorCount - 1, 0, 3);

    /// <summary>
    /// Runs <paramref name="read"/> in a read transaction of a connection of its own, when that transaction sees the
    /// same store as the load's (<paramref name="expected"/>); null when it does not (a write committed in between:
    /// the caller reads on its own connection instead) or the contexts share one connection. On SQLite the load's own transaction holds the write lock, so
    /// nothing commits while it is open; on PostgreSQL the check is what keeps the reads together.
    /// </summary>
    private async Task<T?> OnOwnConnectionAsync<T>(StoreState expected, Func<HealthDbContext, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Closed)
        {
            // A context over one connection handed to every context (an in-memory store): it is the load's own.
            return null;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        // Deferred on SQLite: a reader must not queue for the write lock the load's transaction holds.
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var state = new StoreState(
            await ReferenceStampAsync(db, cancellationToken), await UsageRollup.LastUsageIdAsync(connection, transaction, cancellationToken));
        return state == expected ? await read(db) : null;
    }

    /// <summary>
    /// Starts <paramref name="read"/> on a thread-pool thread. Needed for the parallel reads to be parallel at all: SQLite's
    /// "async" calls (Microsoft.Data.Sqlite, and EF Core over it) complete synchronously, so a helper started by a plain
    /// call ran to its end on the caller's thread before the caller's own read began (the load was serial on any
    /// number of cores).
    /// </summary>
    private static Task<T?> OnAnotherThread<T>(Func<Task<T?>> read, CancellationToken cancellationToken)
        where T : class => Task.Run(read, cancellationToken);

    /// <summary>What a connection's read transaction sees of the store: the stamp of everything but usage, and the newest usage id.</summary>
    private readonly record struct StoreState(ReferenceStamp Stamp, long LastUsageId);

    /// <summary>
    /// Brings <paramref name="previous"/> up to date for the span (<paramref name="usageFrom"/>, <paramref name="usageTo"/>]
    /// without reading its usage again: the accounts, users, event types, tickets, surveys and revenue are read
    /// anew (small), and of the usage only the rows added since (ids above the previous newest; a rowid range)
    /// and the rows the span's end moved over. Null when that cannot be exact and a full
    /// <see cref="LoadSpanAsync"/> is needed: the UTC day of the end or the days the edges cut changed, the
    /// span's start moved back, or accounts, users or event types were removed.
    /// </summary>
    /// <remarks>
    /// Exact because a raw row added to a day held as roll-up rows is just one more row of a day no edge cuts
    /// (counts add, the active-day bit and the latest times are the same), rows added to a day held raw keep it
    /// raw, and the span's start lies in a day held raw, so rows before it are cut off by time.
    /// </remarks>
    public async Task<LoadedSpan?> UpdateAsync(LoadedSpan previous, DateTime usageFrom, DateTime usageTo, IEnumerable<DateTime> windowEdges, CancellationToken cancellationToken = default)
    {
        var exactDays = ExactDays(usageFrom, usageTo, windowEdges);
        if (usageTo < previous.To || usageFrom < previous.From || Day(usageTo.Ticks) != Day(previous.To.Ticks) || !exactDays.SetEquals(previous.ExactDays))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Usage-only imports (every API batch) leave the other tables as they were: then the previous ones are kept
        // instead of read again (a hundred thousand users are most of an update's time otherwise).
        var stamp = await ReferenceStampAsync(db, cancellationToken);
        if (stamp == previous.ReferenceStamp)
        {
            return await AddUsageAsync(db, previous, previous.Data, previous.AccountIds, previous.UserIds, previous.EventTypeIds,
                usageFrom, usageTo, exactDays, stamp, cancellationToken);
        }

        var reference = await ReadReferenceAsync(db, cancellationToken);
        // Database ids are autoincrement and the portfolio is ordered by them: while nothing was removed, the
        // previous accounts and users keep their indices. Event types are ordered by key, so they are remapped.
        if (!previous.AccountIds.AsSpan().SequenceEqual(reference.AccountIds.AsSpan(0, Math.Min(previous.AccountIds.Length, reference.AccountIds.Length)))
            || previous.AccountIds.Length > reference.AccountIds.Length
            || previous.UserIds.Length > reference.UserIds.Length
            || !previous.UserIds.AsSpan().SequenceEqual(reference.UserIds.AsSpan(0, previous.UserIds.Length))
            || previous.EventTypeIds.Any(id => !reference.EventIndex.ContainsKey(id)))
        {
            return null;
        }

        var span = await AddUsageAsync(db, previous, reference.ToData([]), reference.AccountIds, reference.UserIds, reference.EventTypeIds,
            usageFrom, usageTo, exactDays, stamp, cancellationToken);
        return span with { ReferenceChanged = !SameReference(previous.Data, span.Data) };
    }

    /// <summary>
    /// <paramref name="previous"/>'s usage from <paramref name="usageFrom"/> on, with the rows added since and those the span's
    /// end moved over, on the reference (<paramref name="reference"/>'s accounts ... metrics, its usage ignored) whose
    /// database ids are <paramref name="accountIds"/>, <paramref name="userIds"/> and <paramref name="eventTypeIds"/>.
    /// </summary>
    private static async Task<LoadedSpan> AddUsageAsync(
        HealthDbContext db, LoadedSpan previous, PortfolioData reference, int[] accountIds, int[] userIds, int[] eventTypeIds,
        DateTime usageFrom, DateTime usageTo, SortedSet<long> exactDays, ReferenceStamp stamp, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!;
        var lastUsageId = await UsageRollup.LastUsageIdAsync(connection, transaction.GetDbTransaction(), cancellationToken);
        // Rows committed since (a rowid range), and older rows whose time the span's end has moved over.
        (string, long)[] parameters =
        [
            ("@lastId", previous.LastUsageId), ("@newLastId", lastUsageId), ("@from", usageFrom.Ticks), ("@to", usageTo.Ticks), ("@previousTo", previous.To.Ticks),
        ];
        var ids = new IdMaps(accountIds, userIds, eventTypeIds);
        int[] eventOf = ids.EventOf;
        List<UsageRow> added;
        if (connection is SqliteConnection sqlite)
        {
            // The statement API and packed columns, as the load reads: a hundred thousand rows after a day's import.
            var sink = new UsageSink(ids);
            ReadInt64Rows(sqlite, $"""
                SELECT "AccountId" * 4294967296 + coalesce("UserId", 0), "EventTypeId", "Count", "Timestamp" FROM "Usage"
                WHERE "Id" > @lastId AND "Id" <= @newLastId AND "Timestamp" > @from AND "Timestamp" <= @to
                UNION ALL
                SELECT "AccountId" * 4294967296 + coalesce("UserId", 0), "EventTypeId", "Count", "Timestamp" FROM "Usage" {SqlDialect.IndexedBy(connection, "IX_Usage_Window")}
                WHERE "Timestamp" > @previousTo AND "Timestamp" <= @to AND "Id" <= @lastId
                """, parameters, sink.AddRow, cancellationToken);
            added = sink.Rows;
        }
        else
        {
            added = [];
            await using var command = connection.CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = $"""
                SELECT "Timestamp", "AccountId", "EventTypeId", "UserId", "Count" FROM "Usage"
                WHERE "Id" > @lastId AND "Id" <= @newLastId AND "Timestamp" > @from AND "Timestamp" <= @to
                UNION ALL
                SELECT "Timestamp", "AccountId", "EventTypeId", "UserId", "Count" FROM "Usage" {SqlDialect.IndexedBy(connection, "IX_Usage_Window")}
                WHERE "Timestamp" > @previousTo AND "Timestamp" <= @to AND "Id" <= @lastId
                """;
            foreach (var (name, value) in parameters)
            {
                AddParameter(command, name, value);
            }

            await ReadRawRowsAsync(command, ids.AccountOf, ids.UserOf, eventOf, added, cancellationToken);
        }

        var eventRemap = previous.EventTypeIds.Select(id => eventOf[id]).ToArray();
        var identity = eventRemap.Select((index, i) => index == i).All(same => same);
        var keepFrom = PortfolioData.FirstAfter(previous.Data.Usage, usageFrom.Ticks);
        var kept = previous.Data.Usage[keepFrom..];
        var sorted = SortedByTime([.. added]);
        // Rows at or after the last kept row's time (an import of today's events, every API batch) go after the kept
        // rows as they are, in place when the previous data is the newest over its buffer: no copy of the window's
        // millions of rows. Rows before it (even of its day, which an edge may cut and must stay sorted by time), or
        // event types remapped (a new event type's key sorted among the old), are merged.
        var usage = identity && (kept.IsEmpty || sorted.Length == 0 || sorted[0].Ticks >= kept[^1].Ticks)
            ? reference.WithUsageAppended(previous.Data, keepFrom, sorted)
            : reference.WithUsage(Merge(kept, identity ? null : eventRemap, sorted));
        return new LoadedSpan(usage, usageFrom, usageTo, exactDays, lastUsageId, accountIds, userIds, eventTypeIds)
        {
            EarliestAddedTicks = sorted.Length == 0 ? null : sorted[0].Ticks,
            AddedUsage = sorted,
            ReferenceChanged = false,
            ReferenceStamp = stamp,
        };
    }

    // The newest owner change (AccountOwnerStore updates Accounts in place and audits each change; an index seek).
    private const string NewestOwnerChangeSql = $"""SELECT coalesce(max("Id"), 0) FROM "AuditTrail" WHERE "Action" = '{Identity.AuditActions.AccountOwner}'""";

    /// <summary>
    /// What tells whether anything but usage changed since a load, read in one statement: the number and newest id of
    /// the rows of each other table (an insert or delete by anyone moves them), the ended overrides, the newest
    /// import of a file other than usage.csv (an import updates accounts, users, tickets ... in place) and the newest
    /// owner change (made in place too).
    /// </summary>
    private static async Task<ReferenceStamp> ReferenceStampAsync(HealthDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        string[] tables = ["Accounts", "AccountUsers", "EventTypes", "Tickets", "Surveys", "Revenue", "Overrides", "Metrics"];
        command.CommandText = "SELECT " + string.Join(", ", tables.Select(t => $"""(SELECT count(*) FROM "{t}"), (SELECT coalesce(max("Id"), 0) FROM "{t}")"""))
            + """, (SELECT count(*) FROM "Overrides" WHERE "EndedAt" IS NOT NULL), (SELECT coalesce(max("Id"), 0) FROM "ImportedFiles" WHERE "FileName" <> 'usage.csv')"""
            + $""", ({NewestOwnerChangeSql})""";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var values = new long[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Int64(reader, i);
        }

        return new ReferenceStamp(string.Join(",", values));
    }

    /// <summary>
    /// <paramref name="span"/>'s data with the UTC day that <paramref name="edge"/> cuts read as raw rows (those the
    /// span had seen: ids up to its newest), so a window starting or ending at <paramref name="edge"/> is exact too.
    /// The span's own data when the edge is a midnight, outside the span or on a day already raw. Synchronous, for
    /// callers off the request path (the model preview).
    /// </summary>
    public PortfolioData WithRawDay(LoadedSpan span, DateTime edge)
    {
        var day = Day(edge.Ticks);
        if (edge.Ticks % TimeSpan.TicksPerDay == 0 || edge <= span.From || edge > span.To || span.ExactDays.Contains(day))
        {
            return span.Data;
        }

        using var db = dbFactory.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT "Timestamp", "AccountId", "EventTypeId", "UserId", "Count" FROM "Usage" {SqlDialect.IndexedBy(connection, "IX_Usage_Window")}
            WHERE "Timestamp" >= @dayStart AND "Timestamp" < @dayEnd AND "Id" <= @lastId
            """;
        AddParameter(command, "@dayStart", day * TimeSpan.TicksPerDay);
        AddParameter(command, "@dayEnd", (day + 1) * TimeSpan.TicksPerDay);
        AddParameter(command, "@lastId", span.LastUsageId);
        int[] accountOf = IndexArray(span.AccountIds), userOf = IndexArray(span.UserIds), eventOf = IndexArray(span.EventTypeIds);
        var raw = new List<UsageRow>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var user = reader.IsDBNull(3) ? -1 : userOf[reader.GetInt32(3)];
                raw.Add(new UsageRow(accountOf[reader.GetInt32(1)], user, eventOf[reader.GetInt32(2)], reader.GetInt64(0), reader.GetInt32(4)));
            }
        }

        // The day's rows (roll-up rows, and raw rows an update added) are one run of the usage (in UTC day order).
        var usage = span.Data.Usage;
        int first = PortfolioData.FirstAfter(usage, (day * TimeSpan.TicksPerDay) - 1), end = PortfolioData.FirstAfter(usage, ((day + 1) * TimeSpan.TicksPerDay) - 1);
        UsageRow[] replaced = [.. usage[..first], .. SortedByTime([.. raw]), .. usage[end..]];
        return span.Data.WithUsage(replaced);
    }

    /// <summary>The default model's newest saved version (version 1, the default, always exists once migrated).</summary>
    public async Task<(int Version, ScoringModel Model)> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.ModelVersions.AsNoTracking().Where(v => v.ModelKey == "default").OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
        return latest is null ? (0, ScoringModel.Default) : (latest.Id, ScoringModel.FromJson(latest.ModelJson));
    }

    /// <summary>
    /// The newest saved models: the default, each segment model and the onboarding model, with their versions.
    /// </summary>
    public async Task<ScoringModelSet> LoadModelSetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latestIds = db.ModelVersions.GroupBy(v => v.ModelKey).Select(g => g.Max(v => v.Id));
        var rows = await db.ModelVersions.AsNoTracking().Where(v => latestIds.Contains(v.Id) && !v.Removed).ToListAsync(cancellationToken);
        var versions = new Dictionary<ModelKey, int>();
        ScoringModel? fallback = null, onboarding = null;
        var segments = new Dictionary<string, ScoringModel>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!ModelKey.TryParse(row.ModelKey, out var key))
            {
                continue;
            }

            var model = ScoringModel.FromJson(row.ModelJson);
            versions[key] = row.Id;
            switch (key.Kind)
            {
                case ModelKind.Default:
                    fallback = model;
                    break;
                case ModelKind.Onboarding:
                    onboarding = model;
                    break;
                default:
                    segments[key.Segment!] = model;
                    break;
            }
        }

        return new ScoringModelSet(fallback ?? ScoringModel.Default, segments, onboarding) { Versions = versions };
    }

    /// <summary>
    /// The newest import batch and model version: scores made at a different pair are stale
    /// (an import or a model save happened, maybe from the command line or another instance).
    /// </summary>
    public async Task<StoreVersion> LoadStoreVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var import = await db.ImportBatches.MaxAsync(b => (int?)b.Id, cancellationToken) ?? 0;
        var model = await db.ModelVersions.MaxAsync(v => (int?)v.Id, cancellationToken) ?? 0;
        // Setting an override adds a row, ending one stamps it: both raise newest id + ended count.
        var overrides = (await db.Overrides.MaxAsync(o => (int?)o.Id, cancellationToken) ?? 0) + await db.Overrides.CountAsync(o => o.EndedAt != null, cancellationToken);
        var owners = await db.Audit.Where(e => e.Action == Identity.AuditActions.AccountOwner).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        return new StoreVersion(import, model) { Overrides = overrides, OwnerChanges = owners };
    }

    /// <summary>The window edges of an as-of time: <paramref name="asOf"/> and <paramref name="windowDays"/> days before it.</summary>
    public static IEnumerable<DateTime> WindowEdges(DateTime asOf, int windowDays) => [asOf, asOf.AddDays(-windowDays)];

    /// <summary>UTC days (day numbers) within the span that an edge cuts inside the day: those are read as raw rows.</summary>
    private static SortedSet<long> ExactDays(DateTime from, DateTime to, IEnumerable<DateTime> windowEdges)
    {
        long firstDay = from.Ticks / TimeSpan.TicksPerDay, lastDay = to.Ticks / TimeSpan.TicksPerDay;
        var days = new SortedSet<long>();
        foreach (var edge in windowEdges.Append(from).Append(to))
        {
            var day = edge.Ticks / TimeSpan.TicksPerDay;
            if (edge.Ticks % TimeSpan.TicksPerDay != 0 && day >= firstDay && day <= lastDay)
            {
                days.Add(day);
            }
        }

        return days;
    }

    // Whole days from the roll-up (a range of its clustered key), except the days read raw. A group whose latest
    // time is outside the span lies wholly outside it (no edge cuts a rolled-up day). A group's latest time lies in
    // its day, so the day comes from it. PostgreSQL's columns are cast to bigint so the reader takes them as they come.
    private const string RollupSql = """
        SELECT "AccountId" * 4294967296 + "UserId", "EventTypeId", "Count", "LastTimestamp" FROM "UsageDaily"
        WHERE "Day" >= @firstDay AND "Day" <= @lastDay AND "LastTimestamp" > @from AND "LastTimestamp" <= @to ORDER BY "Day"
        """;

    private const string PostgresRollupSql = """
        SELECT CAST("AccountId" AS bigint) * 4294967296 + "UserId", CAST("EventTypeId" AS bigint), CAST("Count" AS bigint), "LastTimestamp" FROM "UsageDaily"
        WHERE "Day" >= @firstDay AND "Day" <= @lastDay AND "LastTimestamp" > @from AND "LastTimestamp" <= @to ORDER BY "Day"
        """;

    /// <summary>Pieces a span's roll-up read is cut into, so connections reading in parallel share it out evenly.</summary>
    private const int RollupPieces = 8;

    /// <summary>
    /// The usage of (<paramref name="fromTicks"/>, <paramref name="toTicks"/>] in PortfolioData's usage order: whole days
    /// from the roll-up in its key order (each day's midnight rows first), the <paramref name="exactDays"/> as raw rows sorted by time.
    /// </summary>
    /// <remarks>
    /// The roll-up is the bulk (millions of rows at scale), so its read is made cheap: on SQLite through the engine's
    /// own statement API (one call per column, against two and a type check per column through a data reader: the
    /// reader's overhead was ten times the engine's own scan), ids packed two to a column, and left in the roll-up's key
    /// order inside each day (account, event type, user: no sort, and the aggregation then walks its arrays in order
    /// instead of at random). The span is cut into pieces in day order (ranges of roll-up days, and each day read raw),
    /// read by this connection and up to <see cref="ReadersBesideMain"/> more in parallel.
    /// <para>
    /// Memory: the rows go straight into one array of the exact size (and room after them for later updates to append
    /// to, never written until then), each piece into its own slice of it. The roll-up
    /// pieces are counted first (a <c>count(*)</c> of a key range: a tenth of the read's time) and the raw days read
    /// first (small), so every piece's place is known before the bulk is read. Reading into chunks and joining them
    /// afterwards held both at once: at 10 million usage rows two copies of ~100 MB, the app's peak working set at
    /// start-up (bench part 18).
    /// </para>
    /// </remarks>
    private async Task<(UsageRow[] Rows, int Count)> ReadUsageAsync(
        HealthDbContext db, StoreState state, long fromTicks, long toTicks, SortedSet<long> exactDays, IReadOnlyCollection<DateTime> windowEdges,
        IdMaps ids, CancellationToken cancellationToken)
    {
        var pieces = Pieces(Day(fromTicks), Day(toTicks), exactDays);
        var sizes = new int[pieces.Count];
        var sinks = new UsageSink[pieces.Count];

        // The raw days read and the roll-up pieces counted.
        await InParallelAsync(db, state, pieces.Count, async (reader, i) =>
        {
            var piece = pieces[i];
            if (piece.IsRaw)
            {
                var sink = new UsageSink(ids);
                await ReadRawDayAsync(reader, piece.First, fromTicks, toTicks, windowEdges, sink, cancellationToken);
                sinks[i] = sink;
                sizes[i] = sink.Rows.Count;
            }
            else
            {
                sizes[i] = await CountRollupAsync(reader, piece, Day(fromTicks), Day(toTicks), fromTicks, toTicks, cancellationToken);
            }
        }, cancellationToken);

        var starts = new int[pieces.Count];
        var total = 0L;
        for (var i = 0; i < pieces.Count; i++)
        {
            starts[i] = (int)total;
            total += sizes[i];
        }

        // Uninitialized: every element is written below (a fresh large array is the OS's zeroed pages anyway), and the
        // room after them that later updates append to (PortfolioData.WithUsageAppended) costs no working set until then.
        var count = checked((int)total);
        var usage = GC.AllocateUninitializedArray<UsageRow>(checked(count + PortfolioData.UsageRoom(count)));
        for (var i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].IsRaw)
            {
                SortedByTime([.. sinks[i].Rows]).CopyTo(usage, starts[i]);
                sinks[i] = null!;
            }
        }

        // The roll-up pieces, each into its slice.
        var rollup = Enumerable.Range(0, pieces.Count).Where(i => !pieces[i].IsRaw).ToArray();
        await InParallelAsync(db, state, rollup.Length, async (reader, r) =>
        {
            var i = rollup[r];
            var sink = new UsageSink(ids, usage, starts[i], sizes[i]);
            await ReadRollupAsync(reader, pieces[i].First, pieces[i].Last, fromTicks, toTicks, sink, cancellationToken);
            if (sink.Written != sizes[i])
            {
                // One read transaction on every connection (see OnOwnConnectionAsync): only a bug gets here.
                throw new InvalidOperationException($"The roll-up of days {pieces[i].First}-{pieces[i].Last} held {sink.Written} rows where {sizes[i]} were counted.");
            }

            sinks[i] = sink;
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        if (rollup.Any(i => sinks[i].Rows.Count > 0))
        {
            usage = WithSplitRows(usage, starts, sizes, sinks);
            count = usage.Length;
        }

        MidnightRowsFirst(usage.AsSpan(0, count));
        return (usage, count);
    }

    /// <summary>
    /// Runs <paramref name="work"/> for the items 0 ... <paramref name="count"/> - 1, each item once, on this connection and up to
    /// <see cref="ReadersBesideMain"/> more (those that see the load's store state, see <see cref="OnOwnConnectionAsync"/>).
    /// </summary>
    private async Task InParallelAsync(HealthDbContext db, StoreState state, int count, Func<HealthDbContext, int, Task> work, CancellationToken cancellationToken)
    {
        var next = -1;
        async Task<HealthDbContext> WorkAsync(HealthDbContext reader)
        {
            for (int item; (item = Interlocked.Increment(ref next)) < count;)
            {
                await work(reader, item);
            }

            return reader;
        }

        // Helpers that see another state of the store read nothing; this connection reads whatever is left.
        var helpers = Enumerable.Range(0, count > 1 ? ReadersBesideMain : 0)
            .Select(_ => OnAnotherThread(() => OnOwnConnectionAsync(state, WorkAsync, cancellationToken), cancellationToken)).ToList();
        await WorkAsync(db);
        await Task.WhenAll(helpers);
    }

    /// <summary>A piece of a span's usage read: a range of days from the roll-up, or one day read raw.</summary>
    private readonly record struct Piece(long First, long Last, bool IsRaw);

    /// <summary>
    /// The span's days in pieces, in day order: each exact day alone (read raw), the span's first and last day alone
    /// (only their roll-up rows need the span's time filter, see <see cref="CountRollupAsync"/>), the days between
    /// in ranges of about a <see cref="RollupPieces"/>th of the span.
    /// </summary>
    private static List<Piece> Pieces(long firstDay, long lastDay, SortedSet<long> exactDays)
    {
        var daysPerPiece = Math.Max(1, (lastDay - firstDay + RollupPieces) / RollupPieces);
        var pieces = new List<Piece>();
        long? rangeStart = null;
        void EndRange(long last)
        {
            for (var day = rangeStart!.Value; day <= last; day += daysPerPiece)
            {
                pieces.Add(new Piece(day, Math.Min(last, day + daysPerPiece - 1), IsRaw: false));
            }

            rangeStart = null;
        }

        for (var day = firstDay; day <= lastDay; day++)
        {
            var alone = exactDays.Contains(day) || day == firstDay || day == lastDay;
            if (alone)
            {
                if (rangeStart is not null)
                {
                    EndRange(day - 1);
                }

                pieces.Add(new Piece(day, day, exactDays.Contains(day)));
            }
            else
            {
                rangeStart ??= day;
            }
        }

        return pieces;
    }

    // The roll-up rows a piece's read will return (RollupSql), one row each (a count over int.MaxValue is split, see
    // UsageSink: WithSplitRows places the extra rows). Days strictly inside the span lie wholly in it, so their count
    // needs no time filter, and SQLite then counts from the key alone (half the time of reading LastTimestamp too).
    private const string CountInsideSql = """SELECT count(*) FROM "UsageDaily" WHERE "Day" >= @firstDay AND "Day" <= @lastDay""";

    private const string CountAtEdgeSql = """
        SELECT count(*) FROM "UsageDaily" WHERE "Day" >= @firstDay AND "Day" <= @lastDay AND "LastTimestamp" > @from AND "LastTimestamp" <= @to
        """;

    /// <summary>The number of roll-up rows <see cref="ReadRollupAsync"/> reads for <paramref name="piece"/>.</summary>
    private static async Task<int> CountRollupAsync(
        HealthDbContext db, Piece piece, long spanFirstDay, long spanLastDay, long fromTicks, long toTicks, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var inside = piece.First > spanFirstDay && piece.Last < spanLastDay;
        command.CommandText = inside ? CountInsideSql : CountAtEdgeSql;
        AddParameter(command, "@firstDay", piece.First);
        AddParameter(command, "@lastDay", piece.Last);
        if (!inside)
        {
            AddParameter(command, "@from", fromTicks);
            AddParameter(command, "@to", toTicks);
        }

        return checked((int)Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The usage with the rows that did not fit the pieces' slices (<paramref name="sinks"/>' extra rows: roll-up counts
    /// over int.MaxValue split in several rows, rare) after each piece's own.
    /// </summary>
    private static UsageRow[] WithSplitRows(UsageRow[] usage, int[] starts, int[] sizes, UsageSink?[] sinks)
    {
        // The raw days' sinks are gone by now (their rows are in place); the roll-up's hold only the rows beyond their slices.
        var all = new UsageRow[sizes.Sum() + sinks.Sum(s => s?.Rows.Count ?? 0)];
        var next = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            usage.AsSpan(starts[i], sizes[i]).CopyTo(all.AsSpan(next));
            next += sizes[i];
            if (sinks[i] is { } sink)
            {
                sink.Rows.CopyTo(all, next);
                next += sink.Rows.Count;
            }
        }

        return all;
    }

    /// <summary>The roll-up rows of the days <paramref name="firstDay"/> to <paramref name="lastDay"/> within the span, in day order, into <paramref name="sink"/>.</summary>
    private static async Task ReadRollupAsync(
        HealthDbContext db, long firstDay, long lastDay, long fromTicks, long toTicks, UsageSink sink, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        (string, long)[] parameters = [("@firstDay", firstDay), ("@lastDay", lastDay), ("@from", fromTicks), ("@to", toTicks)];
        if (connection is SqliteConnection sqlite)
        {
            ReadInt64Rows(sqlite, RollupSql, parameters, sink.AddRow, cancellationToken);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = PostgresRollupSql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sink.AddRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
    }

    /// <summary>
    /// One day an edge cuts, from the covering index: on PostgreSQL grouped by the database; on SQLite as raw rows in
    /// the roll-up's packed columns on the statement API (a third of a million rows a day at scale).
    /// </summary>
    private static async Task ReadRawDayAsync(
        HealthDbContext db, long day, long fromTicks, long toTicks, IReadOnlyCollection<DateTime> windowEdges, UsageSink sink, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection is not SqliteConnection sqlite)
        {
            await ReadEdgeDaysGroupedAsync(connection, db.Database.CurrentTransaction?.GetDbTransaction(), fromTicks, toTicks, [day], windowEdges, sink.Ids, sink.Rows, cancellationToken);
            return;
        }

        var sql = $"""
            SELECT "AccountId" * 4294967296 + coalesce("UserId", 0), "EventTypeId", "Count", "Timestamp" FROM "Usage" {SqlDialect.IndexedBy(connection, "IX_Usage_Window")}
            WHERE "Timestamp" > @from AND "Timestamp" <= @to
            """;
        (string, long)[] range = [("@from", Math.Max(fromTicks, (day * TimeSpan.TicksPerDay) - 1)), ("@to", Math.Min(toTicks, ((day + 1) * TimeSpan.TicksPerDay) - 1))];
        ReadInt64Rows(sqlite, sql, range, sink.AddRow, cancellationToken);
    }

    /// <summary>
    /// Where one piece of a load's usage goes, ids mapped to indices: into its slice of the usage array
    /// (<paramref name="target"/> from <paramref name="start"/>, <paramref name="capacity"/> rows), then into
    /// <see cref="Rows"/> (a raw day's rows: no slice; a roll-up count split in several rows: the rows beyond the slice).
    /// </summary>
    private sealed class UsageSink(IdMaps ids, UsageRow[]? target = null, int start = 0, int capacity = 0)
    {
        public IdMaps Ids => ids;

        /// <summary>The rows that did not go into the slice.</summary>
        public List<UsageRow> Rows { get; } = [];

        /// <summary>The rows written into the slice.</summary>
        public int Written { get; private set; }

        /// <summary>A row in the roll-up's packed columns: account id * 2^32 + user id (0: none), event type id, count, time.</summary>
        public void AddRow(long accountAndUser, long eventTypeId, long count, long ticks)
        {
            var userId = (int)(accountAndUser & 0xFFFFFFFF);
            int account = ids.AccountOf[(int)(accountAndUser >> 32)], user = userId > 0 ? ids.UserOf[userId] : -1, eventType = ids.EventOf[(int)eventTypeId];
            // A day's sum may pass int.MaxValue (counts up to a million a row): split it; counts add up the same.
            for (; count > int.MaxValue; count -= int.MaxValue)
            {
                Add(new UsageRow(account, user, eventType, ticks, int.MaxValue));
            }

            Add(new UsageRow(account, user, eventType, ticks, (int)count));
        }

        private void Add(UsageRow row)
        {
            if (Written < capacity)
            {
                target![start + Written++] = row;
            }
            else
            {
                Rows.Add(row);
            }
        }
    }

    /// <summary>
    /// PostgreSQL: the days an edge cuts, aggregated by the database (<c>GROUP BY</c> account, event type and user)
    /// within each stretch of the day between consecutive cut points, so the app receives one row per group and
    /// stretch instead of the raw rows. Exact for the same reason a roll-up row is: every window this load serves
    /// starts and ends at a cut point (the day's midnight, its rows exactly at midnight apart, the span's ends and
    /// the window edges), so no group straddles a window edge, and a group's sum at its latest time adds the same
    /// counts, active-day bit and latest times as its rows.
    /// </summary>
    private static async Task ReadEdgeDaysGroupedAsync(
        DbConnection connection, DbTransaction? transaction, long fromTicks, long toTicks, IEnumerable<long> exactDays,
        IReadOnlyCollection<DateTime> windowEdges, IdMaps ids, List<UsageRow> rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The roll-up's columns (day unused), so one reader turns both into usage rows.
        command.CommandText = """
            SELECT 0, "AccountId", "EventTypeId", coalesce("UserId", 0), CAST(sum("Count") AS bigint), max("Timestamp") FROM "Usage"
            WHERE "Timestamp" > @from AND "Timestamp" <= @to
            GROUP BY "AccountId", "EventTypeId", coalesce("UserId", 0)
            """;
        var from = AddParameter(command, "@from", 0L);
        var to = AddParameter(command, "@to", 0L);
        var cuts = windowEdges.Select(e => e.Ticks).Append(fromTicks).Append(toTicks).ToList();
        foreach (var day in exactDays)
        {
            long dayStart = day * TimeSpan.TicksPerDay, dayEnd = dayStart + TimeSpan.TicksPerDay - 1;
            // Stretches (a, b] of the day: rows at its midnight, then between the edges inside it.
            var points = cuts.Where(t => t > dayStart && t < dayEnd).Append(dayStart - 1).Append(dayStart).Append(dayEnd)
                .Select(t => Math.Clamp(t, fromTicks, toTicks)).Distinct().Order().ToList();
            for (var i = 0; i + 1 < points.Count; i++)
            {
                (from.Value, to.Value) = (points[i], points[i + 1]);
                await ReadGroupsAsync(command, ids, rows, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reads grouped usage (unused, AccountId, EventTypeId, UserId or 0, Count, LastTimestamp) into <paramref name="rows"/>:
    /// one usage row per group at its latest time.
    /// </summary>
    private static async Task ReadGroupsAsync(DbCommand command, IdMaps ids, List<UsageRow> rows, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int[] accountOf = ids.AccountOf, userOf = ids.UserOf, eventOf = ids.EventOf;
        // SQLite reads are synchronous underneath; the synchronous loop saves a task per row.
        while (reader.Read())
        {
            var user = reader.GetInt32(3) is var userId and > 0 ? userOf[userId] : -1;
            int account = accountOf[reader.GetInt32(1)], eventType = eventOf[reader.GetInt32(2)];
            long count = reader.GetInt64(4), ticks = reader.GetInt64(5);
            // A group's sum may pass int.MaxValue (counts up to a million a row): split it; counts add up the same.
            for (; count > int.MaxValue; count -= int.MaxValue)
            {
                rows.Add(new UsageRow(account, user, eventType, ticks, int.MaxValue));
            }

            rows.Add(new UsageRow(account, user, eventType, ticks, (int)count));
        }
    }

    private static long Int64(DbDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs <paramref name="sql"/> on SQLite's statement API in the connection's current transaction and hands each
    /// row's first four integer columns to <paramref name="row"/>.
    /// </summary>
    private static void ReadInt64Rows(
        SqliteConnection connection, string sql, (string Name, long Value)[] parameters, Action<long, long, long, long> row, CancellationToken cancellationToken)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            foreach (var (name, value) in parameters)
            {
                Check(handle, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, name), value));
            }

            var read = 0;
            int status;
            if (SqliteStatementCalls.Available)
            {
                // The statement stays referenced (the using above) while its raw pointer is used.
                var pointer = statement.DangerousGetHandle();
                while ((status = SqliteStatementCalls.Step(pointer)) == raw.SQLITE_ROW)
                {
                    row(SqliteStatementCalls.ColumnInt64(pointer, 0), SqliteStatementCalls.ColumnInt64(pointer, 1),
                        SqliteStatementCalls.ColumnInt64(pointer, 2), SqliteStatementCalls.ColumnInt64(pointer, 3));
                    if ((++read & 0xFFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }
            else
            {
                while ((status = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    row(raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_int64(statement, 1), raw.sqlite3_column_int64(statement, 2), raw.sqlite3_column_int64(statement, 3));
                    if ((++read & 0xFFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }

            Check(handle, status);
        }

        static void Check(sqlite3 handle, int status)
        {
            if (status is not (raw.SQLITE_OK or raw.SQLITE_DONE))
            {
                SqliteException.ThrowExceptionForRC(status, handle);
            }
        }
    }

    /// <summary>
    /// Puts each day's rows at its midnight first (PortfolioData's usage order), keeping the roll-up's key order
    /// otherwise: that order is what lets the aggregation walk its per-account and per-user arrays in order, and
    /// time order is never needed inside a day no window edge cuts. Midnight rows are rare, so this is one pass.
    /// </summary>
    private static void MidnightRowsFirst(Span<UsageRow> rows)
    {
        List<UsageRow>? others = null;
        for (var start = 0; start < rows.Length;)
        {
            var day = Day(rows[start].Ticks);
            var end = start + 1;
            var misplaced = false;
            while (end < rows.Length && Day(rows[end].Ticks) == day)
            {
                misplaced |= rows[end].Ticks % TimeSpan.TicksPerDay == 0 && rows[end - 1].Ticks % TimeSpan.TicksPerDay != 0;
                end++;
            }

            if (misplaced)
            {
                // A stable partition: midnight rows to the front, the others after them in their order.
                (others ??= []).Clear();
                var next = start;
                for (var i = start; i < end; i++)
                {
                    if (rows[i].Ticks % TimeSpan.TicksPerDay == 0)
                    {
                        rows[next++] = rows[i];
                    }
                    else
                    {
                        others.Add(rows[i]);
                    }
                }

                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(others).CopyTo(rows[next..]);
            }

            start = end;
        }
    }

    /// <summary>Reads raw usage rows (Timestamp, AccountId, EventTypeId, UserId, Count) into <paramref name="rows"/>.</summary>
    private static async Task ReadRawRowsAsync(
        DbCommand command, int[] accountOf, int[] userOf, int[] eventOf, List<UsageRow> rows, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (reader.Read())
        {
            var user = reader.IsDBNull(3) ? -1 : userOf[reader.GetInt32(3)];
            rows.Add(new UsageRow(accountOf[reader.GetInt32(1)], user, eventOf[reader.GetInt32(2)], reader.GetInt64(0), reader.GetInt32(4)));
        }
    }

    private static long Day(long ticks) => ticks / TimeSpan.TicksPerDay;

    /// <summary>Portfolio index by database id, from the ids in portfolio order.</summary>
    private static int[] IndexArray(int[] ids)
    {
        var map = new int[ids.Length == 0 ? 1 : ids.Max() + 1];
        Array.Fill(map, -1);
        for (var i = 0; i < ids.Length; i++)
        {
            map[ids[i]] = i;
        }

        return map;
    }

    private static UsageRow[] SortedByTime(UsageRow[] usage)
    {
        // Rows read in id order are often in time order already (an API batch of events as they happen).
        var sorted = true;
        for (var i = 1; i < usage.Length && sorted; i++)
        {
            sorted = usage[i - 1].Ticks <= usage[i].Ticks;
        }

        if (sorted)
        {
            return usage;
        }

        var ticks = new long[usage.Length];
        for (var i = 0; i < usage.Length; i++)
        {
            ticks[i] = usage[i].Ticks;
        }

        Array.Sort(ticks, usage);
        return usage;
    }

    /// <summary>
    /// Merges usage in usage order (<paramref name="kept"/>) with time-sorted rows, remapping the event type indices of the
    /// first when <paramref name="eventRemap"/> is given. The result is in usage order: an added row goes before every
    /// kept row of a later time, so into its own day, and an added midnight row before its day's other rows.
    /// </summary>
    private static UsageRow[] Merge(ReadOnlySpan<UsageRow> kept, int[]? eventRemap, UsageRow[] added)
    {
        // Uninitialized: every element is written below.
        var merged = GC.AllocateUninitializedArray<UsageRow>(kept.Length + added.Length);
        int i = 0, j = 0, k = 0;
        if (eventRemap is null && added.Length > 0)
        {
            // The kept rows of the days before the first added row's are what the loop below would take first, one by
            // one: one block copy instead (millions of rows; an import adds to the last days).
            i = k = PortfolioData.FirstAfter(kept, (Day(added[0].Ticks) * TimeSpan.TicksPerDay) - 1);
            kept[..i].CopyTo(merged);
        }

        while (i < kept.Length || j < added.Length)
        {
            if (j >= added.Length || (i < kept.Length && kept[i].Ticks <= added[j].Ticks))
            {
                var row = kept[i++];
                merged[k++] = eventRemap is null ? row : row with { EventTypeIndex = eventRemap[row.EventTypeIndex] };
            }
            else
            {
                merged[k++] = added[j++];
            }
        }

        return merged;
    }


    private static bool SameReference(PortfolioData a, PortfolioData b) =>
        a.Accounts.SequenceEqual(b.Accounts) && a.Users.SequenceEqual(b.Users) && a.EventTypeKeys.SequenceEqual(b.EventTypeKeys)
        && a.Tickets.SequenceEqual(b.Tickets) && a.Surveys.SequenceEqual(b.Surveys) && a.Revenue.SequenceEqual(b.Revenue)
        && a.Overrides.SequenceEqual(b.Overrides) && a.Metrics.SequenceEqual(b.Metrics);

    private static async Task<Reference> ReadReferenceAsync(HealthDbContext db, CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var eventTypes = await db.EventTypes.AsNoTracking().OrderBy(e => e.Key).ToListAsync(cancellationToken);
        var tickets = await db.Tickets.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var surveys = await db.Surveys.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var revenue = await db.Revenue.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var overrides = await db.Overrides.AsNoTracking().OrderBy(o => o.Id).ToListAsync(cancellationToken);
        var metrics = await db.Metrics.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return new Reference(accounts, users, eventTypes, tickets, surveys, revenue, overrides, metrics);
    }

    /// <summary>Everything but the usage, with the maps from database ids to portfolio indices.</summary>
    private sealed class Reference
    {
        private readonly List<Account> accounts;
        private readonly List<AccountUser> users;
        private readonly List<EventType> eventTypes;
        private readonly List<Ticket> tickets;
        private readonly List<SurveyResponse> surveys;
        private readonly List<RevenueRecord> revenue;
        private readonly List<AccountOverride> overrides;
        private readonly List<MetricValue> metrics;

        public Reference(
            List<Account> accounts, List<AccountUser> users, List<EventType> eventTypes, List<Ticket> tickets, List<SurveyResponse> surveys,
            List<RevenueRecord> revenue, List<AccountOverride> overrides, List<MetricValue> metrics)
        {
            (this.accounts, this.users, this.eventTypes, this.tickets, this.surveys, this.revenue) = (accounts, users, eventTypes, tickets, surveys, revenue);
            (this.overrides, this.metrics) = (overrides, metrics);
            AccountIds = [.. accounts.Select(a => a.Id)];
            UserIds = [.. users.Select(u => u.Id)];
            EventTypeIds = [.. eventTypes.Select(e => e.Id)];
            AccountIndex = Indices(AccountIds);
            UserIndex = Indices(UserIds);
            EventIndex = Indices(EventTypeIds);
            // Database ids are dense autoincrement keys: arrays map them to portfolio indices without hashing,
            // which matters at tens of millions of rows.
            AccountOf = IndexArray(AccountIds);
            UserOf = IndexArray(UserIds);
            EventOf = IndexArray(EventTypeIds);
        }

        public int[] AccountIds { get; }
        public int[] UserIds { get; }
        public int[] EventTypeIds { get; }
        public Dictionary<int, int> AccountIndex { get; }
        public Dictionary<int, int> UserIndex { get; }
        public Dictionary<int, int> EventIndex { get; }
        public int[] AccountOf { get; }
        public int[] UserOf { get; }
        public int[] EventOf { get; }

        /// <summary>The portfolio with the first <paramref name="usageRows"/> rows of <paramref name="usage"/> (all: null) as its usage, the rest room for updates.</summary>
        public PortfolioData ToData(UsageRow[] usage, int? usageRows = null) => new(
            accounts.Select(a => new AccountInfo(a.ExternalId, a.Name, a.CreatedAt, a.ChurnedAt, a.Seats, a.Mrr, a.Segment, a.Plan, a.Owner, a.RenewalDate)).ToList(),
            users.Select(u => new UserInfo(u.ExternalId, AccountIndex[u.AccountId], u.CreatedAt, u.Name, u.Email)).ToList(),
            eventTypes.Select(e => e.Key).ToList(),
            usage,
            tickets.Select(t => new TicketInfo(t.ExternalId, AccountIndex[t.AccountId], t.OpenedAt, t.ClosedAt, t.Escalated, t.Satisfaction, t.Priority)).ToList(),
            surveys.Select(s => new SurveyInfo(AccountIndex[s.AccountId], s.UserId is { } u ? UserIndex[u] : -1, s.RespondedAt,
                string.Equals(s.Kind, "NPS", StringComparison.OrdinalIgnoreCase) ? SurveyKind.Nps : SurveyKind.Csat, s.Score)).ToList(),
            revenue.Select(r => new RevenueEntry(AccountIndex[r.AccountId], r.Date, r.Mrr, r.Id)).ToList(),
            eventTypes.Select(e => e.Name).ToList(),
            overrides.Select(o => new OverrideInfo(AccountIndex[o.AccountId], o.Value, o.From, o.Until, o.Reason, o.SetBy, o.EndedAt, o.Id)).ToList(),
            metrics.Select(m => new MetricRow(AccountIndex[m.AccountId], string.Intern(m.Metric), m.Time.Ticks, m.Value, m.Id)).ToList(),
            usageRows);

        private static Dictionary<int, int> Indices(int[] ids)
        {
            var index = new Dictionary<int, int>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                index[ids[i]] = i;
            }

            return index;
        }
    }

    /// <summary>
    /// The database ids behind the portfolio's account, user and event type indices (the orders <see cref="ReadReferenceAsync"/>
    /// reads them in), read alone first so the usage can be mapped while everything else is still being read.
    /// </summary>
    private sealed class IdMaps
    {
        public IdMaps(int[] accountIds, int[] userIds, int[] eventTypeIds)
        {
            (AccountIds, UserIds, EventTypeIds) = (accountIds, userIds, eventTypeIds);
            (AccountOf, UserOf, EventOf) = (IndexArray(accountIds), IndexArray(userIds), IndexArray(eventTypeIds));
        }

        public int[] AccountIds { get; }
        public int[] UserIds { get; }
        public int[] EventTypeIds { get; }
        public int[] AccountOf { get; }
        public int[] UserOf { get; }
        public int[] EventOf { get; }

        public static async Task<IdMaps> ReadAsync(HealthDbContext db, CancellationToken cancellationToken) => new(
            await IdsAsync(db, """SELECT "Id" FROM "Accounts" ORDER BY "Id" """, cancellationToken),
            await IdsAsync(db, """SELECT "Id" FROM "AccountUsers" ORDER BY "Id" """, cancellationToken),
            await IdsAsync(db, """SELECT "Id" FROM "EventTypes" ORDER BY "Key" """, cancellationToken));

        /// <summary>Whether <paramref name="reference"/> has these ids in this order.</summary>
        public bool SameAs(Reference reference) =>
            AccountIds.AsSpan().SequenceEqual(reference.AccountIds) && UserIds.AsSpan().SequenceEqual(reference.UserIds)
            && EventTypeIds.AsSpan().SequenceEqual(reference.EventTypeIds);

        private static async Task<int[]> IdsAsync(HealthDbContext db, string sql, CancellationToken cancellationToken)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = sql;
            var ids = new List<int>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (reader.Read())
            {
                ids.Add(reader.GetInt32(0));
            }

            return [.. ids];
        }
    }

    private static DbParameter AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}

/// <summary>
/// A loaded span of the store: the portfolio, the span (<see cref="From"/>, <see cref="To"/>], the UTC days held
/// as raw rows (the rest come from the daily roll-up), and what <see cref="PortfolioLoader.UpdateAsync"/> needs to
/// add what was imported since: the newest usage id read and the database ids behind the portfolio's indices.
/// </summary>
public sealed record LoadedSpan(
    PortfolioData Data, DateTime From, DateTime To, SortedSet<long> ExactDays, long LastUsageId, int[] AccountIds, int[] UserIds, int[] EventTypeIds)
{
    /// <summary>After an update: the earliest time of the usage rows it added (null: none, or a full load).</summary>
    public long? EarliestAddedTicks { get; init; }

    /// <summary>After an update: the usage rows it added (those the previous span did not hold), in any order; empty after a full load.</summary>
    public UsageRow[] AddedUsage { get; init; } = [];

    /// <summary>After an update: whether anything but usage changed (accounts, users, event types, tickets, surveys, revenue, overrides, metrics).</summary>
    public bool ReferenceChanged { get; init; } = true;

    /// <summary>The state of everything but usage when it was read: an update with the same stamp keeps it.</summary>
    public ReferenceStamp ReferenceStamp { get; init; }
}

/// <summary>Row counts and newest ids of the tables other than usage (see <c>PortfolioLoader</c>); equal stamps: nothing but usage changed.</summary>
public readonly record struct ReferenceStamp(string Value);

/// <summary>The newest import batch id, model version and override change of the store.</summary>
public readonly record struct StoreVersion(int ImportBatch, int ModelVersion)
{
    /// <summary>Changes whenever an override is set or ended (newest override id + number ended).</summary>
    public int Overrides { get; init; }

    /// <summary>Changes whenever an account's owner is changed in the app (the newest <c>account.owner</c> audit entry's id).</summary>
    public long OwnerChanges { get; init; }
}
