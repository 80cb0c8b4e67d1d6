using System.Globalization;

namespace HealthDashboard.Extensions;

/// <summary>
/// Start-up advice for hosts whose CPU reports a very large L3 cache. Workstation GC sizes its gen0 budget from the
/// L3 size, so on such a host every page served leaves far more young garbage between collections and the peak
/// memory rises (bench part 18: 610-615 MB on a VM reporting 260 MB, 569-572 MB with the budget bounded). Only an
/// environment variable read before the runtime starts bounds it (no <c>runtimeconfig.json</c> key reaches
/// <c>GCGen0MaxBudget</c>), so the app cannot set it for itself: it tells the operator at start-up (README, "Memory").
/// </summary>
public static class YoungGenerationAdvice
{
    /// <summary>The environment variable that bounds the gen0 budget (hexadecimal bytes; the name is case-sensitive).</summary>
    public const string Variable = "DOTNET_GCGen0MaxBudget";

    /// <summary>The value the README recommends: 32 MB.</summary>
    public const string RecommendedValue = "0x2000000";

    /// <summary>L3 sizes above this get the advice; servers commonly report 8-64 MB.</summary>
    public const long LargeL3Bytes = 64L * 1024 * 1024;

    /// <summary>Where Linux reports the first CPU's L3 cache size (e.g. "266240K").</summary>
    public const string L3SizePath = "/sys/devices/system/cpu/cpu0/cache/index3/size";

    /// <summary>The L3 size this machine reports, as sysfs gives it ("266240K"), or null where there is none.</summary>
    public static string? ReadL3Size()
    {
        try
        {
            return File.Exists(L3SizePath) ? File.ReadAllText(L3SizePath).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The warning to log for an L3 size as sysfs gives it (<paramref name="l3Size"/>) and the variable's current value,
    /// or null when the cache is not large, its size unknown, or the variable already set.
    /// </summary>
    public static string? For(string? l3Size, string? variableValue)
    {
        if (!string.IsNullOrWhiteSpace(variableValue) || ParseSize(l3Size) is not { } bytes || bytes <= LargeL3Bytes)
        {
            return null;
        }

        return $"This host's CPU reports an L3 cache of {bytes / (1024 * 1024)} MB, and .NET sizes its young generation from it: "
            + $"expect a higher peak memory. Set {Variable}={RecommendedValue} (32 MB) in the app's environment to bound it (README, \"Memory\").";
    }

    /// <summary>Bytes of a sysfs cache size: a number with an optional K, M or G suffix; null when it is not one.</summary>
    internal static long? ParseSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        var (digits, unit) = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => (text[..^1], 1024L),
            'M' => (text[..^1], 1024L * 1024),
            'G' => (text[..^1], 1024L * 1024 * 1024),
            _ => (text, 1L),
        };
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= long.MaxValue / unit
            ? value * unit
            : null;
    }
}
