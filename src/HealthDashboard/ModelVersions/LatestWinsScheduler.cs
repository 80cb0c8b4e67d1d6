using System.Diagnostics;

namespace HealthDashboard.ModelVersions;

/// <summary>
/// Runs an expensive computation for the newest input only, at most one at a time, for a slider that
/// fires on every pixel. A request waits <see cref="Delay"/> (gathering the requests that follow it),
/// then the newest input is computed on the thread pool and handed to the apply callback. Requests
/// made meanwhile replace each other in a single slot, so stale work never queues behind the newest:
/// while dragging, the figures follow at most one delay behind, and the last position always wins.
/// </summary>
/// <typeparam name="TInput">What to compute from (e.g. a draft model).</typeparam>
/// <typeparam name="TResult">What the computation gives.</typeparam>
public sealed class LatestWinsScheduler<TInput, TResult> : IDisposable
{
    private readonly Func<TInput, Task<TResult>> compute;
    private readonly Func<Outcome, Task> apply;
    private readonly object sync = new();
    private TInput? next;
    private bool hasNext;
    private bool running;
    private bool disposed;
    private Task idle = Task.CompletedTask;

    /// <summary>One finished computation: the input, its result or the exception it threw, and how long it took.</summary>
    public sealed record Outcome(TInput Input, TResult? Result, Exception? Error, TimeSpan Elapsed);

    /// <param name="compute">The computation (runs on the thread pool).</param>
    /// <param name="apply">Receives each finished computation; a Blazor component passes it through InvokeAsync.</param>
    /// <param name="delay">How long a request gathers later ones before computing (zero: compute at once).</param>
    public LatestWinsScheduler(Func<TInput, TResult> compute, Func<Outcome, Task> apply, TimeSpan delay)
        : this(input => Task.FromResult(compute(input)), apply, delay)
    {
    }

    /// <summary>
    /// The same for a computation that awaits (reads the store before it computes): it is awaited, never waited on,
    /// so no pool thread sits blocked while the read's continuation needs one (on a 2-core machine the pool starts
    /// with two threads, and the backtest's own parallel loop wants both).
    /// </summary>
    /// <param name="compute">The computation (started on the thread pool).</param>
    /// <param name="apply">Receives each finished computation; a Blazor component passes it through InvokeAsync.</param>
    /// <param name="delay">How long a request gathers later ones before computing (zero: compute at once).</param>
    public LatestWinsScheduler(Func<TInput, Task<TResult>> compute, Func<Outcome, Task> apply, TimeSpan delay)
    {
        this.compute = compute;
        this.apply = apply;
        Delay = delay;
    }

    /// <summary>The gathering delay.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Completes when no request is waiting or computing (for tests; a finished scheduler returns a completed task).</summary>
    public Task Idle
    {
        get
        {
            lock (sync)
            {
                return idle;
            }
        }
    }

    /// <summary>
    /// Asks for <paramref name="input"/> to be computed, replacing any request not yet started. With
    /// <paramref name="atOnce"/> an idle scheduler computes it without the gathering delay (a page's first
    /// computation: nothing else is coming to gather).
    /// </summary>
    public void Request(TInput input, bool atOnce = false)
    {
        lock (sync)
        {
            if (disposed)
            {
                return;
            }

            next = input;
            hasNext = true;
            if (!running)
            {
                running = true;
                var firstDelay = atOnce ? TimeSpan.Zero : Delay;
                idle = Task.Run(() => RunAsync(firstDelay));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (sync)
        {
            disposed = true;
            hasNext = false;
            next = default;
        }
    }

    private async Task RunAsync(TimeSpan firstDelay)
    {
        var delay = firstDelay;
        while (true)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }

            delay = Delay;

            TInput input;
            lock (sync)
            {
                if (!hasNext || disposed)
                {
                    running = false;
                    return;
                }

                input = next!;
                next = default;
                hasNext = false;
            }

            var watch = Stopwatch.StartNew();
            Outcome outcome;
            try
            {
                outcome = new Outcome(input, await compute(input), null, watch.Elapsed);
            }
            catch (Exception ex)
            {
                outcome = new Outcome(input, default, ex, watch.Elapsed);
            }

            bool stop;
            lock (sync)
            {
                stop = disposed;
            }

            if (!stop)
            {
                try
                {
                    await apply(outcome);
                }
                catch (ObjectDisposedException)
                {
                    // The component went away while the result was on its way.
                }
            }
        }
    }
}
