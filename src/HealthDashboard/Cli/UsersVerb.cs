using HealthDashboard.Csv;
using HealthDashboard.Identity;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>users add EMAIL --role R [--name NAME]</c> and <c>users list</c> (DATA.md): how the first admin of a
/// database that is not a demo comes to be. The password is read from standard input when it is piped,
/// otherwise generated and printed once.
/// </summary>
internal static class UsersVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var team = services.GetRequiredService<TeamService>();
        if (args.Action == "list")
        {
            await output.WriteAsync(CsvWriter.Record(["email", "name", "role", "status", "created", "last_sign_in"]));
            foreach (var m in await team.ListAsync())
            {
                var status = m.Disabled ? "disabled" : m.LockedOut ? "locked" : "active";
                await output.WriteAsync(CsvSafety.Record([m.Email, m.DisplayName, m.Role, status, CsvWriter.Time(m.CreatedAt), CsvWriter.Time(m.LastSignInAt)]));
            }

            return 0;
        }

        // A piped password is the first line; an empty input (such as /dev/null in a script) means "generate one".
        var password = args.Input is null ? null : (await args.Input.ReadLineAsync())?.TrimEnd('\r');
        if (string.IsNullOrEmpty(password))
        {
            password = null;
        }

        var result = await team.AddAsync(args.Subject!, args.Name, args.Role!, password, Actor.CommandLine);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"users add: {result.Message}");
            return 1;
        }

        await output.WriteLineAsync(result.Message);
        if (result.Password is { } generated)
        {
            await output.WriteLineAsync($"Password (shown once): {generated}");
        }

        return 0;
    }
}
