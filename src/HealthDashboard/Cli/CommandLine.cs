namespace HealthDashboard.Cli;

/// <summary>The command-line verbs of DATA.md (import, scores, user-scores, demo).</summary>
public static class CommandLine
{
    private static readonly string[] Verbs = ["import", "scores", "user-scores", "demo"];

    /// <summary>True when the first argument is one of the verbs (otherwise the dashboard starts).</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    /// <summary>Runs a verb; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        error.WriteLine($"'{args[0]}' is not implemented yet.");
        return Task.FromResult(2);
    }
}
