using System.Globalization;
using System.Text;
using HealthDashboard.Import;
using HealthDashboard.Scoring;

namespace HealthDashboard.Csv;

/// <summary>
/// The one CSV writer of the product, with one rule set for the exports, the command line's verbs, the demo
/// data set and the bench's import folders:
/// <list type="bullet">
/// <item>UTF-8 without a byte-order mark; records end with LF (what the <c>scores</c> verb has always printed,
/// and what Python's csv module, spreadsheets and Unix tools all read);</item>
/// <item>RFC 4180 quoting: a field holding a comma, a double quote, a line break or an edge space is quoted,
/// inner quotes doubled; an empty or null field is empty;</item>
/// <item>scores and amounts in exports with two decimals rounded half away from zero (SCORING.md), never <c>-0.00</c>; data values
/// (weights, money, counts) in their shortest round-trip form; times as <c>yyyy-MM-ddTHH:mm:ssZ</c>, dates as
/// <c>yyyy-MM-dd</c>; all in the invariant culture.</item>
/// </list>
/// Written by hand rather than with CsvHelper or Sep: the whole rule set is these few functions, and the hot
/// paths (a million-row demo usage file, a 10,000-account export) stream records without per-field objects.
/// </summary>
public sealed class CsvWriter(TextWriter writer)
{
    /// <summary>The record separator.</summary>
    public const char LineEnd = '\n';

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes one record.</summary>
    public Task WriteRecordAsync(IEnumerable<string?> fields, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(Record(fields).AsMemory(), cancellationToken);

    /// <summary>Writes the header row of an import file (its columns in DATA.md's order).</summary>
    public Task WriteHeaderAsync(ImportFileSpec file, CancellationToken cancellationToken = default) =>
        WriteRecordAsync(file.Columns, cancellationToken);

    /// <summary>
    /// Writes a whole import file of DATA.md into <paramref name="directory"/>: its header from
    /// <paramref name="file"/>, then one record per row (fields in the order of the file's columns).
    /// </summary>
    public static async Task WriteImportFileAsync(string directory, ImportFileSpec file, IEnumerable<IEnumerable<string?>> rows, CancellationToken cancellationToken = default)
    {
        await using var stream = new StreamWriter(Path.Combine(directory, file.Name), append: false, Utf8, bufferSize: 1 << 16);
        var csv = new CsvWriter(stream);
        await csv.WriteHeaderAsync(file, cancellationToken);
        foreach (var row in rows)
        {
            await csv.WriteRecordAsync(row, cancellationToken);
        }
    }

    /// <summary>One record: the fields quoted where needed, joined by commas, ended by <see cref="LineEnd"/>.</summary>
    public static string Record(IEnumerable<string?> fields)
    {
        var builder = new StringBuilder();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            AppendField(builder, field);
        }

        return builder.Append(LineEnd).ToString();
    }

    /// <summary>One field as written: quoted when it holds a delimiter, a quote, a line break or an edge space.</summary>
    public static string Field(string? value)
    {
        var builder = new StringBuilder();
        AppendField(builder, value);
        return builder.ToString();
    }

    /// <summary>A score or an amount as exports show it: two decimals, half away from zero, never <c>-0.00</c>; empty when null.</summary>
    public static string TwoDecimals(double? value)
    {
        if (value is not { } x)
        {
            return "";
        }

        var rounded = Indicators.RoundAway(x, 2);
        return (rounded == 0 ? 0 : rounded).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>A data value (a weight, an amount of money, a count) in its shortest round-trip form; empty when null.</summary>
    public static string Number(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>A whole number; empty when null.</summary>
    public static string Whole(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A date as <c>yyyy-MM-dd</c>; empty when null.</summary>
    public static string Date(DateTime? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A UTC time as <c>yyyy-MM-ddTHH:mm:ssZ</c>; empty when null.</summary>
    public static string Time(DateTime? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    private static void AppendField(StringBuilder builder, string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return;
        }

        // Quote when a delimiter, quote or line break is inside, or spaces at the edges would be trimmed by readers.
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0 && field[0] != ' ' && field[^1] != ' ')
        {
            builder.Append(field);
            return;
        }

        builder.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
