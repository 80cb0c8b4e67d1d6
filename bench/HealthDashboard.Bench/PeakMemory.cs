using System.Globalization;

namespace HealthDashboard.Bench;

/// <summary>
/// Part 4: the peak resident set of a process. .NET's Process.PeakWorkingSet64 of an exited child is not
/// available on Linux, so each child reads its own high-water mark (VmHWM in /proc/self/status, the
/// peak RSS the kernel recorded) just before it exits and reports it as a figure.
/// </summary>
public static class PeakMemory
{
    // The highest mark seen before a reset, so the whole-process peak survives resets.
    private static double peakBeforeResets;

    /// <summary>The figure of this process's peak resident set over its whole life, in MB.</summary>
    public static Figure Of(BenchPart part) =>
        new(4, $"Peak working set of part {part.Number} ({part.Title}), whole process", Math.Max(peakBeforeResets, PeakMegabytes()), "MB");

    /// <summary>
    /// A full collection once the caller's stack has unwound. Code awaited just before runs its continuations on top of
    /// its own finished frames (an async method's completion runs its awaiter inline), and their stack slots still root
    /// what they loaded: on part 2's store a dropped 10-million-row load kept the managed heap at 162 MB through a
    /// collection made right after it, and 5 MB through one made after a delay (2026-12-02). So it waits a little first
    /// (a timer's callback starts on a fresh thread-pool stack).
    /// </summary>
    /// <param name="returnMemory">
    /// Before a memory figure: collect aggressively, compacting the large-object heap, so what was freed goes back to the
    /// system and the resident set read next is what is live. Not before a timing: the step timed would then pay for
    /// faulting those pages in again, which a running app does not (part 2 read 2.28 x with it on a loaded machine).
    /// </param>
    public static async Task CollectAsync(bool returnMemory)
    {
        await Task.Delay(50);
        if (returnMemory)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        else
        {
            GC.Collect();
        }

        GC.WaitForPendingFinalizers();
    }

    /// <summary>
    /// The peak resident set while <paramref name="work"/> runs, read on its own: from a collected heap with its memory
    /// given back (<see cref="CollectAsync"/>), the high-water mark lowered to the resident set before it.
    /// </summary>
    public static async Task<PeakOf> OfAsync<T>(Func<Task<T>> work)
    {
        await CollectAsync(returnMemory: true);
        Reset();
        var before = ResidentMegabytes();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
        var (_, milliseconds) = await Timing.OnceAsync(work);
        return new PeakOf(before, heapBefore, PeakMegabytes(), milliseconds);
    }

    /// <summary>The peak resident set so far (since the start or the last <see cref="Reset"/>), in MB.</summary>
    public static double PeakMegabytes() => ReadKilobytes("VmHWM:") / 1024.0;

    /// <summary>The resident set now, in MB.</summary>
    public static double ResidentMegabytes() => ReadKilobytes("VmRSS:") / 1024.0;

    /// <summary>
    /// Lowers the high-water mark to the current resident set (Linux 4.0+: "5" to /proc/self/clear_refs),
    /// so the peak of one operation can be read on its own.
    /// </summary>
    public static void Reset()
    {
        peakBeforeResets = Math.Max(peakBeforeResets, PeakMegabytes());
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    private static long ReadKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmHWM:	  123456 kB"
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field} line (not Linux?).");
    }
}

/// <summary>What <see cref="PeakMemory.OfAsync"/> read: the resident set and managed heap before the work, its peak resident set (MB) and its time (ms).</summary>
public readonly record struct PeakOf(double ResidentBefore, double HeapBefore, double Peak, double Milliseconds);
