using HealthDashboard.Identity;
using HealthDashboard.Scores;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>override ACCOUNT_ID --value V --reason TEXT --until DATE [--from TIME]</c> and <c>override ACCOUNT_ID --end</c>
/// (DATA.md): the operator at the command line may override any account, like an admin.
/// </summary>
internal static class OverrideVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var store = services.GetRequiredService<OverrideStore>();
        var result = args.End
            ? await store.EndAsync(args.Subject!, SignedInMember.CommandLine)
            : await store.SetAsync(args.Subject!, args.Value!.Value, args.Reason, args.Until!.Value, args.From, SignedInMember.CommandLine);
        await (result.Succeeded ? output : error).WriteLineAsync(result.Succeeded ? result.Message : $"override: {result.Message}");
        return result.Succeeded ? 0 : 1;
    }
}
