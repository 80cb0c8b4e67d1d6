namespace HealthDashboard.Cli;

/// <summary><c>demo</c>: see DATA.md.</summary>
internal static class DemoVerb
{
    public static Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output) => Task.FromResult(1);
}
