using System.Globalization;
using System.Text;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace HealthDashboard.Queries;

/// <summary>
/// Tolerant reading and canonical writing of the list pages' query strings. Every reader ignores a
/// value it cannot use (a bookmarked or hand-edited link never breaks a page); the writer emits only
/// values that differ from the defaults, in a fixed order, so equal states give equal links.
/// </summary>
internal static class QueryParams
{
    /// <summary>Longest text value kept (a search or a select); longer ones are junk.</summary>
    public const int MaxTextLength = 200;

    /// <summary>Parses <c>?a=1&amp;b=2</c> (leading <c>?</c> optional, null or empty allowed).</summary>
    public static Dictionary<string, StringValues> Parse(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, StringValues>(QueryHelpers.ParseQuery(query), StringComparer.OrdinalIgnoreCase);

    /// <summary>The first non-empty trimmed value of <paramref name="key"/>, null when absent, blank or too long.</summary>
    public static string? Text(IReadOnlyDictionary<string, StringValues> query, string key)
    {
        if (!query.TryGetValue(key, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            var text = value?.Trim();
            if (!string.IsNullOrEmpty(text))
            {
                return text.Length <= MaxTextLength ? text : null;
            }
        }

        return null;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>], else null.</summary>
    public static int? Int(IReadOnlyDictionary<string, StringValues> query, string key, int min, int max) =>
        Text(query, key) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : null;

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>], else null.</summary>
    public static double? Number(IReadOnlyDictionary<string, StringValues> query, string key, double min, double max) =>
        Text(query, key) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value >= min && value <= max
            ? value
            : null;

    /// <summary>A calendar day <c>yyyy-MM-dd</c> (UTC), else null.</summary>
    public static DateTime? Date(IReadOnlyDictionary<string, StringValues> query, string key) =>
        Text(query, key) is { } text
            && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? DateTime.SpecifyKind(day, DateTimeKind.Utc)
            : null;

    /// <summary>
    /// Values from <c>key=a,b</c> and/or repeated <c>key=</c> values, trimmed, without blanks or duplicates
    /// (first spelling kept), in the order given.
    /// </summary>
    public static IReadOnlyList<string> List(IReadOnlyDictionary<string, StringValues> query, string key)
    {
        if (!query.TryGetValue(key, out var values))
        {
            return [];
        }

        return values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(v => v.Length <= MaxTextLength)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary><c>1</c>/<c>true</c> or <c>0</c>/<c>false</c>, else null.</summary>
    public static bool? Bool(IReadOnlyDictionary<string, StringValues> query, string key) =>
        Text(query, key) is { } text && Import.ImportValues.TryParseBool(text, out var value) ? value : null;

    /// <summary>An enum member by its name (case-insensitive; never a number or a combination), else null.</summary>
    public static TEnum? Enum<TEnum>(IReadOnlyDictionary<string, StringValues> query, string key)
        where TEnum : struct, System.Enum =>
        // Letters only: Enum.TryParse would also take numbers and "a,b" flag combinations.
        Text(query, key) is { } text && text.All(char.IsAsciiLetter)
            && System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            ? value
            : null;

    /// <summary>
    /// Bands from <c>band=red,yellow</c> and/or repeated <c>band=</c> values; unknown names ignored.
    /// Returned in risk order (red, yellow, green) without duplicates.
    /// </summary>
    public static IReadOnlyList<Band> Bands(IReadOnlyDictionary<string, StringValues> query, string key)
    {
        if (!query.TryGetValue(key, out var values))
        {
            return [];
        }

        var found = new HashSet<Band>();
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            switch (part.ToLowerInvariant())
            {
                case "red": found.Add(Band.Red); break;
                case "yellow": found.Add(Band.Yellow); break;
                case "green": found.Add(Band.Green); break;
            }
        }

        return InRiskOrder(found);
    }

    /// <summary>The bands in risk order, red first, without duplicates.</summary>
    public static IReadOnlyList<Band> InRiskOrder(IEnumerable<Band> bands)
    {
        var set = bands.ToHashSet();
        return new[] { Band.Red, Band.Yellow, Band.Green }.Where(set.Contains).ToArray();
    }

    /// <summary>Writes <c>key=value</c> pairs, skipping null values, escaped, joined by <c>&amp;</c> (no leading <c>?</c>).</summary>
    public static string Build(params (string Key, string? Value)[] pairs)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (value is null)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            // A comma is legal in a query and reads better in a link (band=red,yellow).
            builder.Append(key).Append('=').Append(Uri.EscapeDataString(value).Replace("%2C", ",", StringComparison.Ordinal));
        }

        return builder.ToString();
    }

    /// <summary>The invariant text of a number, null when absent.</summary>
    public static string? Format(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A calendar day as <c>yyyy-MM-dd</c>, null when absent.</summary>
    public static string? Format(DateTime? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The invariant text of a whole number, null when absent.</summary>
    public static string? Format(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Bands as <c>red,yellow</c>, null when none.</summary>
    public static string? Format(IReadOnlyList<Band> bands) =>
        bands.Count == 0 ? null : string.Join(',', InRiskOrder(bands).Select(b => b.ToKey()));

    /// <summary>An enum member as the lower-case name the reader accepts.</summary>
    public static string Format<TEnum>(TEnum value) where TEnum : struct, System.Enum => value.ToString().ToLowerInvariant();
}
