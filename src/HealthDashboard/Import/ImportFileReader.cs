using System.Diagnostics.CodeAnalysis;

namespace HealthDashboard.Import;

/// <summary>A column of an open <see cref="ImportFileReader"/>: its field index (-1 when the file lacks it) and its name.</summary>
internal readonly record struct ImportColumn(int Index, string Name)
{
    public bool IsPresent => Index >= 0;
}

/// <summary>
/// One import file being read: the header mapped to DATA.md's columns (case-insensitive, any order,
/// unknown columns warned about), then the rows, with typed cell readers that report what is wrong
/// as <c>file:line: column: message</c>. A reader returns false after reporting a problem.
/// </summary>
internal sealed class ImportFileReader
{
    private readonly CsvReader reader;
    private readonly ImportLog log;
    private readonly Dictionary<string, int> columns;
    private readonly int headerFields;

    private readonly DateTime importedAt;
    private readonly (int Index, string Name)[] knownColumns;

    private ImportFileReader(CsvReader reader, ImportLog log, ImportFileSpec spec, Dictionary<string, int> columns, int headerFields, DateTime importedAt)
    {
        this.reader = reader;
        this.log = log;
        Spec = spec;
        this.columns = columns;
        this.headerFields = headerFields;
        this.importedAt = importedAt;
        knownColumns = [.. columns.Select(c => (c.Value, c.Key)).OrderBy(c => c.Value)];
    }

    public ImportFileSpec Spec { get; }

    public string FileName => Spec.Name;

    /// <summary>Data records read so far (good or bad, the header not counted).</summary>
    public int RecordsRead { get; private set; }

    /// <summary>Line of the current row.</summary>
    public int Line => this.reader.Line;

    /// <summary>
    /// Reads and checks the header. Null when the file is empty (a warning) or lacks a required
    /// column (a problem per missing column): its rows are then not read.
    /// </summary>
    public static async Task<ImportFileReader?> OpenAsync(CsvReader reader, ImportFileSpec spec, ImportLog log, DateTime importedAt, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            log.Warning($"{spec.Name}: the file is empty (no header); nothing imported from it.");
            return null;
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicate = false;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader[i].Trim().ToString().ToLowerInvariant();
            if (!spec.Knows(name))
            {
                log.Warning($"{spec.Name}: column {ImportLog.Quote(reader[i])} is not a column of {spec.Name} and was ignored.");
            }
            else if (!columns.TryAdd(name, i))
            {
                log.Problem(spec.Name, reader.Line, name, "the column appears twice in the header");
                duplicate = true;
            }
        }

        var missing = spec.Required.Where(c => !columns.ContainsKey(c)).ToList();
        foreach (var column in missing)
        {
            log.Problem(spec.Name, reader.Line, column, "required column is missing");
        }

        return missing.Count > 0 || duplicate ? null : new ImportFileReader(reader, log, spec, columns, reader.FieldCount, importedAt);
    }

    /// <summary>The column named <paramref name="name"/> (lower case, as in DATA.md).</summary>
    public ImportColumn Column(string name) => new(this.columns.TryGetValue(name, out var index) ? index : -1, name);

    /// <summary>True when the header has the column.</summary>
    public bool Has(string name) => this.columns.ContainsKey(name);

    /// <summary>Moves to the next row; a row whose field count differs from the header's is reported and skipped.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (await this.reader.ReadAsync(cancellationToken))
        {
            RecordsRead++;
            if (this.reader.FieldCount == this.headerFields)
            {
                foreach (var (index, name) in knownColumns)
                {
                    if (this.reader[index].Length > ImportLimits.MaxCellLength)
                    {
                        this.log.Problem(FileName, this.reader.Line, name,
                            $"the value is {this.reader[index].Length:#,0} characters long; at most {ImportLimits.MaxCellLength:#,0} are taken");
                    }
                }

                return true;
            }

            this.log.Problem(FileName, this.reader.Line, null, $"the row has {this.reader.FieldCount} fields, the header has {this.headerFields}");
        }

        return false;
    }

    /// <summary>The cell, trimmed; empty when the file lacks the column.</summary>
    public ReadOnlySpan<char> Cell(ImportColumn column) => column.IsPresent ? this.reader[column.Index].Trim() : [];

    /// <summary>Reports a problem in a cell of the current row.</summary>
    public void Problem(ImportColumn column, string message) => this.log.Problem(FileName, Line, column.Name, message);

    /// <summary>The cell as text, null when empty.</summary>
    public string? Text(ImportColumn column)
    {
        var cell = Cell(column);
        return cell.IsEmpty ? null : cell.ToString();
    }

    /// <summary>A required text cell.</summary>
    public bool RequiredText(ImportColumn column, [NotNullWhen(true)] out string? value)
    {
        value = Text(column);
        if (value is null)
        {
            Problem(column, "required value is empty");
            return false;
        }

        return true;
    }

    /// <summary>
    /// An ISO 8601 time (null when empty and not required) from 1900 to <paramref name="yearsAhead"/> years
    /// after the import.
    /// </summary>
    public bool Time(ImportColumn column, bool required, out DateTime? value, int yearsAhead = ImportLimits.YearsAhead)
    {
        value = null;
        var cell = Cell(column);
        if (cell.IsEmpty)
        {
            return !required || ReportEmpty(column);
        }

        if (!ImportValues.TryParseTime(cell, out var time))
        {
            Problem(column, $"{ImportLog.Quote(cell)} is not an ISO 8601 time or date");
            return false;
        }

        if (!InTimeRange(column, cell, time, yearsAhead))
        {
            return false;
        }

        value = time;
        return true;
    }

    /// <summary>Reports a time before 1900 or more than <paramref name="yearsAhead"/> years after the import.</summary>
    public bool InTimeRange(ImportColumn column, ReadOnlySpan<char> cell, DateTime time, int yearsAhead = ImportLimits.YearsAhead)
    {
        if (time < ImportLimits.EarliestTime)
        {
            Problem(column, $"{ImportLog.Quote(cell)} is before {ImportLimits.EarliestTime:yyyy-MM-dd}");
            return false;
        }

        var latest = this.importedAt.AddYears(yearsAhead);
        if (time > latest)
        {
            Problem(column, $"{ImportLog.Quote(cell)} is more than {yearsAhead} year{(yearsAhead == 1 ? "" : "s")} in the future (after {latest:yyyy-MM-dd})");
            return false;
        }

        return true;
    }

    /// <summary>A finite number in [min, max] (null when empty and not required).</summary>
    public bool Number(ImportColumn column, double min, double max, bool required, out double? value)
    {
        value = null;
        var cell = Cell(column);
        if (cell.IsEmpty)
        {
            return !required || ReportEmpty(column);
        }

        if (!ImportValues.TryParseNumber(cell, out var number))
        {
            Problem(column, $"{ImportLog.Quote(cell)} is not a number");
            return false;
        }

        if (number < min || number > max)
        {
            Problem(column, $"{ImportLog.Quote(cell)} is out of range ({Range(min, max)})");
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>A whole number in [min, max] (null when empty).</summary>
    public bool Whole(ImportColumn column, int min, int max, out int? value)
    {
        value = null;
        var cell = Cell(column);
        if (cell.IsEmpty)
        {
            return true;
        }

        if (ImportValues.TryParseWhole(cell, out var whole) && whole >= min && whole <= max)
        {
            value = whole;
            return true;
        }

        ReportNotWhole(column, cell, min, max);
        return false;
    }

    /// <summary>A boolean (true/false/1/0), null when empty.</summary>
    public bool Bool(ImportColumn column, out bool? value)
    {
        value = null;
        var cell = Cell(column);
        if (cell.IsEmpty)
        {
            return true;
        }

        if (!ImportValues.TryParseBool(cell, out var flag))
        {
            Problem(column, $"{ImportLog.Quote(cell)} is not a boolean (true, false, 1 or 0)");
            return false;
        }

        value = flag;
        return true;
    }

    /// <summary>Reports why a cell is not a whole number in [min, max].</summary>
    public void ReportNotWhole(ImportColumn column, ReadOnlySpan<char> cell, int min, int max)
    {
        // A whole number outside the range (including beyond int) is out of range; anything else,
        // "2.5" or "1e3" alike, is not written as a whole number.
        var outOfRange = ImportValues.TryParseNumber(cell, out var number) && Math.Floor(number) == number && (number < min || number > max);
        Problem(column, outOfRange
            ? $"{ImportLog.Quote(cell)} is out of range ({Range(min, max)})"
            : $"{ImportLog.Quote(cell)} is not a whole number");
    }

    private bool ReportEmpty(ImportColumn column)
    {
        Problem(column, "required value is empty");
        return false;
    }

    private static string Range(double min, double max) =>
        max == double.MaxValue ? $"at least {min:#,0.##}" : $"{min:#,0.##} to {max:#,0.##}";
}
