using HealthDashboard.Bench.Synthetic;
using HealthDashboard.ModelVersions;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 5: the model editor's live preview. The saved portfolio is scored in memory once (as the score
/// board holds it); each timed run is one ModelPreview.Compute after a slider move: validate the draft,
/// re-score every account and user from the aggregates, compare with the saved scores (band counts,
/// movers, histograms, the top changes).
/// </summary>
public sealed class PreviewBench : BenchPart
{
    public override int Number => 5;

    public override string Title => "model editor preview";

    public override Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var portfolio = SyntheticPortfolio.Generate(scale.Portfolio);
        var saved = portfolio.ScoreInMemory();
        var preview = new ModelPreview();
        var drafts = Enumerable.Range(1, scale.Warmups + scale.Runs).Select(portfolio.ModelAfterSliderMove).ToArray();

        var changed = 0L;
        var compute = Timing.Measure(scale.Warmups, scale.Runs, run => changed += preview.Compute(saved, drafts[run]).Changed);
        log.WriteLine($"  ({changed / (scale.Warmups + scale.Runs):N0} accounts changed per move on average)");

        return Task.FromResult<IReadOnlyList<Figure>>(
        [
            new(5, $"Preview after a slider move, {saved.Scores.AccountCount:N0} accounts (ModelPreview.Compute): median of {compute.Count}", compute.Median, "ms", Target.Under(50)),
            new(5, "Preview: p95", compute.P95, "ms"),
        ]);
    }
}
