using HealthDashboard.Scores;

namespace HealthDashboard.Cli;

/// <summary><c>scores</c> and <c>user-scores</c>: see DATA.md. The CSV itself is <see cref="ScoresExport"/>'s.</summary>
internal static class ScoresVerb
{
    public static async Task<int> RunAccountsAsync(IServiceProvider services, CliArguments args, TextWriter output)
    {
        var portfolio = await ScoreAsync(services, args);
        await ScoresExport.WriteAccountsAsync(portfolio, output);
        return 0;
    }

    public static async Task<int> RunUsersAsync(IServiceProvider services, CliArguments args, TextWriter output)
    {
        var portfolio = await ScoreAsync(services, args);
        await ScoresExport.WriteUsersAsync(portfolio, output);
        return 0;
    }

    /// <summary>Scores at <c>--as-of</c>, or the as-of clock's now (the configured pin, like the dashboard), under the newest saved model.</summary>
    private static Task<ScoredPortfolio> ScoreAsync(IServiceProvider services, CliArguments args)
    {
        var asOf = services.GetRequiredService<AsOfClock>().Resolve(args.AsOf);
        return services.GetRequiredService<ScoringService>().ScoreAtAsync(asOf);
    }
}
