using HealthDashboard.Data;
using HealthDashboard.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Cli;

/// <summary>
/// The command-line verbs of DATA.md: <c>import</c>, <c>scores</c>, <c>user-scores</c>, <c>demo</c>.
/// Each verb lives in its own class; this dispatcher parses the shared options and builds the services.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        Usage: HealthDashboard <verb> [options]
          import DIR [--db FILE]                    import a folder of CSV files (DATA.md)
          scores [--as-of TIME] [--db FILE]         account scores as CSV
          user-scores [--as-of TIME] [--db FILE]    user engagement scores as CSV
          demo [--db FILE] [--accounts N]           fill a database with the demo data set
        Without a verb the dashboard starts.
        """;

    private static readonly string[] Verbs = ["import", "scores", "user-scores", "demo"];

    /// <summary>True when the first argument is one of the verbs (otherwise the dashboard starts).</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    /// <summary>Runs a verb; returns the process exit code (0 ok, 1 refused, 2 bad arguments).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (!CliArguments.TryParse(args, out var parsed, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        builder.Logging.ClearProviders();
        builder.AddHealthDashboardCore(parsed.Database);
        using var host = builder.Build();
        var services = host.Services;
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        return parsed.Verb switch
        {
            "import" => await ImportVerb.RunAsync(services, parsed, output, error),
            "scores" => await ScoresVerb.RunAccountsAsync(services, parsed, output),
            "user-scores" => await ScoresVerb.RunUsersAsync(services, parsed, output),
            "demo" => await DemoVerb.RunAsync(services, parsed, output),
            _ => 2,
        };
    }
}

/// <summary>Parsed verb and options.</summary>
public sealed record CliArguments(string Verb, string? Directory, string? Database, DateTime? AsOf, int? Accounts)
{
    /// <summary>Parses <c>verb [DIR] [--db FILE] [--as-of TIME] [--accounts N]</c>; the options each verb accepts are checked.</summary>
    public static bool TryParse(string[] args, out CliArguments parsed, out string problem)
    {
        parsed = new CliArguments(args.Length > 0 ? args[0] : "", null, null, null, null);
        problem = "";
        var allowed = parsed.Verb switch
        {
            "import" => new[] { "--db" },
            "scores" or "user-scores" => ["--as-of", "--db"],
            "demo" => ["--db", "--accounts"],
            _ => [],
        };
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (parsed.Verb != "import" || parsed.Directory is not null)
                {
                    problem = $"Unexpected argument '{arg}'.";
                    return false;
                }

                parsed = parsed with { Directory = arg };
                continue;
            }

            if (!allowed.Contains(arg))
            {
                problem = $"'{parsed.Verb}' does not take {arg}.";
                return false;
            }

            if (i + 1 >= args.Length)
            {
                problem = $"{arg} needs a value.";
                return false;
            }

            var value = args[++i];
            switch (arg)
            {
                case "--db":
                    parsed = parsed with { Database = value };
                    break;
                case "--as-of":
                    if (!Scores.AsOfClock.TryParse(value, out var asOf))
                    {
                        problem = $"--as-of '{value}' is not an ISO 8601 time.";
                        return false;
                    }

                    parsed = parsed with { AsOf = asOf };
                    break;
                case "--accounts":
                    if (!int.TryParse(value, out var n) || n < 1 || n > 1_000_000)
                    {
                        problem = $"--accounts '{value}' must be a whole number from 1 to 1000000.";
                        return false;
                    }

                    parsed = parsed with { Accounts = n };
                    break;
            }
        }

        if (parsed.Verb == "import" && parsed.Directory is null)
        {
            problem = "import needs a folder.";
            return false;
        }

        return true;
    }
}
