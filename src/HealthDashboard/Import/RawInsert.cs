using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HealthDashboard.Import;

/// <summary>
/// An <c>INSERT</c> prepared once on SQLite's own statement API and run per row (bind, step, reset) in the
/// connection's current transaction: the bulk insert of usage rows and of snapshot days. Through <see cref="PreparedCommand"/>
/// each row also paid a boxed value per parameter and the data provider's per-execution bookkeeping, which
/// together cost more than SQLite's own insert.
/// </summary>
internal sealed class RawInsert : IDisposable
{
    private readonly sqlite3 handle;
    private readonly sqlite3_stmt statement;

    /// <param name="sql">The statement, with positional parameters <c>?1</c>, <c>?2</c>, ...</param>
    public RawInsert(SqliteConnection connection, string sql)
    {
        handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(handle, sql, out statement));
    }

    /// <summary>Sets parameter <c>?{position}</c> (1-based).</summary>
    public void Set(int position, long value) => Check(raw.sqlite3_bind_int64(statement, position, value));

    /// <summary>Sets parameter <c>?{position}</c> to <paramref name="value"/>, or SQL NULL when it has none.</summary>
    public void SetOrNull(int position, int? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(statement, position, v) : raw.sqlite3_bind_null(statement, position));

    /// <summary>Sets parameter <c>?{position}</c> to a real, or SQL NULL when it is NaN (no value).</summary>
    public void SetOrNull(int position, double value) =>
        Check(double.IsNaN(value) ? raw.sqlite3_bind_null(statement, position) : raw.sqlite3_bind_double(statement, position, value));

    /// <summary>Sets parameter <c>?{position}</c> to a real.</summary>
    public void Set(int position, double value) => Check(raw.sqlite3_bind_double(statement, position, value));

    /// <summary>Sets parameter <c>?{position}</c> to a text, or SQL NULL when it is null.</summary>
    public void SetOrNull(int position, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, position) : raw.sqlite3_bind_text(statement, position, value));

    /// <summary>Sets parameter <c>?{position}</c> to a text.</summary>
    public void Set(int position, string value) => Check(raw.sqlite3_bind_text(statement, position, value));

    /// <summary>Sets parameter <c>?{position}</c> to a text already in UTF-8 (SQLite copies it; no string is made).</summary>
    public void SetUtf8(int position, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(statement, position, utf8));

    /// <summary>Sets parameter <c>?{position}</c> to SQL NULL.</summary>
    public void SetNull(int position) => Check(raw.sqlite3_bind_null(statement, position));

    /// <summary>
    /// Runs the statement with the parameters set, and makes it ready for the next row. The parameters keep their
    /// values (SQLite's reset does not clear them): one that is the same on every row is set once.
    /// </summary>
    public void Execute()
    {
        var status = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (status != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(status, handle);
        }
    }

    public void Dispose() => statement.Dispose();

    private void Check(int status)
    {
        if (status != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(status, handle);
        }
    }
}
