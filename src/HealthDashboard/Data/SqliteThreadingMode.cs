using SQLitePCL;

namespace HealthDashboard.Data;

/// <summary>
/// Puts the bundled SQLite library in multi-thread mode (<c>SQLITE_CONFIG_MULTITHREAD</c>) before its first connection
/// opens: each connection then runs without the mutex that serialized mode (the library's default) takes and releases
/// around every call, a step and each column read included.
/// </summary>
/// <remarks>
/// Safe because no connection is ever used by two threads at once: Microsoft.Data.Sqlite's pool hands a connection to
/// one <c>SqliteConnection</c> at a time, a DbContext (and so its connection) is used by one operation at a time, and
/// the loader's parallel reads each open a connection of their own (the few calls SQLite allows across threads, such as
/// <c>sqlite3_interrupt</c>, stay allowed). What it saves is real at scale: the loader's read of the daily roll-up,
/// a step and four column reads for each of 4.2 million rows (bench part 2), went from 1,230 to 917 ms on one core
/// with the mutex gone, and the same rows through a data reader from 1,430 to 1,120 ms.
/// <para>
/// The mode can only be chosen before the library initializes, i.e. before the process's first SQLite connection. The
/// store's options apply it when first used (<see cref="StoreOptions"/>), which in the app and the command line is
/// before anything opens a connection; a process that opened one earlier (a test that builds its file with a plain
/// connection first) keeps serialized mode, which is only slower.
/// </para>
/// </remarks>
public static class SqliteThreadingMode
{
    private static readonly Lazy<bool> Applied = new(ChooseMultiThread, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether this process's SQLite runs in multi-thread mode (false: serialized, the library's default).</summary>
    public static bool IsMultiThread => Applied.Value;

    /// <summary>Chooses multi-thread mode if the library has not initialized yet; idempotent.</summary>
    public static void Apply() => _ = Applied.Value;

    private static bool ChooseMultiThread()
    {
        // The provider Microsoft.Data.Sqlite itself sets (its static constructor calls the same): raw needs it first.
        Batteries_V2.Init();
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK;
    }
}
