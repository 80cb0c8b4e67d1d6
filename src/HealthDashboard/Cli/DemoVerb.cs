using System.Globalization;
using HealthDashboard.Data;
using HealthDashboard.Demo;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Cli;

/// <summary><c>demo</c>: see DATA.md. Fills an empty database with the demo data set and prints one line.</summary>
internal static class DemoVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<HealthDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var existing = await db.Accounts.CountAsync();
            if (existing > 0)
            {
                await output.WriteLineAsync($"demo: the database already holds {existing} accounts; the demo data set goes only into an empty database.");
                return 1;
            }
        }

        var generator = services.GetRequiredService<DemoDataGenerator>();
        var summary = await generator.GenerateAsync(new DemoOptions { Accounts = args.Accounts ?? new DemoOptions().Accounts });

        // The bands at the data's end show at once what the data set looks like.
        var scores = (await services.GetRequiredService<ScoringService>().ScoreAtAsync(summary.Now)).Scores;
        var n = Math.Max(1, scores.AccountCount);
        var bands = string.Join(", ", Enum.GetValues<Band>().Select(band =>
            string.Create(CultureInfo.InvariantCulture, $"{100.0 * Enumerable.Range(0, scores.AccountCount).Count(a => scores.BandOf(a) == band) / n:0}% {band.ToKey()}")));
        await output.WriteLineAsync($"{summary} Scored now: {bands}.");
        foreach (var line in await DemoTeam.EnsureAsync(services.GetRequiredService<TeamService>()))
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }
}
