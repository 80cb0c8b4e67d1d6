using HealthDashboard.Cli;

namespace HealthDashboard.Tests.Cli;

/// <summary><c>users</c> and <c>api-keys</c> verbs (DATA.md) against a temporary database.</summary>
public class TeamVerbsTests
{
    [Theory]
    [InlineData("users needs one of: add, list", "users")]
    [InlineData("users add needs an EMAIL", "users", "add", "--role", "Admin")]
    [InlineData("users add needs --role", "users", "add", "ana@example.com")]
    [InlineData("--role 'boss' is not one of", "users", "add", "ana@example.com", "--role", "boss")]
    [InlineData("api-keys add needs --scope", "api-keys", "add", "crm")]
    [InlineData("--scope 'write' is not read or ingest", "api-keys", "add", "crm", "--scope", "write")]
    [InlineData("api-keys revoke needs a NAME", "api-keys", "revoke")]
    [InlineData("does not take --scope", "api-keys", "list", "--scope", "read")]
    public async Task Bad_arguments_exit_2_with_the_problem(string problem, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await CommandLine.RunAsync(args, output, error));
        Assert.Contains(problem, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_add_reads_a_piped_password_or_prints_a_generated_one_and_list_shows_them()
    {
        await using var db = await TestStore.CreateAsync();
        using var piped = new StringReader("a-long-password-42\n");
        var (code, output, _) = await RunAsync(["users", "add", "ana@example.com", "--role", "Admin", "--name", "Ana Lima", "--db", db.DatabaseFile], piped);
        Assert.Equal(0, code);
        Assert.DoesNotContain("Password", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(["users", "add", "ben@example.com", "--role", "ProductManager", "--db", db.DatabaseFile]);
        Assert.Equal(0, code);
        Assert.Matches("Password \\(shown once\\): \\S{12,}", output);

        (code, output, _) = await RunAsync(["users", "add", "ben@example.com", "--role", "Admin", "--db", db.DatabaseFile]);
        Assert.Equal(1, code);

        (_, output, _) = await RunAsync(["users", "list", "--db", db.DatabaseFile]);
        var lines = output.Trim().Split('\n').Select(l => l.Trim()).ToList();
        Assert.Equal("email,name,role,status,created,last_sign_in", lines[0]);
        Assert.StartsWith("ana@example.com,Ana Lima,Admin,active,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("ben@example.com,Ben,ProductManager,active,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_keys_add_prints_the_key_once_list_never_shows_it_and_revoke_takes_it_away()
    {
        await using var db = await TestStore.CreateAsync();
        var (code, output, _) = await RunAsync(["api-keys", "add", "crm", "--scope", "ingest", "--db", db.DatabaseFile]);
        Assert.Equal(0, code);
        var key = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("hd_", StringComparison.Ordinal));

        (_, output, _) = await RunAsync(["api-keys", "list", "--db", db.DatabaseFile]);
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);
        Assert.Matches("crm,ingest,hd_\\S{6},\\S+Z,cli,,", output);

        Assert.Equal(0, (await RunAsync(["api-keys", "revoke", "crm", "--db", db.DatabaseFile])).Code);
        Assert.Equal(1, (await RunAsync(["api-keys", "revoke", "crm", "--db", db.DatabaseFile])).Code);
        (_, output, _) = await RunAsync(["api-keys", "list", "--db", db.DatabaseFile]);
        Assert.Matches("crm,ingest,hd_\\S{6},\\S+Z,cli,,\\S+Z", output);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, TextReader? input = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error, input);
        return (code, output.ToString(), error.ToString());
    }
}
