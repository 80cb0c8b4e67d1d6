using HealthDashboard.Import;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>import DIR</c>: see DATA.md. Exit 0 with the one-line summary on standard output (warnings on
/// standard error); exit 1 with the problems, one per line, on standard error.
/// </summary>
internal static class ImportVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var importer = services.GetRequiredService<FolderImporter>();
        var result = await importer.ImportFolderAsync(Path.GetFullPath(args.Directory!), "cli", Identity.Actor.CommandLine);
        foreach (var warning in result.Warnings)
        {
            error.WriteLine($"warning: {ImportLog.Escape(warning)}");
        }

        if (result.WarningCount > result.Warnings.Count)
        {
            error.WriteLine($"warning: ... and {result.WarningCount - result.Warnings.Count} more warnings ({result.WarningCount} in all).");
        }

        if (result.Succeeded)
        {
            output.WriteLine(result.Summary);
            return 0;
        }

        if (result.DatabaseBusy)
        {
            error.WriteLine($"Import refused: {result.Problems[0].Message}.");
            return 1;
        }

        foreach (var problem in result.Problems)
        {
            error.WriteLine(problem);
        }

        if (result.ProblemCount > result.Problems.Count)
        {
            error.WriteLine($"... and {result.ProblemCount - result.Problems.Count} more problems ({result.ProblemCount} in all).");
        }

        error.WriteLine($"Import refused: nothing was imported ({result.ProblemCount} problem{(result.ProblemCount == 1 ? "" : "s")}).");
        return 1;
    }
}
