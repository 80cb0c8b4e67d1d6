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
          users add EMAIL --role Admin|CSManager|ProductManager [--name NAME] [--db FILE]
                                                    add a member (password from standard input when piped,
                                                    otherwise generated and printed once)
          users list [--db FILE]                    the members, their roles and status
          api-keys add NAME --scope read|ingest [--db FILE]   create an API key (printed once)
          api-keys list [--db FILE]                 the keys: name, scope, created, last used (never the key)
          api-keys revoke NAME [--db FILE]          revoke a key at once
        Without a verb the dashboard starts.
        """;

    private static readonly string[] Verbs = ["import", "scores", "user-scores", "demo", "users", "api-keys"];

    /// <summary>True when the first argument is one of the verbs (otherwise the dashboard starts).</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    /// <summary>Runs a verb; returns the process exit code (0 ok, 1 refused, 2 bad arguments).</summary>
    /// <param name="input">Standard input when it is piped (a password for <c>users add</c>), else null.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader? input = null)
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
            "users" => await UsersVerb.RunAsync(services, parsed, output, error, input),
            "api-keys" => await ApiKeysVerb.RunAsync(services, parsed, output, error),
            _ => 2,
        };
    }
}

/// <summary>Parsed verb and options.</summary>
public sealed record CliArguments(string Verb, string? Directory, string? Database, DateTime? AsOf, int? Accounts)
{
    /// <summary>The second word of <c>users</c> and <c>api-keys</c>: add, list or revoke.</summary>
    public string? Action { get; init; }

    /// <summary>The email (<c>users add</c>) or key name (<c>api-keys add|revoke</c>).</summary>
    public string? Subject { get; init; }

    public string? Role { get; init; }
    public string? Name { get; init; }
    public string? Scope { get; init; }

    // The actions of the verbs that have them, and whether each takes an EMAIL or NAME.
    private static readonly Dictionary<string, Dictionary<string, bool>> Actions = new(StringComparer.Ordinal)
    {
        ["users"] = new(StringComparer.Ordinal) { ["add"] = true, ["list"] = false },
        ["api-keys"] = new(StringComparer.Ordinal) { ["add"] = true, ["list"] = false, ["revoke"] = true },
    };

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
            "users" when args.Length > 1 && args[1] == "add" => ["--db", "--role", "--name"],
            "api-keys" when args.Length > 1 && args[1] == "add" => ["--db", "--scope"],
            "users" or "api-keys" => ["--db"],
            _ => [],
        };
        var first = 1;
        if (Actions.TryGetValue(parsed.Verb, out var actions))
        {
            if (args.Length < 2 || !actions.ContainsKey(args[1]))
            {
                problem = $"{parsed.Verb} needs one of: {string.Join(", ", actions.Keys)}.";
                return false;
            }

            parsed = parsed with { Action = args[1] };
            first = 2;
        }

        for (var i = first; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (parsed.Action is { } action && actions![action] && parsed.Subject is null)
                {
                    parsed = parsed with { Subject = arg };
                    continue;
                }

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
                    if (!Import.ImportValues.TryParseTime(value, out var asOf))
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
                case "--role":
                    if (Identity.Roles.Parse(value) is not { } role)
                    {
                        problem = $"--role '{value}' is not one of {string.Join(", ", Identity.Roles.All)}.";
                        return false;
                    }

                    parsed = parsed with { Role = role };
                    break;
                case "--scope":
                    if (Identity.ApiKeyScopes.Parse(value) is not { } scope)
                    {
                        problem = $"--scope '{value}' is not read or ingest.";
                        return false;
                    }

                    parsed = parsed with { Scope = scope };
                    break;
                case "--name":
                    parsed = parsed with { Name = value };
                    break;
            }
        }

        if (parsed.Verb == "import" && parsed.Directory is null)
        {
            problem = "import needs a folder.";
            return false;
        }

        if (parsed.Action is { } needs && actions![needs] && parsed.Subject is null)
        {
            problem = $"{parsed.Verb} {needs} needs {(parsed.Verb == "users" ? "an EMAIL" : "a NAME")}.";
            return false;
        }

        if (parsed is { Verb: "users", Action: "add", Role: null })
        {
            problem = "users add needs --role Admin|CSManager|ProductManager.";
            return false;
        }

        if (parsed is { Verb: "api-keys", Action: "add", Scope: null })
        {
            problem = "api-keys add needs --scope read|ingest.";
            return false;
        }

        return true;
    }
}
