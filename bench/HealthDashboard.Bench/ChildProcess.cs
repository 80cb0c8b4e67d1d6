using System.Diagnostics;
using System.Reflection;

namespace HealthDashboard.Bench;

/// <summary>Runs this bench again as a child process with other arguments and collects the figures it prints.</summary>
public static class ChildProcess
{
    /// <summary>Runs the child; its figure lines are returned, any other output goes to <paramref name="log"/>.</summary>
    public static async Task<IReadOnlyList<Figure>> RunAsync(IEnumerable<string> arguments, TextWriter log)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as `dotnet HealthDashboard.Bench.dll`: the child needs the assembly too.
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        var figures = new List<Figure>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (Figure.TryParseWireLine(line, out var figure))
            {
                figures.Add(figure);
            }
            else
            {
                log.WriteLine(line);
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The child `{string.Join(' ', start.ArgumentList)}` exited with {process.ExitCode}.");
        }

        return figures;
    }
}
