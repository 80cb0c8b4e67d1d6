using System.Data.Common;
using HealthDashboard.Cli;
using HealthDashboard.Data;
using HealthDashboard.Tests.Import;

namespace HealthDashboard.Tests.Cli;

/// <summary>
/// The daily usage roll-up as imports keep it (batches that add to the same day accumulate, a refused import
/// adds nothing) and the <c>verify</c> verb that recomputes it from the raw rows.
/// </summary>
public abstract class VerifyVerbTests(DatabaseProvider engine) : IAsyncLifetime
{
    private static readonly long Nov1 = ImportData.Utc(2026, 11, 1).Ticks / TimeSpan.TicksPerDay;

    private TestStore store = null!;

    public async Task InitializeAsync() => store = await TestStore.CreateAsync(engine);

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Batches_adding_to_one_day_accumulate_and_verify_agrees()
    {
        await ImportAsync("base", ImportData.All);
        // Same day, account, user and event type as the first row of ImportData.Usage (09:00, count 1), later,
        // plus a row at midnight of that day: a group of its own.
        var (exit, _, error) = await ImportAsync("more", ("usage.csv", """
            account_id,user_id,event_type,timestamp,count
            A1,U1,login,2026-11-01T17:45:00Z,2
            A1,U1,login,2026-11-01,4

            """));
        Assert.True(exit == 0, error);

        Assert.Equal(
            [
                $"{Nov1} 1 1 1 0 3 {ImportData.Utc(2026, 11, 1, 17, 45).Ticks}",
                $"{Nov1} 1 1 1 1 4 {ImportData.Utc(2026, 11, 1).Ticks}",
            ],
            Query($"""SELECT "Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp" FROM "UsageDaily" WHERE "Day" = {Nov1} ORDER BY "AtMidnight" """));
        var (verifyExit, output, _) = await RunAsync("verify");
        Assert.Equal(0, verifyExit);
        Assert.Equal("verify: roll-ups agree with 6 usage rows." + Environment.NewLine, output);
    }

    [Fact]
    public async Task Verify_reports_a_tampered_a_missing_and_an_orphan_rollup_row_and_exits_1()
    {
        await ImportAsync("base", ImportData.All);
        Execute($"""UPDATE "UsageDaily" SET "Count" = "Count" + 1 WHERE "Day" = {Nov1}""");
        Execute($"""DELETE FROM "UsageDaily" WHERE "Day" = {Nov1 + 1}""");
        Execute($"""INSERT INTO "UsageDaily" VALUES ({Nov1 + 20}, 2, 3, 0, CAST(1 AS boolean), 7, {(Nov1 + 20) * TimeSpan.TicksPerDay})""");

        var (exit, output, _) = await RunAsync("verify");

        Assert.Equal(1, exit);
        var lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(4, lines.Length);
        Assert.Contains(
            "UsageDaily 2026-11-01, account A1, event type login, user U1: stored count 2, last 2026-11-01T09:00:00.0000000Z; "
            + "from the usage rows count 1, last 2026-11-01T09:00:00.0000000Z", lines);
        Assert.Contains(
            "UsageDaily 2026-11-02, account A1, event type report, user U2: stored none; from the usage rows count 3, last 2026-11-02T08:30:00.0000000Z", lines);
        Assert.Contains("UsageDaily 2026-11-21 (rows at 00:00), account A2, event type export, account-level: stored count 7, last 2026-11-21T00:00:00.0000000Z; from the usage rows none", lines);
        Assert.Equal("verify: 3 roll-up groups disagree with the 4 usage rows.", lines[^1]);
    }

    [Fact]
    public async Task An_import_refused_midway_leaves_the_rollup_as_it_was()
    {
        await ImportAsync("base", ImportData.All);
        var before = Query("""SELECT * FROM "UsageDaily" ORDER BY 1, 2, 3, 4, 5""");

        // Good rows first (written before the problem is met, then rolled back), a bad one last.
        var (exit, _, _) = await ImportAsync("bad", ("usage.csv", """
            account_id,user_id,event_type,timestamp,count
            A1,U1,login,2026-11-01T18:00:00Z,5
            A2,,export,2026-11-10,2
            A1,U1,login,not a time,1

            """));

        Assert.Equal(1, exit);
        Assert.Equal(before, Query("""SELECT * FROM "UsageDaily" ORDER BY 1, 2, 3, 4, 5"""));
        Assert.Equal(0, (await RunAsync("verify")).Exit);
    }

    private async Task<(int Exit, string Output, string Error)> ImportAsync(string name, params (string Name, string Content)[] files)
    {
        var folder = Path.Combine(store.Directory, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, file), content);
        }

        return await RunAsync("import", folder);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync([.. args, .. store.CliArguments], output, error, null, store.CliConfiguration);
        return (exit, output.ToString(), error.ToString());
    }

    private DbConnection Open() => store.OpenConnection();

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<string> Query(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join(' ', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i) is bool b ? (b ? 1 : 0) : reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}

public sealed class VerifyVerbSqliteTests() : VerifyVerbTests(DatabaseProvider.Sqlite);

public sealed class VerifyVerbPostgresTests() : VerifyVerbTests(DatabaseProvider.Postgres);
