using System.Data.Common;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Scores;

/// <summary>
/// Reads the store into the pure scoring core's <see cref="PortfolioData"/>: every account, user,
/// event type, ticket, survey and revenue entry, and the usage of one time span.
/// </summary>
/// <remarks>
/// Usage comes from the daily roll-up (<see cref="UsageRollup"/>): each roll-up row becomes one
/// <see cref="UsageRow"/> with the group's summed count at the group's latest time, which scores exactly like
/// its raw rows as long as no group straddles a window edge. Every midnight is such an edge for free (midnight
/// rows are a group of their own); for every other edge instant the loader reads that whole UTC day as raw
/// rows instead (a range of the covering index IX_Usage_Window). The span's own ends are always edges; a caller
/// that will score several as-of times from one load names their window edges (T and T - W days) in
/// <c>windowEdges</c>. Everything else it scores from the data is exact too when it only asks whole UTC days
/// (e.g. a per-day count) or midnights.
/// </remarks>
public sealed class PortfolioLoader(IDbContextFactory<HealthDbContext> dbFactory)
{
    /// <summary>Loads the portfolio with the usage in (<paramref name="usageFrom"/>, <paramref name="usageTo"/>], exact for windows ending or starting at either end.</summary>
    public Task<PortfolioData> LoadAsync(DateTime usageFrom, DateTime usageTo, CancellationToken cancellationToken = default) =>
        LoadAsync(usageFrom, usageTo, [], cancellationToken);

    /// <summary>
    /// Loads the portfolio with the usage in (<paramref name="usageFrom"/>, <paramref name="usageTo"/>], exact for
    /// every window whose ends are the span's ends, midnights, or instants listed in <paramref name="windowEdges"/>
    /// (for an as-of T with a window of W days: T and T - W days; see <see cref="WindowEdges"/>).
    /// </summary>
    public async Task<PortfolioData> LoadAsync(DateTime usageFrom, DateTime usageTo, IEnumerable<DateTime> windowEdges, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var eventTypes = await db.EventTypes.AsNoTracking().OrderBy(e => e.Key).ToListAsync(cancellationToken);
        var tickets = await db.Tickets.AsNoTracking().ToListAsync(cancellationToken);
        var surveys = await db.Surveys.AsNoTracking().ToListAsync(cancellationToken);
        var revenue = await db.Revenue.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);

        var accountIndex = new Dictionary<int, int>(accounts.Count);
        for (var i = 0; i < accounts.Count; i++)
        {
            accountIndex[accounts[i].Id] = i;
        }

        var userIndex = new Dictionary<int, int>(users.Count);
        for (var i = 0; i < users.Count; i++)
        {
            userIndex[users[i].Id] = i;
        }

        var eventIndex = new Dictionary<int, int>(eventTypes.Count);
        for (var i = 0; i < eventTypes.Count; i++)
        {
            eventIndex[eventTypes[i].Id] = i;
        }

        var exactDays = ExactDays(usageFrom, usageTo, windowEdges);
        var usage = await ReadUsageAsync(db, usageFrom.Ticks, usageTo.Ticks, exactDays, accountIndex, userIndex, eventIndex, cancellationToken);

        return new PortfolioData(
            accounts.Select(a => new AccountInfo(a.ExternalId, a.Name, a.CreatedAt, a.ChurnedAt, a.Seats, a.Mrr, a.Segment, a.Plan, a.Owner, a.RenewalDate)).ToList(),
            users.Select(u => new UserInfo(u.ExternalId, accountIndex[u.AccountId], u.CreatedAt, u.Name, u.Email)).ToList(),
            eventTypes.Select(e => e.Key).ToList(),
            usage,
            tickets.Select(t => new TicketInfo(t.ExternalId, accountIndex[t.AccountId], t.OpenedAt, t.ClosedAt, t.Escalated, t.Satisfaction, t.Priority)).ToList(),
            surveys.Select(s => new SurveyInfo(accountIndex[s.AccountId], s.UserId is { } u ? userIndex[u] : -1, s.RespondedAt,
                string.Equals(s.Kind, "NPS", StringComparison.OrdinalIgnoreCase) ? SurveyKind.Nps : SurveyKind.Csat, s.Score)).ToList(),
            revenue.Select(r => new RevenueEntry(accountIndex[r.AccountId], r.Date, r.Mrr, r.Id)).ToList(),
            eventTypes.Select(e => e.Name).ToList());
    }

    /// <summary>The newest saved model version (version 1, the default, always exists once migrated).</summary>
    public async Task<(int Version, ScoringModel Model)> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
        return latest is null ? (0, ScoringModel.Default) : (latest.Id, ScoringModel.FromJson(latest.ModelJson));
    }

    /// <summary>
    /// The newest import batch and model version: scores made at a different pair are stale
    /// (an import or a model save happened, maybe from the command line or another instance).
    /// </summary>
    public async Task<StoreVersion> LoadStoreVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var import = await db.ImportBatches.MaxAsync(b => (int?)b.Id, cancellationToken) ?? 0;
        var model = await db.ModelVersions.MaxAsync(v => (int?)v.Id, cancellationToken) ?? 0;
        return new StoreVersion(import, model);
    }

    /// <summary>The window edges of an as-of time: <paramref name="asOf"/> and <paramref name="windowDays"/> days before it.</summary>
    public static IEnumerable<DateTime> WindowEdges(DateTime asOf, int windowDays) => [asOf, asOf.AddDays(-windowDays)];

    /// <summary>UTC days (day numbers) within the span that an edge cuts inside the day: those are read as raw rows.</summary>
    private static SortedSet<long> ExactDays(DateTime from, DateTime to, IEnumerable<DateTime> windowEdges)
    {
        long firstDay = from.Ticks / TimeSpan.TicksPerDay, lastDay = to.Ticks / TimeSpan.TicksPerDay;
        var days = new SortedSet<long>();
        foreach (var edge in windowEdges.Append(from).Append(to))
        {
            var day = edge.Ticks / TimeSpan.TicksPerDay;
            if (edge.Ticks % TimeSpan.TicksPerDay != 0 && day >= firstDay && day <= lastDay)
            {
                days.Add(day);
            }
        }

        return days;
    }

    private static async Task<UsageRow[]> ReadUsageAsync(
        HealthDbContext db, long fromTicks, long toTicks, SortedSet<long> exactDays,
        Dictionary<int, int> accountIndex, Dictionary<int, int> userIndex, Dictionary<int, int> eventIndex,
        CancellationToken cancellationToken)
    {
        // Database ids are dense autoincrement keys: arrays map them to portfolio indices without hashing,
        // which matters at tens of millions of rows.
        var accountOf = IndexArray(accountIndex);
        var userOf = IndexArray(userIndex);
        var eventOf = IndexArray(eventIndex);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        var rows = new List<UsageRow>(1024);

        // Whole days from the roll-up (a range of its clustered key), except the days read raw below. A group
        // whose latest time is outside the span lies wholly outside it (no edge cuts a rolled-up day).
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT "Day", "AccountId", "EventTypeId", "UserId", "Count", "LastTimestamp" FROM "UsageDaily"
                WHERE "Day" >= $firstDay AND "Day" <= $lastDay AND "LastTimestamp" > $from AND "LastTimestamp" <= $to
                """;
            AddParameter(command, "$firstDay", fromTicks / TimeSpan.TicksPerDay);
            AddParameter(command, "$lastDay", toTicks / TimeSpan.TicksPerDay);
            AddParameter(command, "$from", fromTicks);
            AddParameter(command, "$to", toTicks);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // SQLite reads are synchronous underneath; the synchronous loop saves a task per row.
            while (reader.Read())
            {
                if (exactDays.Count > 0 && exactDays.Contains(reader.GetInt64(0)))
                {
                    continue;
                }

                var user = reader.GetInt32(3) is var userId and > 0 ? userOf[userId] : -1;
                int account = accountOf[reader.GetInt32(1)], eventType = eventOf[reader.GetInt32(2)];
                long count = reader.GetInt64(4), ticks = reader.GetInt64(5);
                // A day's sum may pass int.MaxValue (counts up to a million a row): split it; counts add up the same.
                for (; count > int.MaxValue; count -= int.MaxValue)
                {
                    rows.Add(new UsageRow(account, user, eventType, ticks, int.MaxValue));
                }

                rows.Add(new UsageRow(account, user, eventType, ticks, (int)count));
            }
        }

        // The days an edge cuts: their raw rows, from the covering index.
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT "Timestamp", "AccountId", "EventTypeId", "UserId", "Count" FROM "Usage" INDEXED BY "IX_Usage_Window"
                WHERE "Timestamp" > $from AND "Timestamp" <= $to
                """;
            var from = AddParameter(command, "$from", 0L);
            var to = AddParameter(command, "$to", 0L);
            foreach (var day in exactDays)
            {
                from.Value = Math.Max(fromTicks, (day * TimeSpan.TicksPerDay) - 1);
                to.Value = Math.Min(toTicks, ((day + 1) * TimeSpan.TicksPerDay) - 1);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (reader.Read())
                {
                    var user = reader.IsDBNull(3) ? -1 : userOf[reader.GetInt32(3)];
                    rows.Add(new UsageRow(accountOf[reader.GetInt32(1)], user, eventOf[reader.GetInt32(2)], reader.GetInt64(0), reader.GetInt32(4)));
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var usage = rows.ToArray();
        var ticksOf = new long[usage.Length];
        for (var i = 0; i < usage.Length; i++)
        {
            ticksOf[i] = usage[i].Ticks;
        }

        Array.Sort(ticksOf, usage);
        return usage;
    }

    private static int[] IndexArray(Dictionary<int, int> indexById)
    {
        var map = new int[indexById.Count == 0 ? 1 : indexById.Keys.Max() + 1];
        Array.Fill(map, -1);
        foreach (var (id, index) in indexById)
        {
            map[id] = index;
        }

        return map;
    }

    private static DbParameter AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}

/// <summary>The newest import batch id and model version of the store.</summary>
public readonly record struct StoreVersion(int ImportBatch, int ModelVersion);
