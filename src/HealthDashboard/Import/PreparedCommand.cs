using System.Data.Common;
using HealthDashboard.Data;

namespace HealthDashboard.Import;

/// <summary>
/// One SQL statement made once inside the import transaction and executed per row with its parameters
/// (<c>@p0</c>, <c>@p1</c>, ...) reused: on SQLite it is prepared, which is what makes a bulk insert fast there;
/// on PostgreSQL it runs as it is (the big table, usage, goes through binary COPY instead: <see cref="PostgresUsageCopy"/>).
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly DbCommand command;
    private readonly DbParameter[] parameters;
    private readonly bool postgres;

    /// <param name="sql">The statement, using <c>@p0</c> ... <c>@p{count-1}</c>.</param>
    public PreparedCommand(DbConnection connection, DbTransaction transaction, string sql, int parameterCount)
    {
        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        postgres = SqlDialect.IsPostgres(connection);
        this.parameters = new DbParameter[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            this.parameters[i] = parameter;
            command.Parameters.Add(parameter);
        }

        if (!postgres)
        {
            command.Prepare();
        }
    }

    /// <summary>
    /// Sets parameter <c>@p{index}</c>; null is SQL NULL. Times are UTC whatever their kind says (SQLite stores the
    /// text as given; PostgreSQL's timestamp with time zone takes only UTC kinds).
    /// </summary>
    public void Set(int index, object? value) => this.parameters[index].Value = value switch
    {
        null => DBNull.Value,
        DateTime { Kind: not DateTimeKind.Utc } time when postgres => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        _ => value,
    };

    /// <summary>Runs the statement.</summary>
    public void Execute() => command.ExecuteNonQuery();

    /// <summary>Runs the statement and returns the first column of its first row (e.g. <c>RETURNING "Id"</c>).</summary>
    public int ExecuteReturningId() => Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => command.Dispose();
}
