using System.Data.Common;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Scores;

/// <summary>
/// The daily score snapshots of SCORING.md "History and trend": one row per scored account per day
/// (as of 00:00 UTC), made with one model version. Back-filling re-scores days from the data in
/// memory, so a saved model re-scores history and a trend never mixes two models.
/// </summary>
public sealed class SnapshotStore(IDbContextFactory<HealthDbContext> dbFactory)
{
    /// <summary>Days of history the product keeps.</summary>
    public const int HistoryDays = 90;

    /// <summary>
    /// Scores each day from <paramref name="lastDay"/> - <see cref="HistoryDays"/> to <paramref name="lastDay"/>
    /// (midnights) with the model and writes the snapshots. With <paramref name="onlyMissing"/> only days that
    /// have no snapshot of this model version are scored; otherwise every day is replaced.
    /// <paramref name="data"/> must hold the usage from the first day's window on. Every account is scored with its
    /// own model of <paramref name="models"/>; a snapshot row records the set's newest version
    /// (<see cref="ScoringModelSet.LatestVersion"/>: versions are one sequence over all models, so it names the set).
    /// With <paramref name="rescoreFrom"/> (and not <paramref name="onlyMissing"/>), only the days from it on are
    /// replaced and earlier days are scored only when missing: an import that added only usage rows from that time
    /// on changes no earlier snapshot.
    /// </summary>
    public async Task BackfillAsync(PortfolioData data, ScoringModelSet models, DateTime lastDay, bool onlyMissing, DateTime? rescoreFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        var modelVersion = models.LatestVersion;
        lastDay = lastDay.Date;
        var firstDay = lastDay.AddDays(-HistoryDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = onlyMissing || rescoreFrom is not null
            ? (await db.Snapshots.Where(s => s.ModelVersion == modelVersion && s.Day >= firstDay).Select(s => s.Day).Distinct().ToListAsync(cancellationToken)).ToHashSet()
            : [];
        var days = Enumerable.Range(0, HistoryDays + 1).Select(i => firstDay.AddDays(i))
            .Where(d => !existing.Contains(d) || (!onlyMissing && d >= rescoreFrom)).ToList();
        var stale = await db.Snapshots.AnyAsync(s => s.ModelVersion != modelVersion || s.Day < firstDay, cancellationToken);
        if (days.Count == 0 && !stale)
        {
            return;
        }

        var accountIds = await db.Accounts.Select(a => new { a.Id, a.ExternalId }).ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Snapshots of another model version, or older than the kept history, are replaced.
        await db.Snapshots.Where(s => s.ModelVersion != modelVersion || s.Day < firstDay).ExecuteDeleteAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await using var delete = connection.CreateCommand();
        delete.CommandText = """DELETE FROM "Snapshots" WHERE "Day" = $day""";
        var deleteDay = AddParameter(delete, "$day");
        await using var insert = connection.CreateCommand();
        insert.CommandText = """INSERT INTO "Snapshots" ("Day", "AccountId", "ModelVersion", "Health", "Grade") VALUES ($day, $account, $version, $health, $grade)""";
        var day = AddParameter(insert, "$day");
        var account = AddParameter(insert, "$account");
        AddParameter(insert, "$version").Value = modelVersion;
        var health = AddParameter(insert, "$health");
        var grade = AddParameter(insert, "$grade");

        foreach (var snapshotDay in days)
        {
            var scored = ScoringService.Score(data, snapshotDay, models);
            var (aggregates, scores) = (scored.Aggregates, scored.Scores);
            // Same text form EF writes for DateTime, so LINQ comparisons keep working.
            var dayText = snapshotDay.ToString("yyyy-MM-dd HH:mm:ss");
            deleteDay.Value = dayText;
            await delete.ExecuteNonQueryAsync(cancellationToken);
            day.Value = dayText;
            for (var a = 0; a < aggregates.Accounts.Length; a++)
            {
                account.Value = accountIds[data.Accounts[aggregates.Accounts[a]].Id];
                health.Value = scores.Health[a];
                grade.Value = (byte)scores.Grades[a];
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Average health and band counts per day, oldest first.</summary>
    public async Task<IReadOnlyList<PortfolioDay>> PortfolioHistoryAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Snapshots.GroupBy(s => s.Day)
            .Select(g => new
            {
                Day = g.Key,
                Average = g.Average(s => s.Health),
                Green = g.Count(s => s.Grade <= (byte)Grade.B),
                Yellow = g.Count(s => s.Grade == (byte)Grade.C),
                Red = g.Count(s => s.Grade == (byte)Grade.D),
            })
            .OrderBy(g => g.Day)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new PortfolioDay(r.Day, r.Average, r.Green, r.Yellow, r.Red)).ToList();
    }

    /// <summary>Daily health of every account since <paramref name="from"/>, oldest first, by account id.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<double>>> SparklinesAsync(DateTime from, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Snapshots.Where(s => s.Day >= from)
            .Join(db.Accounts, s => s.AccountId, a => a.Id, (s, a) => new { a.ExternalId, s.Day, s.Health })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ExternalId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<double>)g.OrderBy(r => r.Day).Select(r => r.Health).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>One account's daily snapshots, oldest first.</summary>
    public async Task<IReadOnlyList<(DateTime Day, double Health)>> AccountHistoryAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Snapshots
            .Join(db.Accounts.Where(a => a.ExternalId == accountId), s => s.AccountId, a => a.Id, (s, a) => new { s.Day, s.Health })
            .OrderBy(r => r.Day)
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Day, r.Health)).ToList();
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
