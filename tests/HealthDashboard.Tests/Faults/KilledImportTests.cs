using System.Diagnostics;
using System.Text;
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
        var seed = Folder("seed", ("event_types.csv", "key\nlogin\n"), ("accounts.csv", "id,name,created_at\nA1,First,2025-01-01\n"));
        Assert.Equal(0, await RunInProcessAsync("import", seed, "--db", DatabaseFile));
        var before = await DatabaseChecksum.OfFileAsync(DatabaseFile);

        // Big enough that the import is still writing when it is killed.
        var usage = new StringBuilder("account_id,event_type,timestamp\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 3_000_000; i++)
        {
            usage.Append("A1,login,").Append(start.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        var big = Folder("big", ("usage.csv", usage.ToString()));
        var killed = await KillDuringImportAsync(big);

        Assert.True(killed, "the import finished before it could be killed; make the file bigger");
        Assert.Equal("ok", await DatabaseChecksum.IntegrityAsync(DatabaseFile));
        Assert.Equal(before, await DatabaseChecksum.OfFileAsync(DatabaseFile));

        // Restarted: a small import and the scores work on the same file.
        var small = Folder("small", ("usage.csv", "account_id,event_type,timestamp\nA1,login,2026-11-01T00:00:00Z\n"));
        Assert.Equal(0, await RunInProcessAsync("import", small, "--db", DatabaseFile));
        Assert.Equal(0, await RunInProcessAsync("scores", "--as-of", "2026-11-02", "--db", DatabaseFile));
    }

    /// <summary>Starts the app's import verb as its own process and kills it once it has written for a while.</summary>
    private async Task<bool> KillDuringImportAsync(string folder)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "HealthDashboard.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var arg in new[] { app, "import", folder, "--db", DatabaseFile })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var wal = DatabaseFile + "-wal";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // The write-ahead log grows while the transaction writes: kill once it holds a few MB of rows.
        while (!process.HasExited && DateTime.UtcNow < deadline && (!File.Exists(wal) || new FileInfo(wal).Length < 4 * 1024 * 1024))
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
        var folder = Path.Combine(directory, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), content);
        }

        return folder;
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
