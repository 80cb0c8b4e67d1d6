namespace HealthDashboard.Cli;

/// <summary><c>scores</c> and <c>user-scores</c>: see DATA.md.</summary>
internal static class ScoresVerb
{
    public static Task<int> RunAccountsAsync(IServiceProvider services, CliArguments args, TextWriter output) => Task.FromResult(1);

    public static Task<int> RunUsersAsync(IServiceProvider services, CliArguments args, TextWriter output) => Task.FromResult(1);
}
