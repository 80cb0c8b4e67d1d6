using HealthDashboard.Cli;

namespace HealthDashboard.Tests.Faults;

/// <summary>
/// The command-line import is killed (SIGKILL) in the middle of a large usage file: SQLite's journal must
/// leave the store exactly as before, sound, and usable by the next import and the scores.
/// </summary>
public sealed class KilledImportTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "hd-kill-" + Guid.NewGuid().ToString("N"));

    public KilledImportTests() => Directory.CreateDirectory(directory);

    private string DatabaseFile => Path.Combine(directory, "health.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task A_killed_import_leaves_the_store_intact_and_the_next_import_and_scores_work()
    {
        var seed = KilledImport.Folder(directory, "seed", ("event_types.csv", "key\nlogin\n"), ("accounts.csv", "id,name,created_at\nA1,First,2025-01-01\n"));
        Assert.Equal(0, await RunInProcessAsync("import", seed, "--db", DatabaseFile));
        var before = await DatabaseChecksum.OfFileAsync(DatabaseFile);

        // The write-ahead log grows while the transaction writes: kill once it holds a few MB of rows.
        var wal = DatabaseFile + "-wal";
        var big = KilledImport.Folder(directory, "big", ("usage.csv", KilledImport.BigUsageCsv()));
        var killed = await KilledImport.KillDuringImportAsync(directory, big, ["--db", DatabaseFile], new Dictionary<string, string>(),
            () => Task.FromResult(File.Exists(wal) && new FileInfo(wal).Length >= 4 * 1024 * 1024));

        Assert.True(killed, "the import finished before it could be killed; make the file bigger");
        Assert.Equal("ok", await DatabaseChecksum.IntegrityAsync(DatabaseFile));
        Assert.Equal(before, await DatabaseChecksum.OfFileAsync(DatabaseFile));

        // Restarted: a small import and the scores work on the same file.
        var small = KilledImport.Folder(directory, "small", ("usage.csv", "account_id,event_type,timestamp\nA1,login,2026-11-01T00:00:00Z\n"));
        Assert.Equal(0, await RunInProcessAsync("import", small, "--db", DatabaseFile));
        Assert.Equal(0, await RunInProcessAsync("scores", "--as-of", "2026-11-02", "--db", DatabaseFile));
    }

    private static async Task<int> RunInProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        Assert.True(code == 0, error.ToString());
        return code;
    }
}
