namespace HealthDashboard.Import;

/// <summary>
/// A reason an import was refused, shown as <c>file:line: column: what is wrong</c>
/// (line and column are left out when the problem concerns a whole file).
/// </summary>
/// <param name="File">The file name (or the folder, when the folder itself is the problem).</param>
/// <param name="Line">1-based line of the record (1 is the header), if the problem is in a record.</param>
/// <param name="Column">The column (as DATA.md names it), if the problem is in one cell or column.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record ImportProblem(string File, int? Line, string? Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => ImportLog.Escape(
        (Line is { } line ? $"{File}:{line}: " : $"{File}: ")
        + (Column is not null ? $"{Column}: " : "")
        + Message);
}

/// <summary>How many rows one file brought.</summary>
/// <param name="FileName">The file name as DATA.md spells it, e.g. <c>usage.csv</c>.</param>
/// <param name="Rows">Data rows imported (the header not counted).</param>
public sealed record ImportedFileRows(string FileName, int Rows);

/// <summary>The outcome of an import: imported (with rows per file) or refused (with the problems).</summary>
public sealed class ImportResult
{
    /// <summary>At most this many problems are kept; <see cref="ProblemCount"/> has the total.</summary>
    public const int MaxProblems = 100;

    /// <summary>True when the data was committed; false when the import was refused and nothing changed.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Rows per file, in import order (files that were present; empty when refused).</summary>
    public IReadOnlyList<ImportedFileRows> Files { get; init; } = [];

    /// <summary>The first <see cref="MaxProblems"/> things worth knowing that did not refuse the import (unknown columns ignored, empty files...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>All warnings found, including those not kept in <see cref="Warnings"/>.</summary>
    public int WarningCount { get; init; }

    /// <summary>The first <see cref="MaxProblems"/> problems, in the order found.</summary>
    public IReadOnlyList<ImportProblem> Problems { get; init; } = [];

    /// <summary>All problems found, including those not kept in <see cref="Problems"/>.</summary>
    public int ProblemCount { get; init; }

    /// <summary>The recorded import batch (null when refused).</summary>
    public int? BatchId { get; init; }

    /// <summary>The scoring model version the import created from event_types.csv, if it created one.</summary>
    public int? NewModelVersion { get; init; }

    /// <summary>
    /// True when nothing was imported because the batch's idempotency key was seen before: the result is
    /// that earlier import's (<see cref="BatchId"/>, <see cref="Files"/>).
    /// </summary>
    public bool Replayed { get; init; }

    /// <summary>True when the import was refused because another program held the database's write lock: try again.</summary>
    public bool DatabaseBusy { get; init; }

    /// <summary>
    /// Wall time per stage of a successful import, in the order they ran (empty when refused): where an import spends
    /// its time, for the log and the bench. A file's stage includes the time spent inserting its rows, which the
    /// <c>usage inserts</c> stage also shows on its own.
    /// </summary>
    public IReadOnlyList<ImportStage> Stages { get; init; } = [];

    /// <summary>When the import was committed (UTC), or attempted when refused.</summary>
    public DateTime ImportedAt { get; init; }

    /// <summary>
    /// One line for people and logs: <c>imported accounts.csv 300, users.csv 4000, usage.csv 1000000</c>,
    /// or <c>refused: 3 problems</c>.
    /// </summary>
    public string Summary => Succeeded
        ? SummaryOf(Files)
        : $"refused: {ProblemCount} problem{(ProblemCount == 1 ? "" : "s")}";

    /// <summary>The summary of a successful import of these files.</summary>
    public static string SummaryOf(IReadOnlyList<ImportedFileRows> files) =>
        files.Count == 0 ? "nothing to import" : "imported " + string.Join(", ", files.Select(f => $"{f.FileName} {f.Rows}"));

    /// <summary>Total data rows imported.</summary>
    public long TotalRows => Files.Sum(f => (long)f.Rows);
}
