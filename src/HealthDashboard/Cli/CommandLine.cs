using System.Globalization;
using HealthDashboard.Data;
using HealthDashboard.Extensions;
using Microsoft.Data.Sqlite;

namespace HealthDashboard.Cli;

/// <summary>One command-line verb: its name, its synopsis line, the options it takes, and what it runs.</summary>
/// <param name="Name">The verb, e.g. <c>scores</c>.</param>
/// <param name="Synopsis">Arguments shown in the usage, e.g. <c>[--as-of TIME] [--db FILE]</c>.</param>
/// <param name="Description">What it does, for the usage.</param>
/// <param name="Options">The <c>--options</c> it accepts (each takes a value; see <see cref="CliArguments"/>).</param>
/// <param name="Folder">True when it takes one folder argument (required).</param>
/// <param name="RunAsync">Runs it on the built services; returns the exit code.</param>
/// <param name="Actions">The second words it takes (<c>users add|list</c>), each with whether it needs a subject (an EMAIL or NAME); null: none.</param>
/// <param name="Subject">The name of the one positional argument it needs (<c>override ACCOUNT_ID</c>), null: none.</param>
public sealed record CliVerb(
    string Name, string Synopsis, string Description, IReadOnlyList<string> Options, bool Folder,
    Func<IServiceProvider, CliArguments, TextWriter, TextWriter, Task<int>> RunAsync,
    IReadOnlyDictionary<string, bool>? Actions = null, string? Subject = null);

/// <summary>
/// The command-line verbs of DATA.md: <c>import</c>, <c>scores</c>, <c>user-scores</c>, <c>demo</c>, <c>users</c>, <c>api-keys</c>,
/// <c>model</c>, <c>override</c>, <c>history</c>, <c>backtest</c>, <c>suggest-weights</c>, <c>verify</c>.
/// Each verb lives in its own class and has one row in <see cref="Verbs"/> (a new verb is a new row);
/// this dispatcher parses the shared options, builds the services and turns every failure into one
/// line and an exit code: 0 done, 1 refused or failed, 2 bad arguments (with the usage).
/// </summary>
public static class CommandLine
{
    /// <summary>The verbs, in the order the usage lists them.</summary>
    public static IReadOnlyList<CliVerb> Verbs { get; } =
    [
        new("import", "DIR [--db FILE]", "import a folder of CSV files (DATA.md)", ["--db"], true,
            ImportVerb.RunAsync),
        new("scores", "[--as-of TIME] [--db FILE]", "account scores as CSV", ["--as-of", "--db"], false,
            (services, args, output, _) => ScoresVerb.RunAccountsAsync(services, args, output)),
        new("user-scores", "[--as-of TIME] [--db FILE]", "user engagement scores as CSV", ["--as-of", "--db"], false,
            (services, args, output, _) => ScoresVerb.RunUsersAsync(services, args, output)),
        new("history", "[--from DATE] [--to DATE] [--account ID] [--db FILE]",
            $"daily snapshots as CSV (default: the {HistoryVerb.DefaultDays} days up to today, every account)",
            ["--from", "--to", "--account", "--db"], false, HistoryVerb.RunAsync),
        new("demo", "[--db FILE] [--accounts N]", "fill a database with the demo data set", ["--db", "--accounts"], false,
            (services, args, output, _) => DemoVerb.RunAsync(services, args, output)),
        new("users", "add EMAIL --role Admin|CSManager|ProductManager [--name NAME] | list  [--db FILE]",
            "add a member (password from standard input when piped, else generated and printed once), or list the team",
            ["--db", "--role", "--name"], false, UsersVerb.RunAsync, new Dictionary<string, bool> { ["add"] = true, ["list"] = false }),
        new("api-keys", "add NAME --scope read|ingest | list | revoke NAME  [--db FILE]",
            "create an API key (printed once), list the keys (never the key), or revoke one at once",
            ["--db", "--scope"], false, ApiKeysVerb.RunAsync, new Dictionary<string, bool> { ["add"] = true, ["list"] = false, ["revoke"] = true }),
        new("model", "export [--segment S | --onboarding] [--version N] | import FILE [--segment S | --onboarding] [--comment TEXT] | list  [--db FILE]",
            "print a model export file, validate and save one as a new version, or list the models and their versions",
            ["--db", "--segment", "--onboarding", "--version", "--comment"], false, ModelVerb.RunAsync,
            new Dictionary<string, bool> { ["export"] = false, ["import"] = true, ["list"] = false }),
        new("override", "ACCOUNT_ID --value V --reason TEXT --until DATE [--from TIME] | ACCOUNT_ID --end  [--db FILE]",
            "set a CSM override of an account's health (at most 90 days), or end the active one",
            ["--db", "--value", "--reason", "--until", "--from", "--end"], false, OverrideVerb.RunAsync, Subject: "ACCOUNT_ID"),
        new("backtest", "[--from DATE] [--to DATE] [--horizon DAYS] [--model FILE] [--db FILE]",
            "how well health predicted churn: name,value lines (SCORING.md \"Backtest\"), then the same prefixed effective_ when CSM overrides were active",
            ["--from", "--to", "--horizon", "--model", "--db"], false, BacktestVerb.RunBacktestAsync),
        new("suggest-weights", "[--from DATE] [--to DATE] [--horizon DAYS] [--out FILE] [--db FILE]",
            "indicator weights fitted to the churn history, with hold-out AUCs: weight_<indicator> lines, then weight_<key> per custom indicator; the model file to --out",
            ["--from", "--to", "--horizon", "--out", "--db"], false, BacktestVerb.RunSuggestWeightsAsync),
        new("verify", "[--db FILE]", "recompute the daily usage roll-ups from the usage rows; exit 1 on any difference", ["--db"], false,
            (services, _, output, _) => VerifyVerb.RunAsync(services, output)),
    ];

    /// <summary>Options that are flags (take no value).</summary>
    internal static readonly string[] FlagOptions = ["--onboarding", "--end"];

    /// <summary>
    /// Options of the web host itself (<c>--urls http://localhost:5000</c> and the like): with only these,
    /// or none at all, the dashboard starts. A configuration key with a section (<c>--Scoring:AsOf=...</c>)
    /// is the host's too.
    /// </summary>
    private static readonly string[] HostOptions =
    [
        "urls", "contentRoot", "environment", "applicationName", "webroot", "http_ports", "https_ports",
        "hostingStartupAssemblies", "hostingStartupExcludeAssemblies", "preventHostingStartup",
        "detailedErrors", "shutdownTimeoutSeconds", "suppressStatusMessages", "pathBase",
    ];

    /// <summary>The usage text printed with every argument problem.</summary>
    public static string Usage { get; } = BuildUsage();

    /// <summary>
    /// True when <paramref name="args"/> start the dashboard: none, or only the host's own options with
    /// their values. Anything else (a verb, a misspelt verb, an unknown option) is for <see cref="RunAsync(string[], TextWriter, TextWriter, TextReader?)"/>.
    /// </summary>
    public static bool StartsDashboard(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var prefix = arg.StartsWith("--", StringComparison.Ordinal) ? 2 : arg.StartsWith('/') ? 1 : 0;
            if (prefix == 0)
            {
                return false;
            }

            var name = arg[prefix..];
            var hasValue = name.Contains('=', StringComparison.Ordinal);
            if (hasValue)
            {
                name = name[..name.IndexOf('=', StringComparison.Ordinal)];
            }

            if (!name.Contains(':', StringComparison.Ordinal) && !HostOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }

            if (!hasValue)
            {
                i++;
            }
        }

        return true;
    }

    /// <summary>Runs a verb; returns the process exit code (0 ok, 1 refused or failed, 2 bad arguments).</summary>
    /// <param name="input">Standard input when it is piped (a password for <c>users add</c>), else null.</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader? input = null) =>
        RunAsync(args, output, error, input, configuration: null);

    /// <summary>
    /// Runs a verb with <paramref name="configuration"/> on top of the environment's (the tests' seam: they point
    /// the verbs at a PostgreSQL store as <c>Database__Provider</c> and <c>ConnectionStrings__Health</c> would).
    /// </summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader? input, IEnumerable<KeyValuePair<string, string?>>? configuration)
    {
        if (!CliArguments.TryParse(args, out var parsed, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 2;
        }

        var verb = Verbs.First(v => v.Name == parsed.Verb);
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                ContentRootPath = AppContext.BaseDirectory,
                DisableDefaults = false,
            });
            builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
            // Environment variables (Database__Provider, ConnectionStrings__Health) win over the file, as in the web app.
            builder.Configuration.AddEnvironmentVariables();
            if (configuration is not null)
            {
                builder.Configuration.AddInMemoryCollection(configuration);
            }

            builder.Logging.ClearProviders();
            builder.AddHealthDashboardCore(parsed.Database);
            using var host = builder.Build();
            var services = host.Services;
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
            return await verb.RunAsync(services, parsed with { Input = input }, output, error);
        }
        catch (Exception e) when (DatabaseBusy.Is(e))
        {
            error.WriteLine($"{verb.Name}: {DatabaseBusy.Message}; nothing was changed, try again.");
            return 1;
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException)
        {
            error.WriteLine($"{verb.Name}: cannot use the database{(parsed.Database is null ? "" : $" '{parsed.Database}'")}: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e)
        {
            // No stack trace for a person at a terminal: what failed, in one line.
            error.WriteLine($"{verb.Name} failed: {OneLine(e.Message)}");
            return 1;
        }
    }

    /// <summary>The verb closest to a misspelt one (at most two edits away), or null.</summary>
    internal static string? Suggest(string typed) =>
        Verbs.Select(v => (v.Name, Distance: EditDistance(typed.ToLowerInvariant(), v.Name)))
            .Where(v => v.Distance <= 2).OrderBy(v => v.Distance).Select(v => v.Name).FirstOrDefault();

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static string BuildUsage()
    {
        var width = Verbs.Max(v => v.Name.Length + 1 + v.Synopsis.Length) + 2;
        var lines = Verbs.Select(v => $"  {(v.Name + " " + v.Synopsis).PadRight(width)}{v.Description}");
        return "Usage: HealthDashboard <verb> [options]\n" + string.Join('\n', lines)
            + "\nWithout arguments (or with only host options such as --urls) the dashboard starts.";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}

/// <summary>Parsed verb and options.</summary>
public sealed record CliArguments(string Verb, string? Directory, string? Database, DateTime? AsOf, int? Accounts)
{
    /// <summary>Earliest <c>--as-of</c> taken (scores look back over a year of history from it).</summary>
    public static readonly DateTime MinAsOf = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Latest <c>--as-of</c> taken.</summary>
    public static readonly DateTime MaxAsOf = new(3000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The second word of <c>users</c> and <c>api-keys</c>: add, list or revoke.</summary>
    public string? Action { get; init; }

    /// <summary>The email (<c>users add</c>) or key name (<c>api-keys add|revoke</c>).</summary>
    public string? Subject { get; init; }

    public string? Role { get; init; }
    public string? Name { get; init; }
    public string? Scope { get; init; }

    /// <summary><c>--account</c>: one account's id (<c>history</c>).</summary>
    public string? Account { get; init; }

    /// <summary><c>--from</c> and <c>--to</c>: the range of a backtest (month starts within, both inclusive) or of <c>history</c> (days); <c>override --from TIME</c>: when the override starts.</summary>
    public DateTime? From { get; init; }

    public DateTime? To { get; init; }

    /// <summary><c>--horizon</c>: the backtest horizon in days.</summary>
    public int? Horizon { get; init; }

    /// <summary><c>--model</c>: a model export file to backtest instead of the saved model.</summary>
    public string? ModelFile { get; init; }

    /// <summary><c>--out</c>: where <c>suggest-weights</c> writes the suggested model.</summary>
    public string? OutFile { get; init; }

    /// <summary><c>model --segment S</c>: the segment model.</summary>
    public string? Segment { get; init; }

    /// <summary><c>model --onboarding</c>: the onboarding model.</summary>
    public bool Onboarding { get; init; }

    /// <summary><c>model export --version N</c>.</summary>
    public int? Version { get; init; }

    /// <summary><c>model import --comment TEXT</c>.</summary>
    public string? Comment { get; init; }

    /// <summary><c>override --value V</c>.</summary>
    public double? Value { get; init; }

    /// <summary><c>override --reason TEXT</c>.</summary>
    public string? Reason { get; init; }

    /// <summary><c>override --until DATE</c>.</summary>
    public DateTime? Until { get; init; }

    /// <summary><c>override --end</c>.</summary>
    public bool End { get; init; }

    /// <summary>Standard input when it is piped, else null.</summary>
    public TextReader? Input { get; init; }

    /// <summary>Parses <c>verb [DIR] [--db FILE] [--as-of TIME] [--accounts N]</c>; the options each verb accepts are checked.</summary>
    public static bool TryParse(string[] args, out CliArguments parsed, out string problem)
    {
        var verbName = args.Length > 0 ? args[0] : "";
        parsed = new CliArguments(verbName, null, null, null, null);
        problem = "";
        var verb = CommandLine.Verbs.FirstOrDefault(v => v.Name == verbName);
        if (verb is null)
        {
            problem = args.Length == 0 ? "No verb given."
                : CommandLine.Suggest(parsed.Verb) is { } near ? $"Unknown verb '{parsed.Verb}'; did you mean '{near}'?"
                : $"Unknown verb '{parsed.Verb}'.";
            return false;
        }

        var first = 1;
        if (verb.Actions is { } actions)
        {
            if (args.Length < 2 || !actions.ContainsKey(args[1]))
            {
                problem = $"{verb.Name} needs one of: {string.Join(", ", actions.Keys)}.";
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
                if (((parsed.Action is { } action && verb.Actions![action]) || verb.Subject is not null) && parsed.Subject is null)
                {
                    parsed = parsed with { Subject = arg };
                    continue;
                }

                if (!verb.Folder || parsed.Directory is not null)
                {
                    problem = $"Unexpected argument '{arg}'.";
                    return false;
                }

                parsed = parsed with { Directory = arg };
                continue;
            }

            if (!verb.Options.Contains(arg))
            {
                problem = $"'{parsed.Verb}' does not take {arg}.";
                return false;
            }

            if (CommandLine.FlagOptions.Contains(arg))
            {
                parsed = arg == "--end" ? parsed with { End = true } : parsed with { Onboarding = true };
                continue;
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
                    problem = DatabaseProblem(value) ?? "";
                    parsed = parsed with { Database = value };
                    break;
                case "--as-of":
                    problem = AsOfProblem(value, out var asOf, "--as-of") ?? "";
                    parsed = parsed with { AsOf = asOf };
                    break;
                case "--accounts":
                    var valid = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1_000_000;
                    problem = valid ? "" : $"--accounts '{value}' must be a whole number from 1 to 1000000.";
                    parsed = parsed with { Accounts = n };
                    break;
                case "--role":
                    var role = Identity.Roles.Parse(value);
                    problem = role is null ? $"--role '{value}' is not one of {string.Join(", ", Identity.Roles.All)}." : "";
                    parsed = parsed with { Role = role };
                    break;
                case "--scope":
                    var scope = Identity.ApiKeyScopes.Parse(value);
                    problem = scope is null ? $"--scope '{value}' is not read or ingest." : "";
                    parsed = parsed with { Scope = scope };
                    break;
                case "--name":
                    parsed = parsed with { Name = value };
                    break;
                case "--from" or "--to":
                    problem = AsOfProblem(value, out var time, arg) ?? "";
                    parsed = arg == "--from" ? parsed with { From = time } : parsed with { To = time };
                    break;
                case "--horizon":
                    var whole = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 3650;
                    problem = whole ? "" : $"--horizon '{value}' must be a whole number of days from 1 to 3650.";
                    parsed = parsed with { Horizon = days };
                    break;
                case "--model":
                    problem = value.Length == 0 ? "--model needs a file name." : "";
                    parsed = parsed with { ModelFile = value };
                    break;
                case "--account":
                    problem = value.Length == 0 ? "--account needs an account id." : "";
                    parsed = parsed with { Account = value };
                    break;
                case "--out":
                    problem = value.Length == 0 ? "--out needs a file name." : "";
                    parsed = parsed with { OutFile = value };
                    break;
                case "--segment":
                    problem = value.Length == 0 ? "--segment needs the segment's name." : "";
                    parsed = parsed with { Segment = value };
                    break;
                case "--version":
                    var isVersion = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1;
                    problem = isVersion ? "" : $"--version '{value}' must be a version number (1 or more).";
                    parsed = parsed with { Version = version };
                    break;
                case "--comment":
                    parsed = parsed with { Comment = value };
                    break;
                case "--value":
                    var isValue = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v);
                    problem = isValue ? "" : $"--value '{value}' is not a number.";
                    parsed = parsed with { Value = v };
                    break;
                case "--reason":
                    parsed = parsed with { Reason = value };
                    break;
                case "--until":
                    problem = AsOfProblem(value, out var until, "--until") ?? "";
                    parsed = parsed with { Until = until };
                    break;
            }

            if (problem.Length > 0)
            {
                return false;
            }
        }

        if (verb.Folder && parsed.Directory is null)
        {
            problem = $"{verb.Name} needs a folder.";
            return false;
        }

        if (parsed is { From: { } from, To: { } to } && from > to)
        {
            problem = $"--from ({from:yyyy-MM-dd}) is after --to ({to:yyyy-MM-dd}).";
            return false;
        }

        if (verb.Subject is { } subject && parsed.Subject is null)
        {
            problem = $"{verb.Name} needs {subject}.";
            return false;
        }

        problem = ActionProblem(parsed) ?? "";
        return problem.Length == 0;
    }

    // What the second word of users / api-keys / model needs: its subject, and only its own options; override's two forms.
    private static string? ActionProblem(CliArguments parsed) => parsed switch
    {
        { Verb: "model", Action: "import", Subject: null } => "model import needs a FILE.",
        { Verb: "model", Onboarding: true, Segment: not null } => "model takes --segment S or --onboarding, not both.",
        { Verb: "model", Action: not "export", Version: not null } => "Only 'model export' takes --version.",
        { Verb: "model", Action: not "import", Comment: not null } => "Only 'model import' takes --comment.",
        { Verb: "model", Action: "list" } when parsed.Segment is not null || parsed.Onboarding => "'model list' lists every model; it takes no --segment or --onboarding.",
        { Verb: "override", End: true } when parsed.Value is not null || parsed.Reason is not null || parsed.Until is not null || parsed.From is not null =>
            "override --end takes no --value, --reason, --until or --from.",
        { Verb: "override", End: false, Value: null } => "override needs --value V (1-100), or --end.",
        { Verb: "override", End: false, Reason: null } => "override needs --reason TEXT.",
        { Verb: "override", End: false, Until: null } => "override needs --until DATE.",
        { Action: "add" or "revoke", Subject: null } => $"{parsed.Verb} {parsed.Action} needs {(parsed.Verb == "users" ? "an EMAIL" : "a NAME")}.",
        { Verb: "users", Action: "add", Role: null } => "users add needs --role Admin|CSManager|ProductManager.",
        { Verb: "api-keys", Action: "add", Scope: null } => "api-keys add needs --scope read|ingest.",
        { Action: "list" or "revoke" } when parsed.Role is not null || parsed.Name is not null || parsed.Scope is not null =>
            $"'{parsed.Verb} {parsed.Action}' does not take {(parsed.Role is not null ? "--role" : parsed.Name is not null ? "--name" : "--scope")}.",
        _ => null,
    };

    private static string? AsOfProblem(string value, out DateTime asOf, string option)
    {
        if (!Scores.AsOfClock.TryParse(value, out asOf))
        {
            return $"{option} '{value}' is not an ISO 8601 time.";
        }

        return asOf < MinAsOf || asOf >= MaxAsOf
            ? $"{option} '{value}' is out of range (from {MinAsOf:yyyy-MM-dd} to before {MaxAsOf:yyyy-MM-dd})."
            : null;
    }

    /// <summary>A <c>--db</c> that cannot be a database file: a folder, or a file in a folder that does not exist.</summary>
    private static string? DatabaseProblem(string path)
    {
        if (path.Length == 0)
        {
            return "--db needs a file name.";
        }

        if (System.IO.Directory.Exists(path))
        {
            return $"--db '{path}' is a folder, not a database file.";
        }

        string? folder;
        try
        {
            folder = Path.GetDirectoryName(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException)
        {
            return $"--db '{path}' is not a usable file name ({e.Message}).";
        }


        return folder is not null && !System.IO.Directory.Exists(folder)
            ? $"--db '{path}': the folder '{folder}' does not exist."
            : null;
    }
}
