using HealthDashboard.Import;

namespace HealthDashboard.Scores;

/// <summary>
/// The one as-of clock of the product: the dashboard, the command line and the demo generator all ask it
/// what "now" is and how an as-of time is written. <c>Scoring:AsOf</c> in configuration pins it (a demo, a
/// test, a replayed data set); otherwise it is the <see cref="TimeProvider"/>'s now, truncated to the whole
/// second so that a page, an export and the <c>scores</c> verb run in the same second agree to the digit.
/// </summary>
public sealed class AsOfClock(TimeProvider clock, IConfiguration configuration)
{
    /// <summary>Configuration key of the pinned as-of time.</summary>
    public const string PinKey = "Scoring:AsOf";

    /// <summary>The pinned as-of time, or null when the clock follows real time.</summary>
    public DateTime? Pinned => TryParse(configuration[PinKey], out var pinned) ? pinned : null;

    /// <summary>The as-of time to score at now: the pin, or the clock's now to the second (UTC).</summary>
    public DateTime Now() => Pinned ?? Truncate(clock.GetUtcNow().UtcDateTime);

    /// <summary>An explicit as-of time (e.g. <c>--as-of</c>) when given, otherwise <see cref="Now"/>.</summary>
    public DateTime Resolve(DateTime? requested) => requested is { } asOf ? Truncate(asOf) : Now();

    /// <summary>
    /// Parses an as-of time the way DATA.md writes times (ISO 8601 with a zone or <c>Z</c>, or a date alone at
    /// 00:00 UTC), as UTC. False for an empty or malformed text.
    /// </summary>
    public static bool TryParse(string? text, out DateTime asOf)
    {
        asOf = default;
        return !string.IsNullOrWhiteSpace(text) && ImportValues.TryParseTime(text, out asOf);
    }

    /// <summary>A time in UTC to the whole second (scores are reproducible from the written as-of time).</summary>
    public static DateTime Truncate(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
