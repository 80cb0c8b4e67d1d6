using System.Data.Common;
using System.Globalization;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Import;

/// <summary>
/// The state of one import inside its transaction: the ids of accounts, users and event types
/// (loaded once from the database, then extended by each file), the scoring model event types may
/// change, and the per-file readers (in the partial files beside this one). Rows are validated and
/// written as they are read; once any problem is found nothing more is written (the transaction
/// will be rolled back) but reading goes on, so that every problem is reported.
/// </summary>
/// <remarks>
/// A large import loads every account, user and event type id up front (one read each, cheaper than a lookup
/// per key); a small one (an API batch of a thousand events against a hundred thousand users) looks each key
/// up when it first meets it, in the import's transaction, and remembers it: loading a hundred thousand
/// users for a batch that names a few hundred was most of an API batch's cost.
/// </remarks>
internal sealed partial class ImportSession : IDisposable
{
    /// <summary>Account of a user whose own row was bad: no "user of another account" check against it.</summary>
    private const int AnyAccount = int.MinValue;

    private readonly DbConnection connection;
    private readonly DbTransaction transaction;
    private readonly ImportLog log;
    private readonly DateTime importedAt;
    private readonly ImportStages stages;

    private readonly Dictionary<string, int> accounts;
    private readonly Dictionary<int, string> accountKeys;
    private readonly Dictionary<string, UserRef> users;
    private readonly Dictionary<string, int> eventTypes;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> accountsBySpan;
    private readonly Dictionary<string, UserRef>.AlternateLookup<ReadOnlySpan<char>> usersBySpan;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> eventTypesBySpan;

    // Null when every id was loaded up front (a key missing from the maps is unknown); otherwise the lookups
    // that fill the maps as keys are met.
    private readonly KeyLookups? lookups;

    /// <summary>The stored ids of the accounts any row named (the timeline's "imports that touched the account").</summary>
    private readonly HashSet<int> touchedAccounts = [];

    private readonly int baseModelVersion;
    private readonly ScoringModel baseModel;
    private ScoringModel model;
    private string? modelSource;

    // Stand-in ids (negative) for rows that are not written because the import is refused anyway:
    // later files can still refer to them without a flood of "unknown account" problems.
    private int nextPlaceholder = -1;

    private readonly record struct UserRef(int Id, int AccountId);

    private ImportSession(
        DbConnection connection, DbTransaction transaction, ImportLog log, DateTime importedAt, ImportStages stages,
        Dictionary<string, int> accounts, Dictionary<string, UserRef> users, Dictionary<string, int> eventTypes,
        int baseModelVersion, ScoringModel baseModel, bool preloaded)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.log = log;
        this.importedAt = importedAt;
        this.stages = stages;
        this.accounts = accounts;
        accountKeys = accounts.ToDictionary(a => a.Value, a => a.Key);
        this.users = users;
        this.eventTypes = eventTypes;
        accountsBySpan = accounts.GetAlternateLookup<ReadOnlySpan<char>>();
        usersBySpan = users.GetAlternateLookup<ReadOnlySpan<char>>();
        eventTypesBySpan = eventTypes.GetAlternateLookup<ReadOnlySpan<char>>();
        this.baseModelVersion = baseModelVersion;
        this.baseModel = baseModel;
        this.model = baseModel;
        lookups = preloaded ? null : new KeyLookups(connection, transaction);
    }

    /// <summary>Imports of at least this many bytes load every id up front (about 10,000 usage rows).</summary>
    public const long PreloadBytes = 1 << 20;

    /// <summary>
    /// Loads the newest scoring model and, with <paramref name="preload"/> (a large import: see <see cref="PreloadBytes"/>),
    /// every id, inside the import transaction; without it ids are looked up as keys are met.
    /// </summary>
    public static async Task<ImportSession> StartAsync(
        HealthDbContext db, DbConnection connection, DbTransaction transaction, ImportLog log, DateTime importedAt, ImportStages stages,
        bool preload, CancellationToken cancellationToken)
    {
        var accounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var users = new Dictionary<string, UserRef>(StringComparer.Ordinal);
        var eventTypes = new Dictionary<string, int>(StringComparer.Ordinal);
        if (preload)
        {
            // Plain readers of the three columns needed, not EF queries (no entity materialisation for 100,000 users).
            await ReadKeysAsync(connection, transaction, """SELECT "ExternalId", "Id", 0 FROM "Accounts" """, (key, id, _) => accounts[key] = id, cancellationToken);
            await ReadKeysAsync(connection, transaction, """SELECT "ExternalId", "Id", "AccountId" FROM "AccountUsers" """, (key, id, account) => users[key] = new UserRef(id, account), cancellationToken);
            await ReadKeysAsync(connection, transaction, """SELECT "Key", "Id", 0 FROM "EventTypes" """, (key, id, _) => eventTypes[key] = id, cancellationToken);
        }

        // event_types.csv settings go into the default model (segment and onboarding models keep their own weights);
        // the new version takes the next number of the one sequence over every model.
        var latest = await db.ModelVersions.AsNoTracking().Where(v => v.ModelKey == "default").OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
        var newest = await db.ModelVersions.MaxAsync(v => (int?)v.Id, cancellationToken) ?? 0;
        var model = latest is null ? ScoringModel.Default : ScoringModel.FromJson(latest.ModelJson);
        return new ImportSession(connection, transaction, log, importedAt, stages, accounts, users, eventTypes, newest, model, preload);
    }

    private static async Task ReadKeysAsync(DbConnection connection, DbTransaction transaction, string sql, Action<string, int, int> add, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            add(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
        }
    }

    /// <summary>
    /// Reads one file to its end, validating and (while there is no problem) writing each row.
    /// Returns the number of good rows, or null when the file was empty or its header unusable.
    /// </summary>
    public async Task<int?> ImportFileAsync(ImportFileSpec spec, CsvReader reader, CancellationToken cancellationToken)
    {
        var table = await ImportFileReader.OpenAsync(reader, spec, this.log, this.importedAt, cancellationToken);
        if (table is null)
        {
            return null;
        }

        var rows = spec.Name switch
        {
            "event_types.csv" => await ImportEventTypesAsync(table, cancellationToken),
            "accounts.csv" => await ImportAccountsAsync(table, cancellationToken),
            "users.csv" => await ImportUsersAsync(table, cancellationToken),
            "usage.csv" => await ImportUsageAsync(table, cancellationToken),
            "tickets.csv" => await ImportTicketsAsync(table, cancellationToken),
            "surveys.csv" => await ImportSurveysAsync(table, cancellationToken),
            "revenue.csv" => await ImportRevenueAsync(table, cancellationToken),
            "metrics.csv" => await ImportMetricsAsync(table, cancellationToken),
            _ => throw new ArgumentException($"Not an import file: {spec.Name}", nameof(spec)),
        };
        if (table.RecordsRead == 0)
        {
            this.log.Warning($"{spec.Name}: no data rows.");
        }

        return rows;
    }

    /// <summary>
    /// The new scoring model version when event types brought settings the newest version lacks
    /// (new event types or changed weight/flags): version newest + 1, saved by "import". Null otherwise.
    /// </summary>
    public ScoringModelVersion? NewModelVersion() =>
        modelSource is null || this.model.Equals(this.baseModel)
            ? null
            : new ScoringModelVersion
            {
                Id = this.baseModelVersion + 1,
                SavedAt = this.importedAt,
                SavedBy = "import",
                Comment = $"Event types from {modelSource}",
                ModelJson = this.model.ToJson(),
            };

    /// <summary>Records which accounts batch <paramref name="batchId"/> touched, in the import's transaction.</summary>
    public void RecordTouchedAccounts(int batchId)
    {
        if (SqlDialect.IsPostgres(this.connection))
        {
            // One statement with the ids as an array: a round trip per account took seconds at 10,000 accounts (bench part 3).
            using var command = this.connection.CreateCommand();
            command.Transaction = this.transaction;
            command.CommandText = """INSERT INTO "ImportBatchAccounts" ("AccountId", "ImportBatchId") SELECT unnest(@accounts), @batch""";
            var accounts = command.CreateParameter();
            accounts.ParameterName = "@accounts";
            accounts.Value = touchedAccounts.ToArray();
            var batch = command.CreateParameter();
            batch.ParameterName = "@batch";
            batch.Value = batchId;
            command.Parameters.Add(accounts);
            command.Parameters.Add(batch);
            command.ExecuteNonQuery();
            return;
        }

        using var insert = Prepare("""INSERT INTO "ImportBatchAccounts" ("AccountId", "ImportBatchId") VALUES (@p0, @p1)""", 2);
        insert.Set(1, batchId);
        foreach (var account in touchedAccounts)
        {
            insert.Set(0, account);
            insert.Execute();
        }
    }

    private PreparedCommand Prepare(string sql, int parameterCount) => new(this.connection, this.transaction, sql, parameterCount);

    /// <summary>True when rows may be written: no problem so far.</summary>
    private bool Writing => !this.log.HasProblems;

    /// <summary>A required id that must not repeat within the file; reports an empty or repeated one.</summary>
    private static bool NewKey(ImportFileReader table, ImportColumn column, Dictionary<string, int> seen, out string? key)
    {
        if (!table.RequiredText(column, out key))
        {
            return false;
        }

        if (!seen.TryAdd(key, table.Line))
        {
            table.Problem(column, $"duplicate {column.Name} {ImportLog.Quote(key)} (first on line {seen[key]})");
            key = null;
            return false;
        }

        return true;
    }

    /// <summary>A required account id that the database or accounts.csv defines.</summary>
    private bool KnownAccount(ImportFileReader table, ImportColumn column, out int accountId)
    {
        accountId = 0;
        var cell = table.Cell(column);
        if (cell.IsEmpty)
        {
            table.Problem(column, "required value is empty");
            return false;
        }

        if (!TryAccount(cell, out accountId))
        {
            table.Problem(column, $"unknown account {ImportLog.Quote(cell)}: neither the database nor {ImportFiles.Accounts.Name} defines it");
            return false;
        }

        if (accountId > 0)
        {
            touchedAccounts.Add(accountId);
        }

        return true;
    }

    /// <summary>
    /// An optional user id that the database or users.csv defines and that belongs to the row's
    /// account (<paramref name="accountId"/>, or null when the account itself is bad).
    /// </summary>
    private bool KnownUserOf(ImportFileReader table, ImportColumn column, int? accountId, out int? userId)
    {
        userId = null;
        var cell = table.Cell(column);
        if (cell.IsEmpty)
        {
            return true;
        }

        if (!TryUser(cell, out var user))
        {
            table.Problem(column, $"unknown user {ImportLog.Quote(cell)}: neither the database nor {ImportFiles.Users.Name} defines it");
            return false;
        }

        if (accountId is { } account && user.AccountId != AnyAccount && user.AccountId != account)
        {
            table.Problem(column, $"user {ImportLog.Quote(cell)} belongs to account {ImportLog.Quote(AccountKey(user.AccountId))}, "
                + $"not {ImportLog.Quote(AccountKey(account))}");
            return false;
        }

        userId = user.Id;
        return true;
    }

    private void RememberAccount(string key, int id)
    {
        if (id > 0)
        {
            touchedAccounts.Add(id);
        }

        this.accounts[key] = id;
        accountKeys[id] = key;
    }

    /// <summary>Keeps a bad row's account id known (with a stand-in id if new) so later rows may refer to it.</summary>
    private void RememberBadAccount(string key)
    {
        if (!TryAccount(key, out _))
        {
            RememberAccount(key, nextPlaceholder--);
        }
    }

    /// <inheritdoc />
    public void Dispose() => lookups?.Dispose();

    /// <summary>The id of account <paramref name="key"/>: known to the import, or (without a preload) in the database.</summary>
    private bool TryAccount(ReadOnlySpan<char> key, out int id)
    {
        if (accountsBySpan.TryGetValue(key, out id))
        {
            return true;
        }

        if (lookups?.Account(key.ToString()) is not { } found)
        {
            return false;
        }

        RememberAccount(key.ToString(), id = found);
        return true;
    }

    /// <summary>User <paramref name="key"/>: known to the import, or (without a preload) in the database.</summary>
    private bool TryUser(ReadOnlySpan<char> key, out UserRef user)
    {
        if (usersBySpan.TryGetValue(key, out user))
        {
            return true;
        }

        if (lookups?.User(key.ToString()) is not { } found)
        {
            return false;
        }

        this.users[key.ToString()] = user = new UserRef(found.Id, found.AccountId);
        return true;
    }

    /// <summary>The id of event type <paramref name="key"/>: known to the import, or (without a preload) in the database.</summary>
    private bool TryEventType(ReadOnlySpan<char> key, out int id)
    {
        if (eventTypesBySpan.TryGetValue(key, out id))
        {
            return true;
        }

        if (lookups?.EventType(key.ToString()) is not { } found)
        {
            return false;
        }

        this.eventTypes[key.ToString()] = id = found;
        return true;
    }

    /// <summary>The external id of account <paramref name="id"/> (for messages).</summary>
    private string AccountKey(int id)
    {
        if (accountKeys.TryGetValue(id, out var key))
        {
            return key;
        }

        key = lookups?.AccountKey(id) ?? $"#{id}";
        accountKeys[id] = key;
        return key;
    }

    /// <summary>Point lookups of ids by key in the import's transaction, each statement prepared once when first needed.</summary>
    private sealed class KeyLookups(DbConnection connection, DbTransaction transaction) : IDisposable
    {
        private PreparedCommand? account, accountKey, user, eventType;

        public int? Account(string key) => Id(Scalar(ref account, """SELECT "Id" FROM "Accounts" WHERE "ExternalId" = @p0""", key));

        public string? AccountKey(int id) => Scalar(ref accountKey, """SELECT "ExternalId" FROM "Accounts" WHERE "Id" = @p0""", id) as string;

        public int? EventType(string key) => Id(Scalar(ref eventType, """SELECT "Id" FROM "EventTypes" WHERE "Key" = @p0""", key));

        public (int Id, int AccountId)? User(string key)
        {
            // Id and account in one integer (ids are well below 2^31), the same SQL on both engines.
            var packed = Scalar(ref user, """SELECT "Id" * 4294967296 + "AccountId" FROM "AccountUsers" WHERE "ExternalId" = @p0""", key);
            return packed is null ? null : Split(Convert.ToInt64(packed, CultureInfo.InvariantCulture));
            static (int, int) Split(long both) => ((int)(both >> 32), (int)(both & 0xFFFFFFFF));
        }

        private static int? Id(object? value) => value is null ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);

        private object? Scalar(ref PreparedCommand? command, string sql, object key)
        {
            command ??= new PreparedCommand(connection, transaction, sql, 1);
            command.Set(0, key);
            return command.ExecuteScalar() is var value and not DBNull ? value : null;
        }

        public void Dispose()
        {
            account?.Dispose();
            accountKey?.Dispose();
            user?.Dispose();
            eventType?.Dispose();
        }
    }
}
