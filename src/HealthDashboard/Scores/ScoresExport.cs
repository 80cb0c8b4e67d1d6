using HealthDashboard.Csv;

using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>
/// The CSV form of a scored portfolio (DATA.md), written by the <c>scores</c> and <c>user-scores</c> verbs with the
/// one <see cref="CsvWriter"/>. Rows are ordered by id (ordinal), numbers carry two decimals rounded half away
/// from zero, a missing indicator is an empty cell, bands are lower case.
/// </summary>
public static class ScoresExport
{
    /// <summary>
    /// Header fields of the account scores without custom indicators: id, health, grade, band, one column per
    /// indicator, then <c>override</c> (the override active at the as-of time; health, grade and band stay the model's own).
    /// </summary>
    public static IReadOnlyList<string> AccountHeader { get; } = AccountHeaderWith([]);

    /// <summary>The account header with one column per custom indicator key after <c>growth</c>, before <c>override</c>.</summary>
    public static IReadOnlyList<string> AccountHeaderWith(IReadOnlyList<string> customKeys) =>
        ["account_id", "health", "grade", "band", .. Indicators.All.Select(i => i.ToKey()), .. customKeys, "override"];

    /// <summary>
    /// Header fields of the daily history (the <c>history</c> verb), exactly DATA.md's: day, the account's model
    /// scores (health, grade, band, the eight built-in indicators; no override or custom columns), model version.
    /// </summary>
    public static IReadOnlyList<string> HistoryHeader { get; } =
        ["day", "account_id", "health", "grade", "band", .. Indicators.All.Select(i => i.ToKey()), "model_version"];

    /// <summary>Header fields of the user scores.</summary>
    public static IReadOnlyList<string> UserHeader { get; } = ["user_id", "account_id", "engagement_raw", "engagement"];

    /// <summary>Writes the header and one row per scored account.</summary>
    public static async Task WriteAccountsAsync(ScoredPortfolio portfolio, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var scores = portfolio.Scores;
        var csv = new CsvWriter(writer);
        var customKeys = scores.CustomKeys;
        await csv.WriteRecordAsync(AccountHeaderWith(customKeys), cancellationToken);
        // The aggregates list scored accounts in ordinal id order already.
        for (var a = 0; a < scores.AccountCount; a++)
        {
            var fields = new List<string?>(4 + Indicators.Count)
            {
                portfolio.Data.Accounts[portfolio.Aggregates.Accounts[a]].Id,
                CsvWriter.TwoDecimals(scores.Health[a]),
                scores.Grades[a].ToString(),
                scores.BandOf(a).ToKey(),
            };
            fields.AddRange(Indicators.All.Select(indicator => CsvWriter.TwoDecimals(scores.Value(a, indicator))));
            for (var c = 0; c < customKeys.Count; c++)
            {
                fields.Add(CsvWriter.TwoDecimals(scores.CustomValue(a, c)));
            }

            fields.Add(CsvWriter.TwoDecimals(scores.ActiveOverrides[a]?.Value));
            await csv.WriteRecordAsync(fields, cancellationToken);
        }
    }

    /// <summary>Writes the history header (when <paramref name="header"/>) and one line per snapshot row, as given.</summary>
    public static async Task WriteHistoryAsync(IEnumerable<SnapshotRow> rows, TextWriter writer, bool header = true, CancellationToken cancellationToken = default)
    {
        var csv = new CsvWriter(writer);
        if (header)
        {
            await csv.WriteRecordAsync(HistoryHeader, cancellationToken);
        }

        foreach (var row in rows)
        {
            var fields = new List<string?>(6 + Indicators.Count)
            {
                row.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                row.AccountId,
                CsvWriter.TwoDecimals(row.Health),
                row.Grade.ToString(),
                row.Band.ToKey(),
            };
            fields.AddRange(row.Values.Select(v => CsvWriter.TwoDecimals(v)));
            fields.Add(row.ModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await csv.WriteRecordAsync(fields, cancellationToken);
        }
    }

    /// <summary>Writes the header and one row per scored user.</summary>
    public static async Task WriteUsersAsync(ScoredPortfolio portfolio, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var scores = portfolio.Scores;
        var aggregates = portfolio.Aggregates;
        var csv = new CsvWriter(writer);
        await csv.WriteRecordAsync(UserHeader, cancellationToken);
        for (var u = 0; u < aggregates.Users.Length; u++)
        {
            var user = portfolio.Data.Users[aggregates.Users[u]];
            var account = portfolio.Data.Accounts[user.AccountIndex];
            await csv.WriteRecordAsync(
                [user.Id, account.Id, CsvWriter.TwoDecimals(scores.UserEngagementRaw[u]), CsvWriter.TwoDecimals(scores.UserEngagement[u])], cancellationToken);
        }
    }
}
