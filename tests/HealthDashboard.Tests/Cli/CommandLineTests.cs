using HealthDashboard.Cli;

namespace HealthDashboard.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "hd-cmd-" + Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("--as-of 'yesterday' is not an ISO 8601 time", "scores", "--as-of", "yesterday")]
    [InlineData("--as-of '0001-01-01' is out of range (from 1900-01-01", "scores", "--as-of", "0001-01-01")]
    [InlineData("--as-of '9999-12-31T23:59:59Z' is out of range", "user-scores", "--as-of", "9999-12-31T23:59:59Z")]
    [InlineData("does not take --accounts", "user-scores", "--accounts", "5")]
    [InlineData("does not take --as-of", "demo", "--as-of", "2026-01-01")]
    [InlineData("'scores' does not take --asof", "scores", "--asof", "2026-01-01")]
    [InlineData("must be a whole number", "demo", "--accounts", "0")]
    [InlineData("must be a whole number", "demo", "--accounts", "many")]
    [InlineData("must be a whole number", "demo", "--accounts", "+5")]
    [InlineData("needs a value", "scores", "--db")]
    [InlineData("Unexpected argument 'extra'", "scores", "extra")]
    [InlineData("Unknown verb 'histroy'; did you mean 'history'?", "histroy")]
    [InlineData("Unknown verb 'trends'.", "trends")]
    [InlineData("Unknown verb 'scroes'; did you mean 'scores'?", "scroes", "--db", "x.db")]
    [InlineData("Unknown verb 'imprt'; did you mean 'import'?", "imprt", "folder")]
    [InlineData("import needs a folder", "import")]
    public async Task Bad_arguments_print_the_problem_and_usage_and_exit_2(string problem, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Contains(CommandLine.Usage, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_db_that_is_a_folder_or_in_a_missing_folder_is_a_bad_argument()
    {
        var (folderCode, _, folderError) = await RunAsync("scores", "--db", directory);
        var missing = Path.Combine(directory, "no-such-folder", "health.db");
        var (missingCode, _, missingError) = await RunAsync("scores", "--db", missing);

        Assert.Equal(2, folderCode);
        Assert.StartsWith($"--db '{directory}' is a folder, not a database file.", folderError, StringComparison.Ordinal);
        Assert.Equal(2, missingCode);
        Assert.StartsWith($"--db '{missing}': the folder '{Path.GetDirectoryName(missing)}' does not exist.", missingError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Fact]
    public async Task A_db_that_is_not_a_database_exits_1_with_one_line_and_is_left_alone()
    {
        var file = Path.Combine(directory, "notes.txt");
        var content = string.Concat(Enumerable.Repeat("These are not the tables you are looking for.\n", 200));
        await File.WriteAllTextAsync(file, content);

        var (code, output, error) = await RunAsync("scores", "--db", file);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"scores: cannot use the database '{file}': SQLite Error 26: 'file is not a database'.", error.TrimEnd());
        Assert.Equal(content, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_connection_string_given_as_db_names_a_file_and_adds_no_options()
    {
        var pasted = Path.Combine(directory, "Data Source=evil.db;Mode=Memory");

        var (code, _, error) = await RunAsync("scores", "--db", pasted);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(pasted), "the database went into the file named by --db");
        Assert.False(File.Exists(Path.Combine(directory, "evil.db")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(true, "--urls", "http://127.0.0.1:5055")]
    [InlineData(true, "--urls=http://127.0.0.1:5055", "--contentRoot", "/tmp")]
    [InlineData(true, "--environment", "Development", "--Scoring:AsOf=2026-11-01")]
    [InlineData(false, "histroy")]
    [InlineData(false, "scores", "--asof", "2026-01-01")]
    [InlineData(false, "--urls", "http://127.0.0.1:5055", "scores")]
    [InlineData(false, "--verbose")]
    [InlineData(false, "import", "folder")]
    public void Only_no_arguments_or_host_options_start_the_dashboard(bool starts, params string[] args) =>
        Assert.Equal(starts, CommandLine.StartsDashboard(args));

    [Fact]
    public void The_usage_lists_every_verb_of_the_table() =>
        Assert.All(CommandLine.Verbs, verb => Assert.Contains($"  {verb.Name} {verb.Synopsis}", CommandLine.Usage, StringComparison.Ordinal));

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
