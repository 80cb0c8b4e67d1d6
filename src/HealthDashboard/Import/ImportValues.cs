using System.Globalization;

namespace HealthDashboard.Import;

/// <summary>Parsing of the cell values DATA.md defines (times, booleans, numbers).</summary>
public static class ImportValues
{
    private static readonly string[] DateOnlyFormats = ["yyyy-MM-dd"];

    /// <summary>
    /// ISO 8601 with a zone or Z (converted to UTC), or a date alone (00:00 UTC).
    /// A time without a zone is read as UTC.
    /// </summary>
    public static bool TryParseTime(string text, out DateTime utc) => TryParseTime(text.AsSpan(), out utc);

    /// <inheritdoc cref="TryParseTime(string, out DateTime)"/>
    public static bool TryParseTime(ReadOnlySpan<char> text, out DateTime utc)
    {
        text = text.Trim();
        if (TryParseCommonTime(text, out utc))
        {
            return true;
        }

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
    public static bool TryParseBool(string text, out bool value) => TryParseBool(text.AsSpan(), out value);

    /// <inheritdoc cref="TryParseBool(string, out bool)"/>
    public static bool TryParseBool(ReadOnlySpan<char> text, out bool value)
    {
        text = text.Trim();
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text is "1")
        {
            value = true;
            return true;
        }

        value = false;
        return text.Equals("false", StringComparison.OrdinalIgnoreCase) || text is "0";
    }

    /// <summary>A finite decimal number (invariant culture: <c>.</c> for decimals, exponent allowed; no NaN or infinity).</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>A whole number in the range of <see cref="int"/> (no decimals, no thousands separators).</summary>
    public static bool TryParseWhole(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// The fast path for the forms exports write almost always: <c>yyyy-MM-dd</c> and
    /// <c>yyyy-MM-ddTHH:mm[:ss[.fffffff]]</c> followed by <c>Z</c>, <c>±hh:mm</c> or nothing (UTC).
    /// Anything else falls through to the general parser.
    /// </summary>
    private static bool TryParseCommonTime(ReadOnlySpan<char> s, out DateTime utc)
    {
        utc = default;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (s.Length == 10)
        {
            utc = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
            return true;
        }

        if (s.Length < 16 || s[10] is not ('T' or 't' or ' ') || s[13] != ':'
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || hour > 23 || minute > 59)
        {
            return false;
        }

        var i = 16;
        var second = 0;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!TryDigits(s, i + 1, 2, out second) || second > 59)
            {
                return false;
            }

            i += 3;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                var scale = TimeSpan.TicksPerSecond / 10;
                var digits = 0;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    fractionTicks += (s[i] - '0') * scale;
                    scale /= 10;
                    digits++;
                    i++;
                }

                if (digits == 0)
                {
                    return false;
                }
            }
        }

        var offsetMinutes = 0;
        if (i < s.Length)
        {
            if (s[i] is 'Z' or 'z' && i + 1 == s.Length)
            {
                // UTC.
            }
            else if (s[i] is '+' or '-' && i + 6 == s.Length && s[i + 3] == ':'
                && TryDigits(s, i + 1, 2, out var offsetHours) && TryDigits(s, i + 4, 2, out var offsetMinutesPart)
                && offsetHours <= 14 && offsetMinutesPart <= 59)
            {
                offsetMinutes = (offsetHours * 60 + offsetMinutesPart) * (s[i] == '-' ? -1 : 1);
            }
            else
            {
                return false;
            }
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks;
        var ticks = local - offsetMinutes * TimeSpan.TicksPerMinute;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = value * 10 + (s[i] - '0');
        }

        return true;
    }
}
