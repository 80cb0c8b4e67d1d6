using System.Text;
using HealthDashboard.Cli;
using HealthDashboard.Tests.Import;
using Microsoft.Data.Sqlite;

namespace HealthDashboard.Tests.Cli;

public sealed class ImportVerbTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "hd-cli-" + Guid.NewGuid().ToString("N"));

    public ImportVerbTests() => Directory.CreateDirectory(this.directory);

    private string DatabaseFile => Path.Combine(this.directory, "cli.db");

    private string Folder(string name, params (string Name, string Content)[] files)
    {
        var folder = Path.Combine(this.directory, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, file), content);
        }

        return folder;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private long CountRows(string table)
    {
        using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_good_folder_exits_0_with_the_summary_on_standard_output()
    {
        var folder = Folder("good", ImportData.All);

        var (exit, output, error) = await RunAsync("import", folder, "--db", DatabaseFile);

        Assert.Equal(0, exit);
        Assert.Equal(ImportData.AllSummary + Environment.NewLine, output);
        Assert.Equal("", error);
        Assert.Equal(4, CountRows("Usage"));
    }

    [Fact]
    public async Task Warnings_go_to_standard_error_and_do_not_fail_the_import()
    {
        var folder = Folder("warn", ("accounts.csv", "id,name,colour\nA1,Acme,red\n"));

        var (exit, output, error) = await RunAsync("import", folder, "--db", DatabaseFile);

        Assert.Equal(0, exit);
        Assert.Equal("imported accounts.csv 1" + Environment.NewLine, output);
        Assert.Equal("warning: accounts.csv: column 'colour' is not a column of accounts.csv and was ignored." + Environment.NewLine, error);
    }

    [Fact]
    public async Task A_refused_import_exits_1_with_one_problem_per_line_on_standard_error()
    {
        var folder = Folder("bad",
            ("accounts.csv", "id,name\nA1,Acme\n"),
            ("usage.csv", "account_id,event_type,timestamp,count\nA1,login,2026-11-01,1\nA2,login,yesterday,0\n"));

        var (exit, output, error) = await RunAsync("import", folder, "--db", DatabaseFile);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal(
        [
            "usage.csv:2: event_type: unknown event type 'login': neither the database nor event_types.csv defines it",
            "usage.csv:3: account_id: unknown account 'A2': neither the database nor accounts.csv defines it",
            "usage.csv:3: event_type: unknown event type 'login': neither the database nor event_types.csv defines it",
            "usage.csv:3: timestamp: 'yesterday' is not an ISO 8601 time or date",
            "usage.csv:3: count: '0' is out of range (1 to 1,000,000)",
            "Import refused: nothing was imported (5 problems).",
        ], error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, CountRows("Accounts"));
    }

    [Fact]
    public async Task Past_100_problems_the_rest_are_counted()
    {
        var usage = new StringBuilder("account_id,event_type,timestamp\n");
        for (var i = 0; i < 130; i++)
        {
            usage.Append("A404,login,2026-11-01\n");
        }

        var folder = Folder("many", ("event_types.csv", "key\nlogin\n"), ("usage.csv", usage.ToString()));

        var (exit, _, error) = await RunAsync("import", folder, "--db", DatabaseFile);

        Assert.Equal(1, exit);
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(102, lines.Length);
        Assert.StartsWith("usage.csv:101: account_id:", lines[99]);
        Assert.Equal("... and 30 more problems (130 in all).", lines[100]);
        Assert.Equal("Import refused: nothing was imported (130 problems).", lines[101]);
    }

    [Fact]
    public async Task A_missing_folder_exits_1()
    {
        var (exit, _, error) = await RunAsync("import", Path.Combine(this.directory, "nowhere"), "--db", DatabaseFile);

        Assert.Equal(1, exit);
        Assert.StartsWith($"{Path.Combine(this.directory, "nowhere")}: the folder does not exist", error);
    }

    [Fact]
    public async Task Import_without_a_folder_is_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("import", "--db", DatabaseFile);

        Assert.Equal(2, exit);
        Assert.StartsWith("import needs a folder.", error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(this.directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
