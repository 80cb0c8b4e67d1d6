using HealthDashboard.Import;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Faults;

/// <summary>
/// Another connection (as another process would) holds the database's write lock beyond the busy
/// timeout (1 s here) while an import, a model save and a re-score run: each answers "busy, try again",
/// nothing changes, the pages keep the last scores marked stale, and everything works once the lock goes.
/// </summary>
public sealed class LockedDatabaseTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Import_model_save_and_rescoring_answer_busy_change_nothing_and_recover()
    {
        var board = host.Services.GetRequiredService<ScoreBoard>();
        var scored = await host.SettledViewAsync();
        var store = host.Services.GetRequiredService<ModelStore>();
        var latest = (await store.GetLatestAsync())!;
        var draft = latest.Model with { WindowDays = latest.Model.WindowDays == 30 ? 45 : 30 };
        // The snapshot worker back-fills in the background whenever the lock allows: its tables are not the point here.
        var before = await DatabaseChecksum.OfFileAsync(host.DatabaseFile, "Snapshots", "SnapshotDays");

        await using (var holder = await HoldWriteLockAsync())
        {
            var import = await ImportAsync("account_id,event_type,timestamp\nA1,login,2021-01-01T00:00:00Z\n");
            var save = await store.SaveAsync(draft, latest.Info.Version, "Tester", "Longer window while locked");
            // Someone waits for a version the board has not scored yet (as the editor does after a save).
            var waiting = board.WhenScoredWithModelAsync(latest.Info.Version + 100);
            var refresh = await Record.ExceptionAsync(() => board.RefreshAsync(rescoreHistory: true));
            var waitFailure = await Record.ExceptionAsync(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));

            Assert.False(import.Succeeded);
            Assert.True(import.DatabaseBusy);
            Assert.Equal("database: the database is busy (another program is writing to it); nothing was imported, try again", Assert.Single(import.Problems).ToString());
            Assert.Null(save.Saved);
            Assert.StartsWith("The database is busy", save.Message, StringComparison.Ordinal);
            Assert.NotNull(refresh);
            Assert.Contains("busy", Assert.IsType<InvalidOperationException>(waitFailure).Message, StringComparison.Ordinal);
            Assert.Same(scored, board.Current);
            Assert.NotNull(board.StaleSince);
            Assert.Contains("busy", board.LastError, StringComparison.Ordinal);
        }

        Assert.Equal(before, await DatabaseChecksum.OfFileAsync(host.DatabaseFile, "Snapshots", "SnapshotDays"));

        // The lock is gone: the same operations succeed, and the stale note goes with the next refresh.
        Assert.True((await ImportAsync("account_id,event_type,timestamp\nA1,login,2021-01-01T00:00:00Z\n")).Succeeded);
        Assert.NotNull((await store.SaveAsync(draft, latest.Info.Version, "Tester", "Longer window after the lock")).Saved);
        await board.RefreshAsync(rescoreHistory: true);
        Assert.Null(board.StaleSince);
        Assert.Null(board.LastError);
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
