using Microsoft.Data.Sqlite;

namespace HealthDashboard.Import;

/// <summary>
/// One SQL statement prepared once inside the import transaction and executed per row with its
/// parameters (<c>$p0</c>, <c>$p1</c>, ...) reused, which is what makes a bulk insert fast in SQLite.
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    /// <param name="sql">The statement, using <c>$p0</c> ... <c>$p{count-1}</c>.</param>
    public PreparedCommand(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameterCount)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            _parameters[i] = _command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
        }

        _command.Prepare();
    }

    /// <summary>Sets parameter <c>$p{index}</c>; null is SQL NULL.</summary>
    public void Set(int index, object? value) => _parameters[index].Value = value ?? DBNull.Value;

    /// <summary>Runs the statement.</summary>
    public void Execute() => _command.ExecuteNonQuery();

    /// <summary>Runs the statement and returns the first column of its first row (e.g. <c>RETURNING "Id"</c>).</summary>
    public int ExecuteReturningId() => Convert.ToInt32(_command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _command.Dispose();
}
