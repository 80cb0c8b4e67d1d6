namespace HealthDashboard.Bench;

/// <summary>One part of the bench. Each runs in a child process of its own so its peak memory is its own.</summary>
public abstract class BenchPart
{
    /// <summary>The part's number in the issues.</summary>
    public abstract int Number { get; }

    /// <summary>A few words for the peak-memory line.</summary>
    public abstract string Title { get; }

    /// <summary>One-time preparation (generating files), run in a child of its own before the measured one.</summary>
    public virtual Task PrepareAsync(Scale scale, TextWriter log) => Task.CompletedTask;

    /// <summary>Measures and returns the part's figures.</summary>
    public abstract Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log);

    /// <summary>The parts this build contains, in order.</summary>
    public static IReadOnlyList<BenchPart> All { get; } =
    [
        new Parts.RescoreBench(),
        new Parts.SqliteScoringBench(),
        new Parts.ImportBench(),
        new Parts.PreviewBench(),
        new Parts.AccountsPageBench(),
        new Parts.AccountsPageRenderBench(),
        new Parts.CircuitMemoryBench(),
        new Parts.IngestBench(),
        new Parts.SegmentModelsBench(),
        new Parts.BacktestBench(),
        new Parts.RefreshBench(),
        new Parts.CsvParsersBench(),
        new Parts.ActionsBench(),
        new Parts.HistoryBench(),
        new Parts.StartupBench(),
        new Parts.PostgresScoringBench(),
        new Parts.HundredMillionBench(),
    ];
}
