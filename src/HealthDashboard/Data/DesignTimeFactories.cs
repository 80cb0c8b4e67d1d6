using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HealthDashboard.Data;

/// <summary>
/// What <c>dotnet ef migrations add</c> builds the SQLite context with (no app start, no configuration read:
/// adding a migration needs the model, not a database).
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<HealthDbContext>
{
    public HealthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<HealthDbContext>().UseSqlite(StoreOptions.DefaultSqliteConnectionString).Options);
}

/// <summary>
/// What <c>dotnet ef migrations add --context PostgresHealthDbContext</c> builds the PostgreSQL context with. The
/// connection string is only used by commands that touch a database (<c>dotnet ef database update</c>): it is
/// <c>ConnectionStrings__Health</c> when set.
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHealthDbContext>
{
    public PostgresHealthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<HealthDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Health") ?? "Host=127.0.0.1;Database=healthdashboard")
            .Options);
}
