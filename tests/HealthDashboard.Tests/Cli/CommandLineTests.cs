using HealthDashboard.Cli;

namespace HealthDashboard.Tests.Cli;

public class CommandLineTests
{
    [Theory]
    [InlineData("--as-of 'yesterday' is not an ISO 8601 time", "scores", "--as-of", "yesterday")]
    [InlineData("does not take --accounts", "user-scores", "--accounts", "5")]
    [InlineData("does not take --as-of", "demo", "--as-of", "2026-01-01")]
    [InlineData("must be a whole number", "demo", "--accounts", "0")]
    [InlineData("must be a whole number", "demo", "--accounts", "many")]
    [InlineData("needs a value", "scores", "--db")]
    [InlineData("Unexpected argument 'extra'", "scores", "extra")]
    public async Task Bad_arguments_print_the_problem_and_usage_and_exit_2(string problem, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CommandLine.RunAsync(args, output, error);

        Assert.Equal(2, code);
        Assert.Equal("", output.ToString());
        Assert.Contains(problem, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(CommandLine.Usage, error.ToString(), StringComparison.Ordinal);
    }
}
