using HealthDashboard.Csv;
using HealthDashboard.Identity;

namespace HealthDashboard.Cli;

/// <summary><c>api-keys add NAME --scope read|ingest</c> (the key printed once), <c>api-keys list</c>, <c>api-keys revoke NAME</c>.</summary>
internal static class ApiKeysVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var keys = services.GetRequiredService<ApiKeyStore>();
        switch (args.Action)
        {
            case "list":
                await output.WriteAsync(CsvWriter.Record(["name", "scope", "prefix", "created", "created_by", "last_used", "revoked"]));
                foreach (var k in await keys.ListAsync())
                {
                    await output.WriteAsync(CsvSafety.Record([k.Name, k.Scope, k.Prefix, CsvWriter.Time(k.CreatedAt), k.CreatedBy,
                        CsvWriter.Time(k.LastUsedAt), CsvWriter.Time(k.RevokedAt)]));
                }

                return 0;
            case "revoke":
                var (revoked, message) = await keys.RevokeAsync(args.Subject!, Actor.CommandLine);
                await (revoked ? output : error).WriteLineAsync(message);
                return revoked ? 0 : 1;
            default:
                var created = await keys.CreateAsync(args.Subject!, args.Scope!, Actor.CommandLine);
                if (created.Secret is null)
                {
                    await error.WriteLineAsync($"api-keys add: {created.Problem}");
                    return 1;
                }

                await output.WriteLineAsync($"API key '{created.Key!.Name}' ({created.Key.Scope}); shown once, send it as the X-Api-Key header:");
                await output.WriteLineAsync(created.Secret);
                return 0;
        }
    }
}
