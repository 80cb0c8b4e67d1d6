using HealthDashboard.Data;
using HealthDashboard.Scores;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>history [--from DATE] [--to DATE] [--account ID]</c> (DATA.md): the daily snapshots as CSV, ordered by day then
/// account id. <c>--to</c> defaults to today (the as-of clock's date), <c>--from</c> to <see cref="DefaultDays"/> days
/// up to it. A day without a current snapshot is scored from the data, so each row equals <c>scores --as-of DAY</c>.
/// </summary>
internal static class HistoryVerb
{
    /// <summary>Days printed when <c>--from</c> is not given.</summary>
    public const int DefaultDays = 30;

    /// <summary>Longest range taken (ten years of days).</summary>
    public const int MaxDays = 3660;

    /// <summary>Days read (and scored, where missing) at once: memory stays bounded on long ranges.</summary>
    private const int DaysPerBatch = 31;

    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var to = (args.To ?? services.GetRequiredService<AsOfClock>().Now()).Date;
        var from = (args.From ?? to.AddDays(1 - DefaultDays)).Date;
        if (from > to)
        {
            await error.WriteLineAsync($"history: --from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}.");
            return 2;
        }

        if ((to - from).TotalDays >= MaxDays)
        {
            await error.WriteLineAsync($"history: {from:yyyy-MM-dd} to {to:yyyy-MM-dd} is longer than {MaxDays} days; ask for a shorter range.");
            return 2;
        }

        if (args.Account is { } accountId)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync();
            if (!await db.Accounts.AnyAsync(a => a.ExternalId == accountId))
            {
                await error.WriteLineAsync($"history: no account '{accountId}' in the database.");
                return 1;
            }
        }

        var snapshots = services.GetRequiredService<SnapshotStore>();
        for (var first = from; first <= to; first = first.AddDays(DaysPerBatch))
        {
            var last = first.AddDays(DaysPerBatch - 1) < to ? first.AddDays(DaysPerBatch - 1) : to;
            var rows = await snapshots.HistoryAsync(DateTime.SpecifyKind(first, DateTimeKind.Utc), DateTime.SpecifyKind(last, DateTimeKind.Utc), args.Account);
            await ScoresExport.WriteHistoryAsync(rows, output, header: first == from);
        }

        return 0;
    }
}
