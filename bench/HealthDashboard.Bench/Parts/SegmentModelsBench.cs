using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Scoring;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 13: scoring with segment models and custom indicators (issues 13 and 15), from aggregates already built
/// (the editor's and the board's re-score). The portfolio's accounts are spread over six segments, five of which
/// get a model of their own (the sixth stays on the default); custom indicators read a year of monthly metric rows
/// per account. Each figure is the scorer alone: the cost the models add, not the usage scan they share.
/// </summary>
public sealed class SegmentModelsBench : BenchPart
{
    public override int Number => 13;

    public override string Title => "segment models and custom indicators";

    public override Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var portfolio = SyntheticPortfolio.Generate(scale.Portfolio);
        var source = portfolio.ToPortfolioData();
        var random = new Random(15);
        var asOf = PortfolioSpec.AsOf;
        // Six segments round-robin; two metrics with a monthly value over the last year per account.
        var accounts = source.Accounts.Select((a, i) => a with { Segment = $"S{i % 6}" }).ToList();
        var metrics = new List<MetricRow>();
        for (var a = 0; a < accounts.Count; a++)
        {
            for (var month = 0; month < 12; month++)
            {
                var at = asOf.AddDays(-30 * month - random.Next(0, 30)).Ticks;
                metrics.Add(new MetricRow(a, "onboarding_progress", at, random.Next(0, 101), metrics.Count));
                metrics.Add(new MetricRow(a, "sponsor_sentiment", at, random.NextDouble() * 10, metrics.Count));
            }
        }

        var data = new PortfolioData(accounts, source.Users, source.EventTypeKeys, source.Usage.ToArray(), source.Tickets, source.Surveys, source.Revenue,
            source.EventTypeNames, metrics: metrics);
        var aggregates = WindowAggregates.Build(data, asOf, PortfolioSpec.WindowDays);
        WindowAggregates Cached(int windowDays) => aggregates;

        var model = portfolio.Model;
        var single = ScoringModelSet.Of(model);
        var fiveSegments = new ScoringModelSet(model, Enumerable.Range(0, 5).ToDictionary(
            i => $"S{i}", i => model.WithEventType(data.EventTypeKeys[i % data.EventTypeKeys.Count], new EventTypeSettings(i + 2))));
        CustomIndicator Onboarding() => new() { Key = "onboarding", Name = "Onboarding progress", Metric = "onboarding_progress", Weight = 10 };
        CustomIndicator Sponsor() => new() { Key = "sponsor", Name = "Exec sponsor", Metric = "sponsor_sentiment", Weight = 10, Scoring = CustomScoring.Curve };
        var oneCustom = ScoringModelSet.Of(model with { CustomIndicators = [Onboarding()] });
        var twoCustom = ScoringModelSet.Of(model with { CustomIndicators = [Onboarding(), Sponsor()] });

        // The four are timed in turn within each run, so a busy machine slows them alike and the ratios hold. The
        // scoring thread's CPU time is recorded beside the wall time: the custom indicators' share is a few tenths of
        // a millisecond, which wall times on a loaded shared machine bury in noise.
        var sum = 0.0;
        ScoringModelSet[] sets = [single, fiveSegments, oneCustom, twoCustom];
        var times = sets.Select(_ => new List<double>()).ToArray();
        var cpuTimes = sets.Select(_ => new List<double>()).ToArray();
        for (var run = 0; run < scale.Warmups + (scale.Runs * 4); run++)
        {
            for (var s = 0; s < sets.Length; s++)
            {
                var cpu = Timing.ThreadCpuMilliseconds();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                sum += Scorer.Score(data, asOf, sets[s], Cached).Health[0];
                if (run >= scale.Warmups)
                {
                    times[s].Add(watch.Elapsed.TotalMilliseconds);
                    cpuTimes[s].Add(Timing.ThreadCpuMilliseconds() - cpu);
                }
            }
        }

        var (defaultOnly, segments, one, two) = (new Samples(times[0]), new Samples(times[1]), new Samples(times[2]), new Samples(times[3]));
        var (defaultCpu, oneCpu, twoCpu) = (new Samples(cpuTimes[0]), new Samples(cpuTimes[2]), new Samples(cpuTimes[3]));
        log.WriteLine($"  (checksum {sum:0.00})");

        var size = $"{aggregates.Accounts.Length:N0} accounts";
        return Task.FromResult<IReadOnlyList<Figure>>(
        [
            new(13, $"Score {size} with the default model alone: median of {defaultOnly.Count}", defaultOnly.Median, "ms"),
            new(13, "Score with five segment models (six groups)", segments.Median, "ms"),
            new(13, "  five segment models / default alone", segments.Median / defaultOnly.Median, "x", Target.Under(1.5)),
            new(13, "Score with one custom indicator (direct)", one.Median, "ms"),
            new(13, "  added by the first custom indicator", (one.Median / defaultOnly.Median) - 1, "fraction", Target.Under(0.10)),
            new(13, "Score with two custom indicators (direct + curve)", two.Median, "ms"),
            new(13, "  added per custom indicator (two)", ((two.Median / defaultOnly.Median) - 1) / 2, "fraction", Target.Under(0.10)),
            new(13, $"Scoring thread's CPU time, default model alone: median of {defaultCpu.Count}", defaultCpu.Median, "ms"),
            new(13, "  CPU time added by the first custom indicator", (oneCpu.Median / defaultCpu.Median) - 1, "fraction", Target.Under(0.10)),
            new(13, "  CPU time added per custom indicator (two)", ((twoCpu.Median / defaultCpu.Median) - 1) / 2, "fraction", Target.Under(0.10)),
        ]);
    }
}
