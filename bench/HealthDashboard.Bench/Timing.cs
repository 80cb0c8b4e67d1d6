using System.Diagnostics;

namespace HealthDashboard.Bench;

/// <summary>Durations of repeated runs of one operation, in milliseconds.</summary>
public sealed class Samples(IReadOnlyList<double> milliseconds)
{
    private readonly double[] sorted = [.. milliseconds.Order()];

    public int Count => sorted.Length;

    public double Median => Percentile(0.5);

    public double P95 => Percentile(0.95);

    public double Min => sorted[0];

    /// <summary>Nearest-rank percentile: the smallest sample with at least <paramref name="p"/> of the samples at or below it.</summary>
    public double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>The one timing helper: warm-up runs (not recorded), then timed runs.</summary>
public static class Timing
{
    /// <summary>
    /// CPU time the calling thread has run, in milliseconds (Linux: the first field of /proc/thread-self/schedstat, in
    /// ns); NaN where that file is missing. On a shared machine a single-threaded operation's CPU time is far steadier
    /// than its wall time, which counts the time other processes held the cores.
    /// </summary>
    public static double ThreadCpuMilliseconds()
    {
        try
        {
            var text = File.ReadAllText("/proc/thread-self/schedstat");
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            return long.Parse(text.AsSpan(0, end < 0 ? text.Length : end), System.Globalization.CultureInfo.InvariantCulture) / 1e6;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    /// <summary>Runs <paramref name="operation"/> (given the run number) <paramref name="warmups"/> + <paramref name="runs"/> times and times the last <paramref name="runs"/>.</summary>
    public static Task<Samples> MeasureAsync(int warmups, int runs, Func<int, Task> operation) =>
        MeasureAsync(warmups, runs, run => Task.FromResult(run), operation);

    /// <summary>
    /// Like <see cref="MeasureAsync(int, int, Func{int, Task})"/>, with an untimed <paramref name="setup"/>
    /// before each run whose result the timed <paramref name="operation"/> acts on (disposed, untimed,
    /// after the run when it is <see cref="IAsyncDisposable"/>): for an operation that needs a fresh
    /// object or a freshly read input each time.
    /// </summary>
    public static async Task<Samples> MeasureAsync<T>(int warmups, int runs, Func<int, Task<T>> setup, Func<T, Task> operation)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < warmups + runs; i++)
        {
            var input = await setup(i);
            try
            {
                var started = Stopwatch.GetTimestamp();
                await operation(input);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= warmups)
                {
                    times.Add(elapsed);
                }
            }
            finally
            {
                if (input is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }
        }

        return new Samples(times);
    }

    /// <summary>Synchronous form of <see cref="MeasureAsync(int, int, Func{int, Task})"/>.</summary>
    public static Samples Measure(int warmups, int runs, Action<int> operation) =>
        MeasureAsync(warmups, runs, i =>
        {
            operation(i);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    /// <summary>Times one run of <paramref name="operation"/> and returns its result with the milliseconds it took.</summary>
    public static async Task<(T Result, double Milliseconds)> OnceAsync<T>(Func<Task<T>> operation)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await operation();
        return (result, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
