using System.Collections.Concurrent;
using System.Diagnostics;

namespace HealthDashboard.Import;

/// <summary>
/// Hands rows from the import's reading thread to a writing thread of their own, in chunks, so the reader checks the
/// next rows while the writer stores these (both usage writers: <see cref="SqliteUsageWriter"/>,
/// <see cref="PostgresUsageWriter"/>). The queue is bounded (memory stays bounded: the reader waits when the writer
/// lags by <c>chunksQueued</c> chunks). A failure of the writer is thrown to the reader at its next hand-over or at
/// <see cref="Complete"/>; after either (or <see cref="Dispose"/>) the writer's thread has let go of the connection.
/// </summary>
/// <typeparam name="TRow">A row as the writer stores it.</typeparam>
internal sealed class RowHandOver<TRow> : IDisposable
    where TRow : struct
{
    private readonly Action<TRow> store;
    private readonly int rowsPerChunk;
    private readonly BlockingCollection<(TRow[] Rows, int Count)> queued;
    private readonly BlockingCollection<TRow[]> free = [];
    private readonly CancellationTokenSource writerFailed = new();
    private readonly Task writer;
    private TRow[]? chunk;
    private int chunkCount;

    // Set by Dispose without Complete (the import failed or was cancelled): chunks still queued are dropped, not stored.
    private volatile bool abandoned;

    /// <param name="store">Stores one row, on the writer's thread.</param>
    /// <param name="rowsPerChunk">Rows handed over at a time.</param>
    /// <param name="chunksQueued">Chunks the writer may lag behind the reader.</param>
    public RowHandOver(Action<TRow> store, int rowsPerChunk, int chunksQueued)
    {
        this.store = store;
        this.rowsPerChunk = rowsPerChunk;
        queued = new BlockingCollection<(TRow[] Rows, int Count)>(chunksQueued);
        writer = Task.Factory.StartNew(StoreQueuedChunks, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Stopwatch ticks the reader spent waiting for the writer (a full queue, and <see cref="Complete"/>).</summary>
    public long WaitTicks { get; private set; }

    /// <summary>Adds one row; hands the chunk over when it is full (waiting while the queue is full).</summary>
    public void Add(in TRow row)
    {
        this.chunk ??= this.free.TryTake(out var reused) ? reused : new TRow[this.rowsPerChunk];
        this.chunk[this.chunkCount++] = row;
        if (this.chunkCount == this.rowsPerChunk)
        {
            HandOverChunk();
        }
    }

    /// <summary>Hands over the last rows and waits until the writer has stored every row; throws the writer's error.</summary>
    public void Complete()
    {
        HandOverChunk();
        var started = Stopwatch.GetTimestamp();
        this.queued.CompleteAdding();
        this.writer.GetAwaiter().GetResult();
        WaitTicks += Stopwatch.GetTimestamp() - started;
    }

    private void HandOverChunk()
    {
        if (this.chunkCount == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            // A full queue blocks until the writer takes a chunk; a failed writer ends the wait (its error is thrown).
            this.queued.Add((this.chunk!, this.chunkCount), this.writerFailed.Token);
        }
        catch (OperationCanceledException)
        {
            // Only the writer's failure cancels: wait for it to end and throw its error instead.
            this.writer.GetAwaiter().GetResult();
            throw;
        }

        WaitTicks += Stopwatch.GetTimestamp() - started;
        this.chunk = null;
        this.chunkCount = 0;
    }

    private void StoreQueuedChunks()
    {
        try
        {
            foreach (var (rows, count) in this.queued.GetConsumingEnumerable())
            {
                if (this.abandoned)
                {
                    continue;
                }

                foreach (var row in rows.AsSpan(0, count))
                {
                    this.store(row);
                }

                this.free.Add(rows);
            }
        }
        catch
        {
            this.writerFailed.Cancel();
            throw;
        }
    }

    /// <summary>Stops the writer (dropping chunks not yet stored unless <see cref="Complete"/> ran) and waits for its thread to end.</summary>
    public void Dispose()
    {
        this.abandoned = true;
        this.queued.CompleteAdding();
        try
        {
            this.writer.Wait();
        }
        catch (AggregateException)
        {
            // Thrown to the reader already by Complete or Add, or moot: the import is rolled back either way.
        }

        this.queued.Dispose();
        this.free.Dispose();
        this.writerFailed.Dispose();
    }
}
