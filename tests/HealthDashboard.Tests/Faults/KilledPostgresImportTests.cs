using System.Diagnostics;
using System.Text;
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
        var seed = Folder("seed", ("event_types.csv", "key\nlogin\n"), ("accounts.csv", "id,name,created_at\nA1,First,2025-01-01\n"));
        Assert.Equal(0, await RunInProcessAsync("import", seed));
        var before = await store.ChecksumAsync();

        var usage = new StringBuilder("account_id,event_type,timestamp\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 3_000_000; i++)
        {
            usage.Append("A1,login,").Append(start.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        Assert.True(await KillDuringCopyAsync(Folder("big", ("usage.csv", usage.ToString()))), "the import finished before it could be killed; make the file bigger");

        // The server rolls the transaction back as soon as it sees the connection gone.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await store.ChecksumAsync() != before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(before, await store.ChecksumAsync());
        var small = Folder("small", ("usage.csv", "account_id,event_type,timestamp\nA1,login,2026-11-01T00:00:00Z\n"));
        Assert.Equal(0, await RunInProcessAsync("import", small));
        Assert.Equal(0, await RunInProcessAsync("scores", "--as-of", "2026-11-02"));
        Assert.Equal(0, await RunInProcessAsync("verify"));
    }

    /// <summary>Starts the import verb as its own process (on the store through environment variables) and kills it mid-COPY.</summary>
    private async Task<bool> KillDuringCopyAsync(string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = store.Directory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "HealthDashboard.dll"), "import", folder })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in store.CliEnvironment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        await using var connection = store.OpenConnection();
        await using var progress = connection.CreateCommand();
        // PostgreSQL's own progress report of a running COPY (PostgreSQL 14 and later).
        progress.CommandText = "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE datname = current_database()";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!process.HasExited && DateTime.UtcNow < deadline && Convert.ToInt64(await progress.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) < 200_000)
        {
            await Task.Delay(20);
        }

        if (process.HasExited)
        {
            return false;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        return true;
    }

    private string Folder(string name, params (string Name, string Content)[] files)
    {
        var folder = Path.Combine(store.Directory, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), content);
        }

        return folder;
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
