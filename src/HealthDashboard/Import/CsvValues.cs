using System.Globalization;

namespace HealthDashboard.Import;

/// <summary>Parsing of the cell values DATA.md defines (times, booleans, numbers).</summary>
public static class CsvValues
{
    private static readonly string[] DateOnlyFormats = ["yyyy-MM-dd"];

    /// <summary>
    /// ISO 8601 with a zone or Z (converted to UTC), or a date alone (00:00 UTC).
    /// A time without a zone is read as UTC.
    /// </summary>
    public static bool TryParseTime(string text, out DateTime utc)
    {
        text = text.Trim();
        if (DateTime.TryParseExact(text, DateOnlyFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out utc))
        {
            return true;
        }

        if (text.Length >= 16 && text[4] == '-' && text[7] == '-' && (text[10] == 'T' || text[10] == 't' || text[10] == ' ')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var offset))
        {
            utc = offset.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }

    /// <summary><c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>, case-insensitive.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1":
                value = true;
                return true;
            case "false" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
