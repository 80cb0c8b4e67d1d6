namespace HealthDashboard.Import;

/// <summary>Collects the problems (the first <see cref="ImportResult.MaxProblems"/> and a count) and warnings of one import.</summary>
internal sealed class ImportLog
{
    private readonly List<ImportProblem> _problems = [];
    private readonly List<string> _warnings = [];

    /// <summary>Problems found so far (all of them, not only the kept ones).</summary>
    public int ProblemCount { get; private set; }

    /// <summary>True once any problem was found: the import will be refused, so nothing more needs writing.</summary>
    public bool HasProblems => ProblemCount > 0;

    public IReadOnlyList<ImportProblem> Problems => _problems;

    public IReadOnlyList<string> Warnings => _warnings;

    public void Problem(string file, int? line, string? column, string message)
    {
        ProblemCount++;
        if (_problems.Count < ImportResult.MaxProblems)
        {
            _problems.Add(new ImportProblem(file, line, column, message));
        }
    }

    public void Warning(string message) => _warnings.Add(message);

    /// <summary>A cell value quoted for a message, shortened so a huge cell cannot flood the report.</summary>
    public static string Quote(ReadOnlySpan<char> value) =>
        value.Length <= 40 ? $"'{value}'" : $"'{value[..37]}...'";
}
