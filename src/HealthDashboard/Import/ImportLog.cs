namespace HealthDashboard.Import;

/// <summary>Collects the problems (the first <see cref="ImportResult.MaxProblems"/> and a count) and warnings of one import.</summary>
internal sealed class ImportLog
{
    private readonly List<ImportProblem> problems = [];
    private readonly List<string> warnings = [];

    /// <summary>Problems found so far (all of them, not only the kept ones).</summary>
    public int ProblemCount { get; private set; }

    /// <summary>True once any problem was found: the import will be refused, so nothing more needs writing.</summary>
    public bool HasProblems => ProblemCount > 0;

    public IReadOnlyList<ImportProblem> Problems => this.problems;

    public IReadOnlyList<string> Warnings => this.warnings;

    public void Problem(string file, int? line, string? column, string message)
    {
        ProblemCount++;
        if (this.problems.Count < ImportResult.MaxProblems)
        {
            this.problems.Add(new ImportProblem(file, line, column, message));
        }
    }

    /// <summary>Warnings found so far (all of them, not only the kept ones).</summary>
    public int WarningCount { get; private set; }

    /// <summary>Keeps the first <see cref="ImportResult.MaxProblems"/> warnings, counts the rest (a header of 100,000 unknown columns).</summary>
    public void Warning(string message)
    {
        WarningCount++;
        if (this.warnings.Count < ImportResult.MaxProblems)
        {
            this.warnings.Add(message);
        }
    }

    /// <summary>
    /// A cell value quoted for a message, shortened so a huge cell cannot flood the report, with line
    /// breaks and other control characters escaped so that one problem stays one line.
    /// </summary>
    public static string Quote(ReadOnlySpan<char> value) =>
        value.Length <= 40 ? $"'{Escape(value)}'" : $"'{Escape(value[..37])}...'";

    /// <summary>Control characters as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\u001b</c>: one message, one line.</summary>
    public static string Escape(ReadOnlySpan<char> text)
    {
        if (!text.ContainsAnyInRange('\0', '\u001f') && !text.Contains('\u007f') && !text.Contains('\u2028') && !text.Contains('\u2029'))
        {
            return text.ToString();
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or '\u007f' or '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
