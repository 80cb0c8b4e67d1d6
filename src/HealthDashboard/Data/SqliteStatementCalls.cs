using System.Runtime.InteropServices;
using SQLitePCL;

namespace HealthDashboard.Data;

/// <summary>
/// SQLite's step and integer column read called on the bundled e_sqlite3 library directly, with the statement as a raw
/// pointer (the statement itself is prepared, bound and finalized through SQLitePCL.raw as usual).
/// </summary>
/// <remarks>
/// Through SQLitePCL.raw every call marshals the statement's SafeHandle (its reference count up and down, a GC
/// transition each way). At a step and four columns a row over millions of roll-up rows that cost twice the engine's
/// own read (bench part 2). The column read is a plain memory read inside the engine, so it also skips the GC
/// transition. Only used when SQLitePCL itself runs on e_sqlite3 (Microsoft.Data.Sqlite's bundle), so the library
/// both load is the one instance and the pointer belongs to it.
/// </remarks>
internal static class SqliteStatementCalls
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether SQLitePCL runs on e_sqlite3, so these calls reach the same engine.</summary>
    public static bool Available { get; } = string.Equals(raw.GetNativeLibraryName(), Library, StringComparison.Ordinal);

    [DllImport(Library, EntryPoint = "sqlite3_step", ExactSpelling = true, CallingConvention = CallingConvention.Cdecl)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Step(IntPtr statement);

    [DllImport(Library, EntryPoint = "sqlite3_column_int64", ExactSpelling = true, CallingConvention = CallingConvention.Cdecl)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    public static extern long ColumnInt64(IntPtr statement, int column);
}
