using System.Runtime.CompilerServices;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.ModelVersions;

/// <summary>
/// The model editor's what-if: re-scores every account and user of the saved portfolio under a
/// draft model, from the aggregates already in memory (never the database), and compares the
/// result with the saved scores. Thread-safe; one instance is shared (singleton) so a window the
/// draft changes is aggregated once for everybody. The bench calls <see cref="Compute(ScoredPortfolio, ModelKey, ScoringModel, int)"/> directly.
/// </summary>
/// <remarks>
/// Changing W needs new aggregates: they are rebuilt from the portfolio data already loaded
/// (<see cref="WindowAggregates.Build(PortfolioData, DateTime, int, int)"/>) and cached per saved portfolio for the last W asked, so
/// dragging other sliders afterwards costs only the scoring. The dashboard loads
/// <see cref="LoadedUsageDays"/> days of usage; a longer draft window is previewed on what is loaded
/// (the result says so) while the saved model is scored on the full window. The score board's data holds
/// whole days as daily roll-up rows and only the days its own windows cut as raw rows, so a draft window
/// length reads the one day its window start cuts on demand (<see cref="ScoreBoard.DataExactAt"/>): one
/// day's rows once per W, rather than every day raw up front (the editor allows any W, so every loaded day
/// would be an edge day of some W and the roll-up would save nothing).
/// </remarks>
public sealed class ModelPreview(ScoreBoard? board = null)
{
    /// <summary>Default number of accounts in each top-changes list.</summary>
    public const int DefaultTake = 50;

    // Keyed by the saved portfolio so the cache dies with it when the board publishes new scores.
    private readonly ConditionalWeakTable<ScoredPortfolio, WindowAggregates> rebuilt = [];

    // The last preview computed per saved portfolio: every opening of the model editor previews the saved model
    // unchanged, which re-scored 10,000 accounts and 100,000 users each time (CPU, and ~4 MB of per-user arrays in
    // the large-object heap that only a full collection frees: bench part 18's peak working set). The result is
    // immutable, so every circuit can share it.
    private readonly ConditionalWeakTable<ScoredPortfolio, LastPreview> last = [];

    private sealed record LastPreview(ModelKey Key, ScoringModel Draft, int Take, ModelPreviewResult Result);

    /// <summary>Days of usage the score board holds in memory for a saved model (<see cref="ScoreBoard.LoadedUsageDays"/>).</summary>
    public static int LoadedUsageDays(ScoringModel savedModel) => ScoreBoard.LoadedUsageDays(savedModel.WindowDays);

    /// <summary>
    /// Scores <paramref name="saved"/>'s portfolio under <paramref name="draft"/> and compares it with the saved
    /// scores: band counts, movers, MRR into and out of red, histograms and the <paramref name="take"/> biggest changes.
    /// </summary>
    /// <exception cref="ArgumentException">The draft does not validate (<see cref="ScoringModel.Validate"/>).</exception>
    public ModelPreviewResult Compute(ScoredPortfolio saved, ScoringModel draft, int take = DefaultTake) =>
        Compute(saved, ModelKey.Default, draft, take);

    /// <summary>
    /// Scores <paramref name="saved"/>'s portfolio with <paramref name="draft"/> in the place of model <paramref name="key"/>
    /// (created when the saved set has none) and compares only that model's accounts (those it scores before or after
    /// the draft: an onboarding period changes who they are) with their saved scores, as SCORING.md's segment models
    /// read: each model is normalised among its own accounts.
    /// </summary>
    /// <exception cref="ArgumentException">The draft does not validate (<see cref="ScoringModel.Validate"/>).</exception>
    public ModelPreviewResult Compute(ScoredPortfolio saved, ModelKey key, ScoringModel draft, int take = DefaultTake)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(draft);
        var problems = draft.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The draft model is invalid: {problems[0].Message}", nameof(draft));
        }

        if (Kept(saved, key, draft, take) is { } kept)
        {
            return kept;
        }

        var after = Score(saved, key, draft);
        var subset = saved.Models.HasDefaultOnly && key.Kind == ModelKind.Default ? null : AccountsOf(saved.Scores, after, key);
        var result = Compare(saved, after, draft.WindowDays, take, subset, key);
        lock (last)
        {
            last.AddOrUpdate(saved, new LastPreview(key, draft, take, result));
        }

        return result;
    }

    /// <summary>
    /// The preview of <paramref name="draft"/> as model <paramref name="key"/> over <paramref name="saved"/> when it is the
    /// last one computed over that portfolio; null otherwise (nothing is computed). The model editor shows it at once
    /// on opening, in the prerender and the circuit's first render, instead of a spinner.
    /// </summary>
    public ModelPreviewResult? Kept(ScoredPortfolio saved, ModelKey key, ScoringModel draft, int take = DefaultTake)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(draft);
        lock (last)
        {
            return last.TryGetValue(saved, out var kept) && kept.Key == key && kept.Take == take && kept.Draft.Equals(draft) ? kept.Result : null;
        }
    }

    /// <summary>The accounts model <paramref name="key"/> scores in either scoring, in index order.</summary>
    private static int[] AccountsOf(PortfolioScores before, PortfolioScores after, ModelKey key)
    {
        var accounts = new List<int>();
        for (var a = 0; a < before.AccountCount; a++)
        {
            if (before.ModelKeyOf(a) == key || after.ModelKeyOf(a) == key)
            {
                accounts.Add(a);
            }
        }

        return [.. accounts];
    }

    /// <summary>The draft's scores of every account and user (what <see cref="Compute(ScoredPortfolio, ModelKey, ScoringModel, int)"/> compares), for tests and the bench.</summary>
    public PortfolioScores Score(ScoredPortfolio saved, ScoringModel draft) => Score(saved, ModelKey.Default, draft);

    /// <summary>
    /// The scores with <paramref name="draft"/> in the place of model <paramref name="key"/> and every other saved model
    /// as it is: only that model's accounts move, normalized among themselves (SCORING.md segment models).
    /// </summary>
    public PortfolioScores Score(ScoredPortfolio saved, ModelKey key, ScoringModel draft)
    {
        ArgumentNullException.ThrowIfNull(saved);
        return saved.Models.HasDefaultOnly && key.Kind == ModelKind.Default
            ? Scorer.Score(AggregatesFor(saved, draft.WindowDays), draft)
            : Scorer.Score(saved.Data, saved.AsOf, saved.Models.With(key, draft), windowDays => AggregatesFor(saved, windowDays));
    }

    /// <summary>The saved portfolio's aggregates for a window of <paramref name="windowDays"/>, rebuilt in memory when W differs.</summary>
    public WindowAggregates AggregatesFor(ScoredPortfolio saved, int windowDays)
    {
        ArgumentNullException.ThrowIfNull(saved);
        if (windowDays == saved.Aggregates.WindowDays)
        {
            return saved.Aggregates;
        }

        lock (rebuilt)
        {
            if (rebuilt.TryGetValue(saved, out var cached) && cached.WindowDays == windowDays)
            {
                return cached;
            }
        }

        // Built outside the lock: two callers may both build the same W once; neither waits on the other.
        // The board holds whole days as roll-up rows; the day the draft's window start cuts comes raw (one day's
        // rows read on demand) so the preview is exact, not just the saved model's windows.
        var data = board?.DataExactAt(saved, saved.AsOf.AddDays(-windowDays)) ?? saved.Data;
        var aggregates = WindowAggregates.Build(data, saved.AsOf, windowDays, WindowAggregates.AllCores);
        lock (rebuilt)
        {
            rebuilt.AddOrUpdate(saved, aggregates);
        }

        return aggregates;
    }

    private static ModelPreviewResult Compare(ScoredPortfolio saved, PortfolioScores after, int windowDays, int take, int[]? subset, ModelKey key)
    {
        var before = saved.Scores;
        var mrr = saved.Aggregates.Mrr;
        var count = before.AccountCount;
        if (after.AccountCount != count)
        {
            throw new InvalidOperationException("The draft scored a different population.");
        }

        var compared = subset?.Length ?? count;

        Span<int> bandBefore = stackalloc int[3], bandAfter = stackalloc int[3];
        Span<double> mrrBefore = stackalloc double[3], mrrAfter = stackalloc double[3];
        var histogramBefore = new int[ModelPreviewResult.HistogramBuckets];
        var histogramAfter = new int[ModelPreviewResult.HistogramBuckets];
        int movedUp = 0, movedDown = 0, intoRed = 0, outOfRed = 0, changed = 0, bandMoved = 0;
        double mrrIntoRed = 0, mrrOutOfRed = 0, sumBefore = 0, sumAfter = 0;

        // Ranking keys of the changed accounts (negated so an ascending sort puts the largest first).
        var changedIndex = new int[count];
        var changedKey = new double[count];
        var movedIndex = new int[count];
        var movedKey = new double[count];

        for (var i = 0; i < compared; i++)
        {
            var a = subset is null ? i : subset[i];
            double old = before.Health[a], now = after.Health[a];
            var oldBand = (int)Indicators.BandOf(before.Grades[a]);
            var newBand = (int)Indicators.BandOf(after.Grades[a]);
            bandBefore[oldBand]++;
            bandAfter[newBand]++;
            mrrBefore[oldBand] += mrr[a];
            mrrAfter[newBand] += mrr[a];
            histogramBefore[Bucket(old)]++;
            histogramAfter[Bucket(now)]++;
            sumBefore += old;
            sumAfter += now;

            var delta = Math.Abs(now - old);
            if (oldBand != newBand)
            {
                // Band enum runs Green, Yellow, Red: a smaller number is a better band.
                if (newBand < oldBand)
                {
                    movedUp++;
                }
                else
                {
                    movedDown++;
                }

                if (newBand == (int)Band.Red)
                {
                    intoRed++;
                    mrrIntoRed += mrr[a];
                }
                else if (oldBand == (int)Band.Red)
                {
                    outOfRed++;
                    mrrOutOfRed += mrr[a];
                }

                movedIndex[bandMoved] = a;
                movedKey[bandMoved] = -((Math.Abs(newBand - oldBand) * 1000) + delta);
                bandMoved++;
            }

            if (delta > 0 || oldBand != newBand)
            {
                changedIndex[changed] = a;
                changedKey[changed] = -delta;
                changed++;
            }
        }

        return new ModelPreviewResult
        {
            BaseVersion = saved.ModelVersion,
            AsOf = saved.AsOf,
            Before = new(bandBefore[0], bandBefore[1], bandBefore[2], mrrBefore[0], mrrBefore[1], mrrBefore[2]),
            After = new(bandAfter[0], bandAfter[1], bandAfter[2], mrrAfter[0], mrrAfter[1], mrrAfter[2]),
            MovedUp = movedUp,
            MovedDown = movedDown,
            Changed = changed,
            AccountsIntoRed = intoRed,
            MrrIntoRed = mrrIntoRed,
            AccountsOutOfRed = outOfRed,
            MrrOutOfRed = mrrOutOfRed,
            AverageBefore = compared > 0 ? sumBefore / compared : 0,
            AverageAfter = compared > 0 ? sumAfter / compared : 0,
            HistogramBefore = histogramBefore,
            HistogramAfter = histogramAfter,
            BiggestChanges = Top(saved, after, changedIndex, changedKey, changed, take),
            BandMoves = Top(saved, after, movedIndex, movedKey, bandMoved, take),
            WindowDays = windowDays,
            LoadedUsageDays = LoadedUsageDays(saved.Model),
            Key = key,
            OnlyModelAccounts = subset is not null,
        };
    }

    /// <summary>The health bucket of an unrounded H: 0 for [0, 10) ... 9 for [90, 100].</summary>
    public static int Bucket(double health) => Math.Clamp((int)(health / 10), 0, ModelPreviewResult.HistogramBuckets - 1);

    private static AccountChange[] Top(ScoredPortfolio saved, PortfolioScores after, int[] index, double[] key, int length, int take)
    {
        // Stable order for ties: Array.Sort is introsort, so break ties by account index explicitly.
        Array.Sort(key, index, 0, length, Comparer<double>.Default);
        var n = Math.Min(take, length);
        var tieBroken = index.AsSpan(0, length);
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < length && key[end] == key[start])
            {
                end++;
            }

            tieBroken[start..end].Sort();
            start = end;
        }

        var result = new AccountChange[n];
        var accounts = saved.Data.Accounts;
        for (var i = 0; i < n; i++)
        {
            var a = index[i];
            var info = accounts[saved.Aggregates.Accounts[a]];
            result[i] = new AccountChange(a, info.Id, info.Name, saved.Aggregates.Mrr[a],
                saved.Scores.Health[a], after.Health[a], saved.Scores.Grades[a], after.Grades[a]);
        }

        return result;
    }
}
