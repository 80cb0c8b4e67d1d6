using HealthDashboard.Data;
using HealthDashboard.Cli;
using HealthDashboard.Scores;

namespace HealthDashboard.Tests.Cli;

/// <summary>
/// <c>history</c> against <c>scores --as-of DAY</c> on <see cref="TestPortfolio"/>: each day's rows are that day's
/// score lines with the day in front and the model version behind, whether the day was back-filled or not.
/// </summary>
public abstract class HistoryVerbTests(DatabaseProvider engine) : IAsyncLifetime
{
    private static readonly DateTime LastDay = TestPortfolio.AsOf.Date;
    private TestStore store = null!;

    public async Task InitializeAsync() =>
        store = await TestStore.CreateWithAsync(engine, TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf);

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Every_row_equals_what_scores_prints_for_that_day_back_filled_or_not()
    {
        // Back-fill only up to 10 days ago: the later days are scored from the data by the verb.
        await store.Get<SnapshotStore>().BackfillAsync(LastDay.AddDays(-10));

        var from = LastDay.AddDays(-24);
        var (code, output, error) = await RunAsync("history", "--from", $"{from:yyyy-MM-dd}", "--to", $"{LastDay:yyyy-MM-dd}");

        Assert.Equal((0, ""), (code, error));
        var lines = Lines(output);
        Assert.Equal(string.Join(',', ScoresExport.HistoryHeader), lines[0]);
        Assert.Equal("day,account_id,health,grade,band,engagement,breadth,depth,frequency,recency,support,sentiment,growth,model_version", lines[0]);
        var expected = new List<string>();
        for (var day = from; day <= LastDay; day = day.AddDays(1))
        {
            var (scoresCode, scores, _) = await RunAsync("scores", "--as-of", $"{day:yyyy-MM-dd}");
            Assert.Equal(0, scoresCode);
            // scores carries an override column last (empty here: no override); history has the model version instead.
            Assert.EndsWith(",override", Lines(scores)[0], StringComparison.Ordinal);
            expected.AddRange(Lines(scores).Skip(1).Select(line => $"{day:yyyy-MM-dd},{line[..line.LastIndexOf(',')]},1"));
        }

        Assert.Equal(expected, lines.Skip(1));
        Assert.Contains(lines, l => l.StartsWith($"{LastDay.AddDays(-6):yyyy-MM-dd},ACC-6,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith($"{LastDay.AddDays(-4):yyyy-MM-dd},ACC-6,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_account_over_the_default_range_ends_today()
    {
        var today = AsOfClock.Truncate(DateTime.UtcNow).Date;

        var (code, output, _) = await RunAsync("history", "--account", "ACC-1");

        Assert.Equal(0, code);
        var days = Lines(output).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(days, d => Assert.Equal("ACC-1", d[1]));
        Assert.Equal(HistoryVerb.DefaultDays, days.Count);
        Assert.Equal($"{today:yyyy-MM-dd}", days[^1][0]);
        Assert.Equal($"{today.AddDays(1 - HistoryVerb.DefaultDays):yyyy-MM-dd}", days[0][0]);
    }

    [Theory]
    [InlineData(2, "--from (2026-06-10) is after --to (2026-06-01).", "--from", "2026-06-10", "--to", "2026-06-01")]
    [InlineData(2, "--from 'yesterday' is not an ISO 8601 time.", "--from", "yesterday")]
    [InlineData(1, "history: no account 'ACC-404' in the database.", "--account", "ACC-404")]
    public async Task Bad_ranges_and_unknown_accounts_are_refused_with_what_is_wrong(int expectedCode, string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync(["history", .. args]);

        Assert.Equal(expectedCode, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. store.CliArguments], output, error, null, store.CliConfiguration);
        return (code, output.ToString(), error.ToString());
    }
}

public sealed class HistoryVerbSqliteTests() : HistoryVerbTests(DatabaseProvider.Sqlite);

public sealed class HistoryVerbPostgresTests() : HistoryVerbTests(DatabaseProvider.Postgres);
