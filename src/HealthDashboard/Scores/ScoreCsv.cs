using System.Globalization;

using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>
/// The CSV form of a scored portfolio (DATA.md): the <c>scores</c> and <c>user-scores</c> verbs, the
/// web export and the API all write these exact numbers. Rows are ordered by id (ordinal), numbers carry
/// two decimals rounded half away from zero, a missing indicator is an empty cell, bands are lower case.
/// </summary>
public static class ScoreCsv
{
    /// <summary>Header of the account scores.</summary>
    public const string AccountHeader = "account_id,health,grade,band,engagement,breadth,depth,frequency,recency,support,sentiment,growth";

    /// <summary>Header of the user scores.</summary>
    public const string UserHeader = "user_id,account_id,engagement_raw,engagement";

    /// <summary>Writes the header and one row per scored account.</summary>
    public static async Task WriteAccountsAsync(ScoredPortfolio portfolio, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var scores = portfolio.Scores;
        await writer.WriteLineAsync(AccountHeader.AsMemory(), cancellationToken);
        // The aggregates list scored accounts in ordinal id order already.
        for (var a = 0; a < scores.AccountCount; a++)
        {
            var fields = new List<string>(4 + Indicators.Count)
            {
                Quote(portfolio.Data.Accounts[portfolio.Aggregates.Accounts[a]].Id),
                Number(scores.Health[a]),
                scores.Grades[a].ToString(),
                scores.BandOf(a).ToKey(),
            };
            foreach (var indicator in Indicators.All)
            {
                fields.Add(scores.Value(a, indicator) is { } value ? Number(value) : "");
            }

            await writer.WriteLineAsync(string.Join(',', fields).AsMemory(), cancellationToken);
        }
    }

    /// <summary>Writes the header and one row per scored user.</summary>
    public static async Task WriteUsersAsync(ScoredPortfolio portfolio, TextWriter writer, CancellationToken cancellationToken = default)
    {
        var scores = portfolio.Scores;
        var aggregates = portfolio.Aggregates;
        await writer.WriteLineAsync(UserHeader.AsMemory(), cancellationToken);
        for (var u = 0; u < aggregates.Users.Length; u++)
        {
            var user = portfolio.Data.Users[aggregates.Users[u]];
            var account = portfolio.Data.Accounts[user.AccountIndex];
            var line = $"{Quote(user.Id)},{Quote(account.Id)},{Number(scores.UserEngagementRaw[u])},{Number(scores.UserEngagement[u])}";
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
        }
    }

    /// <summary>A number as exports write it: two decimals, half away from zero, invariant culture.</summary>
    public static string Number(double value)
    {
        var rounded = Indicators.RoundAway(value, 2);
        // Never print "-0.00".
        return (rounded == 0 ? 0 : rounded).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>An RFC 4180 field: quoted (with inner quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
