using System.Globalization;

namespace HealthDashboard.Bench;

/// <summary>
/// Part 4: the peak resident set of a process. .NET's Process.PeakWorkingSet64 of an exited child is not
/// available on Linux, so each child reads its own high-water mark (VmHWM in /proc/self/status, the
/// peak RSS the kernel recorded) just before it exits and reports it as a figure.
/// </summary>
public static class PeakMemory
{
    /// <summary>The figure of this process's peak resident set, in MB.</summary>
    public static Figure Of(BenchPart part) =>
        new(4, $"Peak working set of part {part.Number} ({part.Title}), whole process", ReadPeakKilobytes() / 1024.0, "MB");

    private static long ReadPeakKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                // "VmHWM:	  123456 kB"
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmHWM line (not Linux?).");
    }
}
