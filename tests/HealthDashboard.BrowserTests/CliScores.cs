using System.Globalization;

namespace HealthDashboard.BrowserTests;

/// <summary>The <c>scores</c> command line's CSV, read into rows by account id.</summary>
public sealed record CliScore(string AccountId, double Health, string Grade, string Band)
{
    /// <summary>H as pages show it: rounded half away from zero.</summary>
    public int Rounded => (int)Math.Round(Health, MidpointRounding.AwayFromZero);

    public static async Task<IReadOnlyDictionary<string, CliScore>> ReadAsync(AppFixture app)
    {
        var (code, output, error) = await app.RunCliAsync("scores", "--as-of", app.AsOf, "--db", app.DatabaseFile);
        Assert.True(code == 0, $"scores exited {code}: {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The built-in columns, then one per custom indicator of the models in use, then the override column.
        Assert.StartsWith("account_id,health,grade,band,engagement,breadth,depth,frequency,recency,support,sentiment,growth", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",override", lines[0], StringComparison.Ordinal);
        return lines.Skip(1)
            .Select(line => line.Split(','))
            .Select(cells => new CliScore(cells[0], double.Parse(cells[1], CultureInfo.InvariantCulture), cells[2], cells[3]))
            .ToDictionary(s => s.AccountId, StringComparer.Ordinal);
    }
}
