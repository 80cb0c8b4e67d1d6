using System.Diagnostics;
using System.Text;

namespace HealthDashboard.Tests.Faults;

/// <summary>
/// What the killed-import tests of both engines share: a usage file big enough to be killed in the middle of, the
/// import folders, and the import verb run as a process of its own that is killed (SIGKILL) once it has written for a while.
/// </summary>
internal static class KilledImport
{
    /// <summary>Three million usage rows of account A1, one a second from 2026-01-01: the import is still writing when killed.</summary>
    public static string BigUsageCsv()
    {
        var usage = new StringBuilder("account_id,event_type,timestamp\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 3_000_000; i++)
        {
            usage.Append("A1,login,").Append(start.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return usage.ToString();
    }

    /// <summary>Writes <paramref name="files"/> into a new folder <paramref name="name"/> of <paramref name="parent"/> and returns its path.</summary>
    public static string Folder(string parent, string name, params (string Name, string Content)[] files)
    {
        var folder = Path.Combine(parent, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), content);
        }

        return folder;
    }

    /// <summary>
    /// Starts the app's import verb on <paramref name="folder"/> as its own process and kills it once <paramref name="hasWritten"/>
    /// says it has written enough (polled); false when the import ended first, or after a minute.
    /// </summary>
    public static async Task<bool> KillDuringImportAsync(
        string workingDirectory, string folder, IEnumerable<string> extraArguments, IReadOnlyDictionary<string, string> environment, Func<Task<bool>> hasWritten)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "HealthDashboard.dll"), "import", folder }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!process.HasExited && DateTime.UtcNow < deadline && !await hasWritten())
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
}
