using System.Data.Common;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Scores;

/// <summary>
/// Reads the store into the pure scoring core's <see cref="PortfolioData"/>: every account, user,
/// event type, ticket, survey and revenue entry, and the usage rows of one time span. The usage
/// scan is a single range read of the covering index IX_Usage_Window.
/// </summary>
public sealed class PortfolioLoader(IDbContextFactory<HealthDbContext> dbFactory)
{
    /// <summary>Loads the portfolio with the usage rows in (<paramref name="usageFrom"/>, <paramref name="usageTo"/>].</summary>
    public async Task<PortfolioData> LoadAsync(DateTime usageFrom, DateTime usageTo, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var eventTypes = await db.EventTypes.AsNoTracking().OrderBy(e => e.Key).ToListAsync(cancellationToken);
        var tickets = await db.Tickets.AsNoTracking().ToListAsync(cancellationToken);
        var surveys = await db.Surveys.AsNoTracking().ToListAsync(cancellationToken);
        var revenue = await db.Revenue.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var overrides = await db.Overrides.AsNoTracking().OrderBy(o => o.Id).ToListAsync(cancellationToken);
        var metrics = await db.Metrics.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken);

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

        var usage = await ReadUsageAsync(db, usageFrom.Ticks, usageTo.Ticks, accountIndex, userIndex, eventIndex, cancellationToken);

        return new PortfolioData(
            accounts.Select(a => new AccountInfo(a.ExternalId, a.Name, a.CreatedAt, a.ChurnedAt, a.Seats, a.Mrr, a.Segment, a.Plan, a.Owner, a.RenewalDate)).ToList(),
            users.Select(u => new UserInfo(u.ExternalId, accountIndex[u.AccountId], u.CreatedAt, u.Name, u.Email)).ToList(),
            eventTypes.Select(e => e.Key).ToList(),
            usage,
            tickets.Select(t => new TicketInfo(t.ExternalId, accountIndex[t.AccountId], t.OpenedAt, t.ClosedAt, t.Escalated, t.Satisfaction, t.Priority)).ToList(),
            surveys.Select(s => new SurveyInfo(accountIndex[s.AccountId], s.UserId is { } u ? userIndex[u] : -1, s.RespondedAt,
                string.Equals(s.Kind, "NPS", StringComparison.OrdinalIgnoreCase) ? SurveyKind.Nps : SurveyKind.Csat, s.Score)).ToList(),
            revenue.Select(r => new RevenueEntry(accountIndex[r.AccountId], r.Date, r.Mrr, r.Id)).ToList(),
            eventTypes.Select(e => e.Name).ToList(),
            overrides.Select(o => new OverrideInfo(accountIndex[o.AccountId], o.Value, o.From, o.Until, o.Reason, o.SetBy, o.EndedAt, o.Id)).ToList(),
            metrics.Select(m => new MetricRow(accountIndex[m.AccountId], string.Intern(m.Metric), m.Time.Ticks, m.Value, m.Id)).ToList());
    }

    /// <summary>The default model's newest saved version (version 1, the default, always exists once migrated).</summary>
    public async Task<(int Version, ScoringModel Model)> LoadModelAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.ModelVersions.AsNoTracking().Where(v => v.ModelKey == "default").OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
        return latest is null ? (0, ScoringModel.Default) : (latest.Id, ScoringModel.FromJson(latest.ModelJson));
    }

    /// <summary>
    /// The newest saved models: the default, each segment model and the onboarding model, with their versions.
    /// </summary>
    public async Task<ScoringModelSet> LoadModelSetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latestIds = db.ModelVersions.GroupBy(v => v.ModelKey).Select(g => g.Max(v => v.Id));
        var rows = await db.ModelVersions.AsNoTracking().Where(v => latestIds.Contains(v.Id) && !v.Removed).ToListAsync(cancellationToken);
        var versions = new Dictionary<ModelKey, int>();
        ScoringModel? fallback = null, onboarding = null;
        var segments = new Dictionary<string, ScoringModel>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!ModelKey.TryParse(row.ModelKey, out var key))
            {
                continue;
            }

            var model = ScoringModel.FromJson(row.ModelJson);
            versions[key] = row.Id;
            switch (key.Kind)
            {
                case ModelKind.Default:
                    fallback = model;
                    break;
                case ModelKind.Onboarding:
                    onboarding = model;
                    break;
                default:
                    segments[key.Segment!] = model;
                    break;
            }
        }

        return new ScoringModelSet(fallback ?? ScoringModel.Default, segments, onboarding) { Versions = versions };
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
        // Setting an override adds a row, ending one stamps it: both raise newest id + ended count.
        var overrides = (await db.Overrides.MaxAsync(o => (int?)o.Id, cancellationToken) ?? 0) + await db.Overrides.CountAsync(o => o.EndedAt != null, cancellationToken);
        return new StoreVersion(import, model) { Overrides = overrides };
    }

    private static async Task<UsageRow[]> ReadUsageAsync(
        HealthDbContext db, long fromTicks, long toTicks,
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
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT "Timestamp", "AccountId", "EventTypeId", "UserId", "Count" FROM "Usage" INDEXED BY "IX_Usage_Window"
            WHERE "Timestamp" > $from AND "Timestamp" <= $to ORDER BY "Timestamp"
            """;
        AddParameter(command, "$from", fromTicks);
        AddParameter(command, "$to", toTicks);
        var rows = new List<UsageRow>(1024);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // SQLite reads are synchronous underneath; the synchronous loop saves a task per row.
        while (reader.Read())
        {
            var user = reader.IsDBNull(3) ? -1 : userOf[reader.GetInt32(3)];
            rows.Add(new UsageRow(accountOf[reader.GetInt32(1)], user, eventOf[reader.GetInt32(2)], reader.GetInt64(0), reader.GetInt32(4)));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. rows];
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

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>The newest import batch id, model version and override change of the store.</summary>
public readonly record struct StoreVersion(int ImportBatch, int ModelVersion)
{
    /// <summary>Changes whenever an override is set or ended (newest override id + number ended).</summary>
    public int Overrides { get; init; }
}
