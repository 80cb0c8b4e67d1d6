using Microsoft.Data.Sqlite;

namespace HealthDashboard.Data;

/// <summary>
/// Recognises SQLite's "database is busy/locked": another connection (often another process, such as a
/// command-line import) held the write lock for longer than the busy timeout. Not a bug but a moment:
/// callers answer "busy, try again" (the API 503 with <c>Retry-After</c>) instead of failing.
/// </summary>
public static class DatabaseBusy
{
    /// <summary>Seconds a client is told to wait before retrying.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>What a person is told, followed by what did not happen (e.g. "; nothing was imported, try again").</summary>
    public const string Message = "the database is busy (another program is writing to it)";

    /// <summary>True when <paramref name="exception"/> or an inner one is SQLITE_BUSY (5) or SQLITE_LOCKED (6).</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }

        return false;
    }
}
