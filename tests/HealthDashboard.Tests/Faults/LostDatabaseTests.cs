using HealthDashboard.Scores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Faults;

/// <summary>
/// The database goes away under the running app (its file moved aside, so new connections meet an empty file
/// without tables) and a refresh is due: the pages keep the last scores marked "stale since", the app's own
/// worker keeps retrying with back-off, and once the file is back the next retry brings fresh scores without
/// anyone asking.
/// </summary>
public sealed class LostDatabaseTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly string[] Sidecars = ["", "-wal", "-shm"];

    [Fact]
    public async Task A_refresh_that_loses_the_database_keeps_the_last_scores_stale_and_recovers_by_itself()
    {
        var board = host.Services.GetRequiredService<ScoreBoard>();
        // The scores once the start-up and seeding re-scores are served and the snapshot back-fill has finished: one
        // still running would write its last days after the file is back and republish the same scores with their
        // history, which is not the retry this test waits for.
        var scored = (await host.SettledViewAsync()).Scored;

        MoveDatabase(host.DatabaseFile, host.DatabaseFile + ".away");
        try
        {
            host.Services.GetRequiredService<RescoreTrigger>().Request();
            await Poll.UntilAsync(() => board.StaleSince is not null, "the scores to be marked stale");
            Assert.Same(scored, board.Current!.Scored);
            Assert.NotNull(board.LastError);
        }
        finally
        {
            foreach (var suffix in Sidecars)
            {
                File.Delete(host.DatabaseFile + suffix);
            }

            MoveDatabase(host.DatabaseFile + ".away", host.DatabaseFile);
        }

        // Nobody asks again: the worker's retry finds the database back.
        await Poll.UntilAsync(() => board.StaleSince is null, "the worker's retry to refresh the scores", TimeSpan.FromSeconds(90));
        Assert.Null(board.LastError);
        Assert.NotSame(scored, board.Current!.Scored);
        Assert.Equal(scored.Scores.Health, board.Current.Scored.Scores.Health);
    }

    /// <summary>Moves the file with its WAL sidecars, after closing the pooled connections (which would keep the old file).</summary>
    private static void MoveDatabase(string from, string to)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in Sidecars.Where(s => File.Exists(from + s)))
        {
            File.Move(from + suffix, to + suffix, overwrite: true);
        }
    }
}
