namespace HealthDashboard.Cli;

/// <summary><c>import DIR</c>: see DATA.md.</summary>
internal static class ImportVerb
{
    public static Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        error.WriteLine("import: not implemented yet.");
        return Task.FromResult(1);
    }
}
