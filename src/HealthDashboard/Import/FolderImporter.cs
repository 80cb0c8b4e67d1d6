using System.Diagnostics;
using System.Security.Cryptography;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Import;

/// <summary>
/// The CSV import of DATA.md, shared by the Import page, the HTTP API, the command line and the bench.
/// An import is all or nothing: every file is read in dependency order inside one SQLite transaction,
/// rows are validated and written as they stream by, and any problem anywhere rolls everything back.
/// Imports run one at a time. A successful import asks for a re-score through the <see cref="RescoreTrigger"/>.
/// </summary>
public sealed class FolderImporter(IDbContextFactory<HealthDbContext> dbFactory, TimeProvider clock, RescoreTrigger rescore, ILogger<FolderImporter> logger) : IDisposable
{
    /// <summary>The PostgreSQL advisory lock that serialises imports across instances (an arbitrary constant: "HDimport").</summary>
    private const long ImportLockKey = 0x4844_696D_706F_7274;

    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>
    /// Imports the DATA.md files (<c>event_types.csv</c> ... <c>revenue.csv</c>, or names starting with those, see <see cref="ImportFiles.Find"/>) of
    /// <paramref name="directory"/>. Other <c>.csv</c> files are warned about; other files are ignored.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="source">Who imports, recorded with the batch (e.g. <c>cli</c>, <c>web</c>).</param>
    /// <param name="cancellationToken">Cancels the import (rolled back).</param>
    public Task<ImportResult> ImportFolderAsync(string directory, string source, CancellationToken cancellationToken = default) =>
        ImportFolderAsync(directory, source, actor: null, cancellationToken);

    /// <summary>Imports a folder as <paramref name="actor"/>, who the batch and the audit trail record.</summary>
    public async Task<ImportResult> ImportFolderAsync(string directory, string source, Actor? actor, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            return Refusal(directory, "the folder does not exist");
        }

        var streams = new Dictionary<string, Stream>(StringComparer.Ordinal);
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                {
                    streams[Path.GetFileName(path)] = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                }
            }

            return await ImportStreamsAsync(streams, source, actor, cancellationToken);
        }
        finally
        {
            foreach (var stream in streams.Values)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Imports files given as streams (file name -> content), e.g. uploaded in the browser. File names
    /// are matched to tables by <see cref="ImportFiles.Find"/> (prefix, case-insensitive); others are warned
    /// about and skipped. A refused import is recorded (<see cref="FailedImport"/>) for the history. Streams
    /// are read once, forwards (a seekable stream is read twice: first to check its SHA-256); the caller
    /// disposes them.
    /// </summary>
    public Task<ImportResult> ImportStreamsAsync(IReadOnlyDictionary<string, Stream> files, string source, CancellationToken cancellationToken = default) =>
        ImportStreamsAsync(files, source, idempotencyKey: null, cancellationToken);

    /// <summary>Imports streams as <paramref name="actor"/>, who the batch and the audit trail record.</summary>
    public Task<ImportResult> ImportStreamsAsync(IReadOnlyDictionary<string, Stream> files, string source, Actor? actor, CancellationToken cancellationToken = default) =>
        ImportStreamsAsync(files, source, actor, idempotencyKey: null, cancellationToken);

    /// <summary>
    /// Like <see cref="ImportStreamsAsync(IReadOnlyDictionary{string, Stream}, string, CancellationToken)"/>, with the
    /// client's idempotency key (the API's <c>Idempotency-Key</c> header): when an earlier import already
    /// carried it, nothing is read and that import's result comes back with <see cref="ImportResult.Replayed"/>.
    /// The key is stored with the batch in the import's own transaction, so a batch is stored once.
    /// A database busy beyond the timeout is a refusal with <see cref="ImportResult.DatabaseBusy"/>.
    /// </summary>
    public Task<ImportResult> ImportStreamsAsync(
        IReadOnlyDictionary<string, Stream> files, string source, string? idempotencyKey, CancellationToken cancellationToken) =>
        ImportStreamsAsync(files, source, actor: null, idempotencyKey, cancellationToken);

    /// <summary>
    /// The full form: who imports (recorded with the batch, as the author of a model version the event types make,
    /// and in the audit trail; null: the source itself) and the idempotency key.
    /// </summary>
    public async Task<ImportResult> ImportStreamsAsync(
        IReadOnlyDictionary<string, Stream> files, string source, Actor? actor, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        await gate.WaitAsync(cancellationToken);
        ImportResult result;
        try
        {
            result = await RunAsync(files, source, actor, idempotencyKey, cancellationToken);
        }
        catch (Exception e) when (DatabaseBusy.Is(e))
        {
            logger.LogWarning("Import from {Source} refused: the database is busy", source);
            result = new ImportResult
            {
                Succeeded = false,
                DatabaseBusy = true,
                Problems = [new ImportProblem("database", null, null, $"{DatabaseBusy.Message}; nothing was imported, try again")],
                ProblemCount = 1,
                ImportedAt = clock.GetUtcNow().UtcDateTime,
            };
        }
        finally
        {
            gate.Release();
        }

        logger.LogInformation("Import from {Source}: {Summary}", source, result.Summary);
        if (result.Stages.Count > 0)
        {
            logger.LogDebug("Import from {Source} took {Stages}", source, string.Join(", ", result.Stages.Select(s => $"{s.Name} {s.Elapsed.TotalMilliseconds:0} ms")));
        }

        // A busy database would make the note wait out the busy timeout again, only to fail: the user is told instead.
        if (!result.Succeeded && !result.DatabaseBusy)
        {
            await RecordRefusalAsync(files.Keys, source, result);
        }

        if (result.Succeeded && !result.Replayed)
        {
            rescore.Request();
        }

        return result;
    }

    private async Task<ImportResult> RunAsync(IReadOnlyDictionary<string, Stream> files, string source, Actor? actor, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var log = new ImportLog();
        var stages = new ImportStages();
        var started = Stopwatch.GetTimestamp();
        var importedAt = clock.GetUtcNow().UtcDateTime;
        var ordered = OrderFiles(files, log);
        if (ordered.Count == 0 && !log.HasProblems)
        {
            log.Problem("import", null, null,
                $"no import files (expected one or more of {string.Join(", ", ImportFiles.InOrder.Select(f => f.Name))})");
        }

        if (log.HasProblems)
        {
            return Refused(log, importedAt);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var sqlite = connection as SqliteConnection;
        if (sqlite is not null)
        {
            // A bigger page cache keeps the usage indexes in memory during a large import.
            await ExecuteAsync(sqlite, "PRAGMA cache_size = -65536;", cancellationToken);
        }

        try
        {
            // Take the write lock now, so the ids and model version read below stay current: BEGIN IMMEDIATE on
            // SQLite; on PostgreSQL a transaction-scoped advisory lock that every instance's imports take.
            await using var transaction = sqlite is not null
                ? sqlite.BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(cancellationToken);
            if (sqlite is null)
            {
                await using var lockCommand = connection.CreateCommand();
                lockCommand.Transaction = transaction;
                lockCommand.CommandText = $"SELECT pg_advisory_xact_lock({ImportLockKey})";
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            if (idempotencyKey is not null && await FindReplayAsync(db, idempotencyKey, cancellationToken) is { } replay)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return replay;
            }

            // Unknown lengths (a stream that cannot seek) count as large. PostgreSQL always loads them: its usage rows
            // stream through COPY, which holds the connection, so no key can be looked up meanwhile.
            var preload = SqlDialect.IsPostgres(connection)
                || ordered.Sum(f => f.Stream.CanSeek ? f.Stream.Length - f.Stream.Position : ImportSession.PreloadBytes) >= ImportSession.PreloadBytes;
            using var session = await ImportSession.StartAsync(db, connection, transaction, log, importedAt, stages, preload, cancellationToken);
            stages.Add("start (write lock, ids, model)", started);

            var counts = new List<ImportedFileRows>();
            var recorded = new List<ImportedFile>();
            foreach (var (spec, stream) in ordered)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = await ImportFileAsync(db, session, spec, stream, importedAt, log, recorded, stages, cancellationToken);
                counts.Add(new ImportedFileRows(spec.Name, rows));
            }

            if (log.HasProblems)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return Refused(log, importedAt);
            }

            if (counts.Sum(c => c.Rows) == 0)
            {
                // Empty, header-only or BOM-only files: nothing is recorded, so the same empty export may come again.
                await transaction.RollbackAsync(CancellationToken.None);
                log.Problem("import", null, null, "nothing to import: the files hold no data rows");
                return Refused(log, importedAt);
            }

            var saveStarted = Stopwatch.GetTimestamp();
            var modelVersion = session.NewModelVersion();
            if (modelVersion is not null)
            {
                modelVersion.SavedBy = actor?.Name ?? modelVersion.SavedBy;
                db.ModelVersions.Add(modelVersion);
            }

            var summary = ImportResult.SummaryOf(counts);
            var batch = new ImportBatch
            {
                ImportedAt = importedAt, Source = source, ImportedBy = actor?.Name ?? source, Summary = summary, Files = recorded, IdempotencyKey = idempotencyKey,
            };
            db.ImportBatches.Add(batch);
            db.Audit.Add(AuditLog.NewEntry(actor ?? new Actor(source, source), AuditActions.DataImport, string.Join(", ", counts.Select(c => c.FileName)),
                $"{source}: {summary}{(modelVersion is null ? "" : $"; model version {modelVersion.Id}")}", importedAt));
            await db.SaveChangesAsync(cancellationToken);
            session.RecordTouchedAccounts(batch.Id);
            stages.Add("batch, audit, touched accounts", saveStarted);
            var commitStarted = Stopwatch.GetTimestamp();
            await transaction.CommitAsync(cancellationToken);
            stages.Add("commit", commitStarted);
            return new ImportResult
            {
                Succeeded = true,
                Files = counts,
                Warnings = log.Warnings,
                WarningCount = log.WarningCount,
                BatchId = batch.Id,
                NewModelVersion = modelVersion?.Id,
                ImportedAt = importedAt,
                Stages = stages.ToList(),
            };
        }
        finally
        {
            // The connection goes back to the pool: give it the default cache again.
            if (sqlite is { State: System.Data.ConnectionState.Open })
            {
                await ExecuteAsync(sqlite, "PRAGMA cache_size = -2000;", CancellationToken.None);
            }
        }
    }

    /// <summary>The result of the earlier import that carried <paramref name="idempotencyKey"/>, if any.</summary>
    private static async Task<ImportResult?> FindReplayAsync(HealthDbContext db, string idempotencyKey, CancellationToken cancellationToken)
    {
        var earlier = await db.ImportBatches.AsNoTracking().Include(b => b.Files)
            .FirstOrDefaultAsync(b => b.IdempotencyKey == idempotencyKey, cancellationToken);
        return earlier is null ? null : new ImportResult
        {
            Succeeded = true,
            Replayed = true,
            Files = [.. earlier.Files.OrderBy(f => f.Id).Select(f => new ImportedFileRows(f.FileName, f.Rows))],
            BatchId = earlier.Id,
            ImportedAt = earlier.ImportedAt,
        };
    }

    /// <summary>
    /// Imports one file: refuses content imported before (by SHA-256), reads and writes the rows, and
    /// notes the file for the batch. Returns the number of rows.
    /// </summary>
    /// <remarks>
    /// A small seekable file is hashed first, so a repeated one is refused before its rows are read. A large one (at
    /// least <see cref="ImportSession.PreloadBytes"/>), like an upload that cannot seek, is hashed as it is parsed
    /// (<see cref="HashingReadStream"/>) and checked before the commit: hashing 57 MB first read the file twice and
    /// took 50 to 180 ms before the first row (bench part 3), on every import, where a repeated large export (refused
    /// after its rows were checked and written, then rolled back) is the rare case.
    /// </remarks>
    private static async Task<int> ImportFileAsync(
        HealthDbContext db, ImportSession session, ImportFileSpec spec, Stream stream, DateTime importedAt,
        ImportLog log, List<ImportedFile> recorded, ImportStages stages, CancellationToken cancellationToken)
    {
        string? sha256 = null;
        var started = Stopwatch.GetTimestamp();
        if (stream.CanSeek && stream.Length - stream.Position < ImportSession.PreloadBytes)
        {
            // Check first, so a repeated daily export is refused without reading it through.
            var start = stream.Position;
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            stream.Position = start;
            if (!await IsNewContentAsync(db, spec, sha256, log, recorded, cancellationToken))
            {
                return 0;
            }

            stages.Add("checksums", started);
            started = Stopwatch.GetTimestamp();
        }

        await using var hashing = sha256 is null ? new HashingReadStream(stream) : null;
        int? rows;
        using (var reader = new CsvReader(hashing ?? stream))
        {
            try
            {
                rows = await session.ImportFileAsync(spec, reader, cancellationToken);
            }
            catch (CsvFormatException e)
            {
                log.Problem(spec.Name, e.Line, null, e.Message);
                return 0;
            }
        }

        stages.Add(spec.Name, started);
        if (rows is not > 0)
        {
            // Header-only and empty files are not recorded: the same empty export may come every day.
            return 0;
        }

        if (sha256 is null)
        {
            started = Stopwatch.GetTimestamp();
            sha256 = await hashing!.HashToEndAsync(cancellationToken);
            var isNew = await IsNewContentAsync(db, spec, sha256, log, recorded, cancellationToken);
            stages.Add("checksums", started);
            if (!isNew)
            {
                return 0;
            }
        }

        recorded.Add(new ImportedFile { FileName = spec.Name, Sha256 = sha256, Rows = rows.Value, ImportedAt = importedAt });
        return rows.Value;
    }

    private static async Task<bool> IsNewContentAsync(
        HealthDbContext db, ImportFileSpec spec, string sha256, ImportLog log, List<ImportedFile> recorded, CancellationToken cancellationToken)
    {
        var earlier = await db.ImportedFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Sha256 == sha256, cancellationToken);
        if (earlier is not null)
        {
            log.Problem(spec.Name, null, null,
                $"this exact file was already imported on {earlier.ImportedAt:yyyy-MM-dd HH:mm:ss} UTC (as {earlier.FileName}, import {earlier.ImportBatchId})");
            return false;
        }

        if (recorded.FirstOrDefault(f => f.Sha256 == sha256) is { } twin)
        {
            log.Problem(spec.Name, null, null, $"has the same content as {twin.FileName}");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The recognised files (<see cref="ImportFiles.Find"/>: by name prefix) in dependency order; unknown names
    /// are warned about, and two files for one table are a problem naming both.
    /// </summary>
    private static List<(ImportFileSpec Spec, Stream Stream)> OrderFiles(IReadOnlyDictionary<string, Stream> files, ImportLog log)
    {
        var found = new Dictionary<ImportFileSpec, (string Name, Stream Stream)>();
        foreach (var (name, stream) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var spec = ImportFiles.Find(name);
            if (spec is null)
            {
                log.Warning($"{name}: not an import file of DATA.md; ignored.");
            }
            else if (!found.TryAdd(spec, (name, stream)))
            {
                log.Problem(name, null, null, $"{spec.Name} is given twice: {found[spec].Name} and {name} (file names are matched by how they start, ignoring case); import one of them at a time");
            }
        }

        return [.. ImportFiles.InOrder.Where(found.ContainsKey).Select(s => (s, found[s].Stream))];
    }

    /// <summary>Notes a refused import for the history; a failure to note it is logged, never hides the refusal.</summary>
    private async Task RecordRefusalAsync(IEnumerable<string> fileNames, string source, ImportResult result)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.FailedImports.Add(new FailedImport
            {
                AttemptedAt = result.ImportedAt,
                Source = source,
                Files = string.Join(", ", fileNames.Order(StringComparer.Ordinal)),
                ProblemCount = result.ProblemCount,
                Problems = string.Join("\n", result.Problems.Take(FailedImport.MaxProblemsKept)),
            });
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or SqliteException)
        {
            logger.LogError(e, "A refused import could not be recorded in the history.");
        }
    }

    private static ImportResult Refused(ImportLog log, DateTime attemptedAt) => new()
    {
        Succeeded = false,
        Warnings = log.Warnings,
        WarningCount = log.WarningCount,
        Problems = log.Problems,
        ProblemCount = log.ProblemCount,
        ImportedAt = attemptedAt,
    };

    private ImportResult Refusal(string file, string message)
    {
        var log = new ImportLog();
        log.Problem(file, null, null, message);
        return Refused(log, clock.GetUtcNow().UtcDateTime);
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
