using HealthDashboard.Import;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Faults;

/// <summary>
/// Another connection (as another process would) holds the database's write lock beyond the busy
/// timeout (1 s here) while an import, a model save and a re-score run: the import and the save answer "busy, try
/// again" and change nothing; the re-score only reads (snapshots are written by the background back-fill), so the
/// pages stay fresh; everything works once the lock goes.
/// </summary>
public sealed class LockedDatabaseTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Import_and_model_save_answer_busy_change_nothing_and_recover_while_rescoring_goes_on()
    {
        var board = host.Services.GetRequiredService<ScoreBoard>();
        var scored = await SettledViewAsync(board);
        var store = host.Services.GetRequiredService<ModelStore>();
        var latest = (await store.GetLatestAsync())!;
        var draft = latest.Model with { WindowDays = latest.Model.WindowDays == 30 ? 45 : 30 };
        // The snapshot worker back-fills in the background whenever the lock allows: its tables are not the point here.
        var before = await DatabaseChecksum.OfFileAsync(host.DatabaseFile, "Snapshots", "SnapshotDays");

        await using (var holder = await HoldWriteLockAsync())
        {
            var import = await ImportAsync("account_id,event_type,timestamp\nA1,login,2021-01-01T00:00:00Z\n");
            var save = await store.SaveAsync(draft, latest.Info.Version, "Tester", "Longer window while locked");
            // Re-scoring only reads (the snapshots are written by the background back-fill), so a writer does not stop it.
            var refreshed = await board.RefreshAsync(rescoreHistory: true);

            Assert.False(import.Succeeded);
            Assert.True(import.DatabaseBusy);
            Assert.Equal("database: the database is busy (another program is writing to it); nothing was imported, try again", Assert.Single(import.Problems).ToString());
            Assert.Null(save.Saved);
            Assert.StartsWith("The database is busy", save.Message, StringComparison.Ordinal);
            Assert.Same(refreshed, board.Current);
            Assert.Equal(scored.ModelVersion, refreshed.ModelVersion);
            Assert.Null(board.StaleSince);
        }

        Assert.Equal(before, await DatabaseChecksum.OfFileAsync(host.DatabaseFile, "Snapshots", "SnapshotDays"));

        // The lock is gone: the same operations succeed, and the stale note goes with the next refresh.
        Assert.True((await ImportAsync("account_id,event_type,timestamp\nA1,login,2021-01-01T00:00:00Z\n")).Succeeded);
        Assert.NotNull((await store.SaveAsync(draft, latest.Info.Version, "Tester", "Longer window after the lock")).Saved);
        await board.RefreshAsync(rescoreHistory: true);
        Assert.Null(board.StaleSince);
        Assert.Null(board.LastError);
    }

    /// <summary>The view once the app's own worker has served the start-up and seeding re-scores (unchanged for a second).</summary>
    private static async Task<PortfolioView> SettledViewAsync(ScoreBoard board)
    {
        var view = await board.GetAsync().WaitAsync(TimeSpan.FromSeconds(60));
        for (var quiet = 0; quiet < 5;)
        {
            await Task.Delay(200);
            quiet = ReferenceEquals(view, board.Current) ? quiet + 1 : 0;
            view = board.Current!;
        }

        return view;
    }

    private Task<ImportResult> ImportAsync(string usage) =>
        host.Services.GetRequiredService<FolderImporter>().ImportStreamsAsync(
            new Dictionary<string, Stream> { ["usage.csv"] = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(usage)) }, "test");

    /// <summary>A second connection in a write transaction (BEGIN IMMEDIATE); disposing it rolls back and lets go.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = host.DatabaseFile, Pooling = false }.ToString());
        await holder.OpenAsync();
        await using var begin = holder.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return holder;
    }
}
