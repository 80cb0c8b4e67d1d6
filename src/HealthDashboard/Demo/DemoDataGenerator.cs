using System.Data.Common;
using System.Diagnostics;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace HealthDashboard.Demo;

/// <summary>
/// Fills an empty store with a believable SaaS customer base: about 300 accounts with stories (thriving,
/// steady, declining, gone silent, onboarding, seasonal, churned), their users, 15 months (DemoDataBuilder.HistoryDays) of usage,
/// tickets, surveys, revenue and account metric (custom indicator) history. Deterministic for a seed and a Now. The same data set can be
/// written as a DATA.md CSV folder for the importer.
/// </summary>
public sealed class DemoDataGenerator(IDbContextFactory<HealthDbContext> dbFactory, TimeProvider clock, AsOfClock asOfClock)
{
    /// <summary>
    /// Writes the data set into the store in one transaction and saves a scoring model version that carries
    /// the demo's event weights, flags and custom indicators. Throws <see cref="InvalidOperationException"/> when the store already holds accounts.
    /// </summary>
    public async Task<DemoSummary> GenerateAsync(DemoOptions options, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var set = Build(options);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Accounts.CountAsync(cancellationToken);
        if (existing > 0)
        {
            throw new InvalidOperationException($"The database already holds {existing} accounts; demo data goes only into an empty database.");
        }

        var eventTypes = await UpsertEventTypesAsync(db, set, cancellationToken);
        var accounts = set.Accounts.Select(a => new Account
        {
            ExternalId = a.Id, Name = a.Name, Segment = a.Segment, Plan = a.Plan, Seats = a.Seats, Mrr = a.Mrr,
            RenewalDate = a.RenewalDate, Owner = a.Owner, CreatedAt = a.CreatedAt, ChurnedAt = a.ChurnedAt,
        }).ToList();
        db.Accounts.AddRange(accounts);
        await db.SaveChangesAsync(cancellationToken);

        var users = set.Users.Select(u => new AccountUser
        {
            ExternalId = u.Id, AccountId = accounts[u.Account].Id, Name = u.Name, Email = u.Email, CreatedAt = u.CreatedAt,
        }).ToList();
        db.Users.AddRange(users);
        db.Tickets.AddRange(set.Tickets.Select(t => new Ticket
        {
            ExternalId = t.Id, AccountId = accounts[t.Account].Id, OpenedAt = t.OpenedAt, ClosedAt = t.ClosedAt,
            Priority = t.Priority, Escalated = t.Escalated, Satisfaction = t.Satisfaction,
        }));
        db.Revenue.AddRange(set.Revenue.Select(r => new RevenueRecord { AccountId = accounts[r.Account].Id, Date = r.Date, Mrr = r.Mrr }));
        // The same table metrics.csv and POST /api/metrics append to.
        db.Metrics.AddRange(set.Metrics.Select(m => new MetricValue { AccountId = accounts[m.Account].Id, Metric = m.Metric, Time = m.Time, Value = m.Value }));
        await db.SaveChangesAsync(cancellationToken);

        db.Surveys.AddRange(set.Surveys.Select(s => new SurveyResponse
        {
            AccountId = accounts[s.Account].Id, UserId = s.User >= 0 ? users[s.User].Id : null, RespondedAt = s.RespondedAt, Kind = s.Kind, Score = s.Score,
        }));
        await SaveModelVersionAsync(db, set, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        var usageBefore = await UsageRollup.LastUsageIdAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), cancellationToken);
        await InsertUsageAsync(db, set, accounts, users, eventTypes, cancellationToken);
        await UsageRollup.AddSinceAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), usageBefore, cancellationToken);

        var summary = Summarize(set, stopwatch.Elapsed);
        var batch = new ImportBatch { ImportedAt = clock.GetUtcNow().UtcDateTime, Source = "demo", Summary = summary.ToString() };
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        // The demo touched every account: their timelines start with it.
        db.ImportBatchAccounts.AddRange(accounts.Select(a => new ImportBatchAccount { ImportBatchId = batch.Id, AccountId = a.Id }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return summary with { Elapsed = stopwatch.Elapsed };
    }

    /// <summary>Writes the same data set as a DATA.md import folder (eight CSV files) into <paramref name="directory"/>.</summary>
    public async Task<DemoSummary> WriteCsvFolderAsync(DemoOptions options, string directory, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var set = Build(options);
        await DemoFolderWriter.WriteAsync(set, directory, cancellationToken);
        return Summarize(set, stopwatch.Elapsed);
    }

    /// <summary>
    /// The event types with the weights and flags the demo scores with, and its custom indicators (onboarding progress,
    /// sponsor sentiment; <see cref="DemoMetricsSimulator.Indicators"/>) replacing any of the same key, for callers that
    /// score without the store.
    /// </summary>
    public static ScoringModel DemoModel(ScoringModel baseModel)
    {
        var demoKeys = DemoMetricsSimulator.Indicators.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var model = baseModel with
        {
            CustomIndicators = [.. baseModel.CustomIndicators.Where(c => !demoKeys.Contains(c.Key)), .. DemoMetricsSimulator.Indicators],
        };
        foreach (var type in DemoCatalog.EventTypes)
        {
            model = model.WithEventType(type.Key, new EventTypeSettings(type.Weight, type.KeyFeature, type.ValueMoment));
        }

        return model;
    }

    private DemoDataSet Build(DemoOptions options)
    {
        // The data ends at the as-of clock's now (a pinned Scoring:AsOf included), so a pinned demo scores as it was made.
        return DemoDataBuilder.Build(options.Accounts, options.Seed, asOfClock.Resolve(options.Now));
    }

    private static DemoSummary Summarize(DemoDataSet set, TimeSpan elapsed) => new(
        set.Accounts.Count, set.Accounts.Count(a => a.ChurnedAt is not null), set.Users.Count, set.EventTypes.Count, set.Usage.Length,
        set.Usage.Sum(u => (long)u.Count), set.Tickets.Count, set.Surveys.Count, set.Revenue.Count, set.Metrics.Count, set.Now, elapsed);

    /// <summary>Adds the demo's event types, or updates ones the store already has under the same key (as an import would).</summary>
    private static async Task<List<EventType>> UpsertEventTypesAsync(HealthDbContext db, DemoDataSet set, CancellationToken cancellationToken)
    {
        var stored = await db.EventTypes.ToDictionaryAsync(e => e.Key, StringComparer.Ordinal, cancellationToken);
        var result = new List<EventType>(set.EventTypes.Count);
        foreach (var type in set.EventTypes)
        {
            if (!stored.TryGetValue(type.Key, out var entity))
            {
                entity = new EventType { Key = type.Key, Name = type.Name };
                db.EventTypes.Add(entity);
            }

            entity.Name = type.Name;
            entity.Weight = type.Weight;
            entity.KeyFeature = type.KeyFeature;
            entity.ValueMoment = type.ValueMoment;
            result.Add(entity);
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Scoring reads event weights and flags from the newest model version, not from the event types table,
    /// so the demo saves a version (newest + 1) with its event settings on top of the newest model.
    /// </summary>
    private async Task SaveModelVersionAsync(HealthDbContext db, DemoDataSet set, CancellationToken cancellationToken)
    {
        var latest = await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(cancellationToken);
        var baseModel = latest is null ? ScoringModel.Default : ScoringModel.FromJson(latest.ModelJson);
        var model = DemoModel(baseModel);
        if (latest is not null && model.Equals(baseModel))
        {
            return;
        }

        db.ModelVersions.Add(new ScoringModelVersion
        {
            Id = (latest?.Id ?? 0) + 1,
            SavedAt = clock.GetUtcNow().UtcDateTime,
            SavedBy = "demo",
            Comment = $"Event weights and flags of the demo data set ({set.EventTypes.Count} event types) and its custom indicators ({string.Join(", ", DemoMetricsSimulator.Indicators.Select(c => c.Key))})",
            ModelJson = model.ToJson(),
        });
    }

    /// <summary>
    /// The usage rows in time order as an importer would write them: through one prepared command on SQLite,
    /// one binary COPY on PostgreSQL.
    /// </summary>
    private static async Task InsertUsageAsync(HealthDbContext db, DemoDataSet set, List<Account> accounts, List<AccountUser> users,
        List<EventType> eventTypes, CancellationToken cancellationToken)
    {
        if (SqlDialect.IsPostgres(db.Database.GetDbConnection()))
        {
            await CopyUsageAsync(db, set, accounts, users, eventTypes, cancellationToken);
            return;
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = """
            INSERT INTO "Usage" ("AccountId", "UserId", "EventTypeId", "Timestamp", "Count") VALUES (@account, @user, @type, @time, @count)
            """;
        var account = AddParameter(command, "@account");
        var user = AddParameter(command, "@user");
        var type = AddParameter(command, "@type");
        var time = AddParameter(command, "@time");
        var count = AddParameter(command, "@count");
        await command.PrepareAsync(cancellationToken);

        var accountIds = accounts.Select(a => a.Id).ToArray();
        var userIds = users.Select(u => u.Id).ToArray();
        var typeIds = eventTypes.Select(e => e.Id).ToArray();
        var rows = set.Usage;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            account.Value = accountIds[row.Account];
            user.Value = row.User >= 0 ? userIds[row.User] : DBNull.Value;
            type.Value = typeIds[row.EventType];
            time.Value = row.Ticks;
            count.Value = row.Count;
            // Synchronous on purpose: SQLite completes synchronously, and a million awaits only add time.
#pragma warning disable CA1849
            command.ExecuteNonQuery();
#pragma warning restore CA1849
            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static async Task CopyUsageAsync(HealthDbContext db, DemoDataSet set, List<Account> accounts, List<AccountUser> users,
        List<EventType> eventTypes, CancellationToken cancellationToken)
    {
        await using var copy = await PostgresUsageCopy.BeginAsync(db.Database.GetDbConnection(), cancellationToken);
        foreach (var row in set.Usage)
        {
            copy.Write(accounts[row.Account].Id, row.User >= 0 ? users[row.User].Id : null, eventTypes[row.EventType].Id, row.Ticks, row.Count);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
