using HealthDashboard.Bench.Synthetic;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

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

        // The same portfolio over six segments, five with a model of their own (issue 13): the editor previews one
        // segment model's draft in its place, every other model as saved, and compares only that model's accounts.
        var segmented = SegmentedSaved(saved, portfolio.Model);
        var segment = ModelKey.ForSegment("S0");
        var segmentChanged = 0L;
        var segmentCompute = Timing.Measure(scale.Warmups, scale.Runs, run => segmentChanged += preview.Compute(segmented, segment, drafts[run]).Changed);
        log.WriteLine($"  ({segmentChanged / (scale.Warmups + scale.Runs):N0} of the S0 model's accounts changed per move on average)");

        return Task.FromResult<IReadOnlyList<Figure>>(
        [
            new(5, $"Preview after a slider move, {saved.Scores.AccountCount:N0} accounts (ModelPreview.Compute): median of {compute.Count}", compute.Median, "ms", Target.Under(50)),
            new(5, "Preview: p95", compute.P95, "ms"),
            new(5, $"Preview of one segment model's draft (five segment models saved, {saved.Scores.AccountCount:N0} accounts): median of {segmentCompute.Count}", segmentCompute.Median, "ms", Target.Under(50)),
            new(5, "Segment model preview: p95", segmentCompute.P95, "ms"),
        ]);
    }

    /// <summary>The saved portfolio with its accounts spread over six segments (round-robin), five of them with a model of their own.</summary>
    private static ScoredPortfolio SegmentedSaved(ScoredPortfolio saved, ScoringModel model)
    {
        var source = saved.Data;
        var accounts = source.Accounts.Select((a, i) => a with { Segment = $"S{i % 6}" }).ToList();
        var data = new PortfolioData(accounts, source.Users, source.EventTypeKeys, source.Usage.ToArray(), source.Tickets, source.Surveys, source.Revenue,
            source.EventTypeNames, source.Overrides, source.Metrics);
        var models = new ScoringModelSet(model, Enumerable.Range(0, 5).ToDictionary(i => $"S{i}", _ => model))
        {
            Versions = Enumerable.Range(0, 5).ToDictionary(i => ModelKey.ForSegment($"S{i}"), i => i + 2),
        };
        return ScoringService.Score(data, saved.AsOf, models);
    }
}
