using Microsoft.Data.Sqlite;

namespace HealthDashboard.Import;

/// <summary>
/// One SQL statement prepared once inside the import transaction and executed per row with its
/// parameters (<c>$p0</c>, <c>$p1</c>, ...) reused, which is what makes a bulk insert fast in SQLite.
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly SqliteCommand command;
    private readonly SqliteParameter[] parameters;

    /// <param name="sql">The statement, using <c>$p0</c> ... <c>$p{count-1}</c>.</param>
    public PreparedCommand(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameterCount)
    {
        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        this.parameters = new SqliteParameter[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            this.parameters[i] = command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
        }

        command.Prepare();
    }

    /// <summary>Sets parameter <c>$p{index}</c>; null is SQL NULL.</summary>
    public void Set(int index, object? value) => this.parameters[index].Value = value ?? DBNull.Value;

    /// <summary>Runs the statement.</summary>
    public void Execute() => command.ExecuteNonQuery();

    /// <summary>Runs the statement and returns the first column of its first row (null when there is none).</summary>
    public object? ExecuteScalar() => command.ExecuteScalar();

    /// <summary>Runs the statement and returns the first column of its first row (e.g. <c>RETURNING "Id"</c>).</summary>
    public int ExecuteReturningId() => Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => command.Dispose();
}
