using HealthDashboard.Cli;
using HealthDashboard.Data;

namespace HealthDashboard.Tests.Faults;

/// <summary>
/// The PostgreSQL counterpart of <see cref="KilledImportTests"/>: the command-line import is killed (SIGKILL)
/// while its binary COPY streams a large usage file. The import is one transaction, so the server rolls it back
/// when the connection drops: the store is exactly as before and the next import and the scores work.
/// </summary>
public sealed class KilledPostgresImportTests : IAsyncLifetime
{
    private TestStore store = null!;

    public async Task InitializeAsync() => store = await TestStore.CreateAsync(DatabaseProvider.Postgres);

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task A_killed_import_leaves_the_store_as_it_was_and_the_next_import_and_scores_work()
    {
        var seed = KilledImport.Folder(store.Directory, "seed", ("event_types.csv", "key\nlogin\n"), ("accounts.csv", "id,name,created_at\nA1,First,2025-01-01\n"));
        Assert.Equal(0, await RunInProcessAsync("import", seed));
        var before = await store.ChecksumAsync();

        await using var connection = store.OpenConnection();
        await using var progress = connection.CreateCommand();
        // PostgreSQL's own progress report of a running COPY (PostgreSQL 14 and later): kill once it has taken 200,000 rows.
        progress.CommandText = "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE datname = current_database()";
        var big = KilledImport.Folder(store.Directory, "big", ("usage.csv", KilledImport.BigUsageCsv()));
        Assert.True(
            await KilledImport.KillDuringImportAsync(store.Directory, big, [], store.CliEnvironment,
                async () => Convert.ToInt64(await progress.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 200_000),
            "the import finished before it could be killed; make the file bigger");

        // The server rolls the transaction back as soon as it sees the connection gone.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await store.ChecksumAsync() != before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(before, await store.ChecksumAsync());
        var small = KilledImport.Folder(store.Directory, "small", ("usage.csv", "account_id,event_type,timestamp\nA1,login,2026-11-01T00:00:00Z\n"));
        Assert.Equal(0, await RunInProcessAsync("import", small));
        Assert.Equal(0, await RunInProcessAsync("scores", "--as-of", "2026-11-02"));
        Assert.Equal(0, await RunInProcessAsync("verify"));
    }

    private async Task<int> RunInProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. store.CliArguments], output, error, null, store.CliConfiguration);
        Assert.True(code == 0, error.ToString());
        return code;
    }
}
