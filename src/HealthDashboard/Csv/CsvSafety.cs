using System.Globalization;

namespace HealthDashboard.Csv;

/// <summary>
/// CSV formula injection (issue 10): a spreadsheet runs a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, tab or carriage return as a formula, so an account named <c>=HYPERLINK(...)</c> in an export
/// could act on the reader's machine. Such text gets a leading apostrophe (OWASP's advice), which spreadsheets
/// hide and read as "this is text". A real number such as <c>-12.50</c> is left alone, so exports stay numeric
/// and the importer still reads negative numbers.
/// </summary>
public static class CsvSafety
{
    /// <summary>The text made inert for spreadsheets, or unchanged when it is safe or a plain number.</summary>
    public static string Neutralize(string field)
    {
        if (field.Length == 0 || field[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r'))
        {
            return field;
        }

        return double.TryParse(field, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out _) ? field : "'" + field;
    }

    /// <summary>One record of an export: every field neutralised, then written by <see cref="CsvWriter.Record"/>.</summary>
    public static string Record(IEnumerable<string?> fields) => CsvWriter.Record(fields.Select(f => f is null ? null : Neutralize(f)));
}
