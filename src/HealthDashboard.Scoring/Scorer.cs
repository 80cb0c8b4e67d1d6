namespace HealthDashboard.Scoring;

/// <summary>
/// Scores every account and user of a <see cref="WindowAggregates"/> under a model: the indicators,
/// the composite, grades and user engagement of SCORING.md. Pure and allocation-light, so the
/// model editor can re-score the whole portfolio on every slider move.
/// </summary>
/// <remarks>
/// When every indicator that has a value carries weight 0 (possible only in a model that weights
/// just indicators this account lacks), H is 0/0; such an account scores the floor 1 (grade D):
/// nothing the model looks at shows it is healthy.
/// </remarks>
public static class Scorer
{
    /// <summary>Scores the aggregates under <paramref name="model"/> alone, whose window must be the aggregates' window.</summary>
    public static PortfolioScores Score(WindowAggregates aggregates, ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(model);
        if (model.WindowDays != aggregates.WindowDays)
        {
            throw new ArgumentException($"The model's window ({model.WindowDays} d) differs from the aggregates' ({aggregates.WindowDays} d): rebuild the aggregates.", nameof(model));
        }

        var group = NewGroup(ModelKey.Default, model, aggregates, Enumerable.Range(0, aggregates.Accounts.Length).ToArray(), Enumerable.Range(0, aggregates.Users.Length).ToArray());
        var scores = new PortfolioScores(ScoringModelSet.Of(model), [group], new int[aggregates.Accounts.Length]);
        ScoreUsers(scores, new int[aggregates.Users.Length]);
        ScoreGroup(group, scores);
        return scores;
    }

    /// <summary>
    /// Scores the portfolio at <paramref name="asOf"/> with a set of models (SCORING.md "Segment models and the
    /// onboarding model"): each account with its own model, Engagement and Support normalized over the accounts
    /// sharing that model and user engagement over their users. Aggregates are built once per distinct window W,
    /// or taken from <paramref name="aggregatesFor"/> (W to aggregates at <paramref name="asOf"/>, or null: build them) when a caller
    /// caches them.
    /// </summary>
    /// <param name="usageThreads">Threads each aggregates build may share its usage rows out over (<see cref="WindowAggregates.Build(PortfolioData, DateTime, int, int)"/>).</param>
    public static PortfolioScores Score(
        PortfolioData data, DateTime asOf, ScoringModelSet models, Func<int, WindowAggregates?>? aggregatesFor = null, int usageThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(models);
        var built = new Dictionary<int, WindowAggregates>();
        WindowAggregates AggregatesOf(int windowDays)
        {
            if (!built.TryGetValue(windowDays, out var aggregates))
            {
                aggregates = aggregatesFor?.Invoke(windowDays) ?? WindowAggregates.Build(data, asOf, windowDays, usageThreads);
                // A cache may hand aggregates of an equivalent copy of the data (e.g. with one edge day read raw): the
                // scored population, and so the local indices, must be the same.
                if (aggregates.WindowDays != windowDays || aggregates.AsOf != asOf
                    || (built.Count > 0 && aggregates.Accounts.Length != built.Values.First().Accounts.Length))
                {
                    throw new ArgumentException("The cached aggregates are of another as-of time, window or population.", nameof(aggregatesFor));
                }

                built[windowDays] = aggregates;
            }

            return aggregates;
        }

        var baseAggregates = AggregatesOf(models.Default.WindowDays);
        int accountCount = baseAggregates.Accounts.Length, userCount = baseAggregates.Users.Length;
        if (models.HasDefaultOnly)
        {
            var only = NewGroup(ModelKey.Default, models.Default, baseAggregates, Enumerable.Range(0, accountCount).ToArray(), Enumerable.Range(0, userCount).ToArray());
            var single = new PortfolioScores(models, [only], new int[accountCount]);
            ScoreUsers(single, new int[userCount]);
            ScoreGroup(only, single);
            return single;
        }

        // Partition the scored accounts by model: default first, then the others in the set's order.
        var order = models.All.Select((m, i) => (m.Key, i)).ToDictionary(x => x.Key, x => x.i);
        var setIndexOf = new int[accountCount];
        var counts = new int[order.Count];
        for (var a = 0; a < accountCount; a++)
        {
            var account = data.Accounts[baseAggregates.Accounts[a]];
            setIndexOf[a] = order[models.KeyFor(account, asOf)];
            counts[setIndexOf[a]]++;
        }

        var groupOfSetIndex = new int[order.Count];
        var used = new List<(ModelKey Key, ScoringModel Model)>();
        var index = 0;
        foreach (var (key, model) in models.All)
        {
            groupOfSetIndex[index] = -1;
            if (index == 0 || counts[index] > 0)
            {
                groupOfSetIndex[index] = used.Count;
                used.Add((key, model));
            }

            index++;
        }

        var groupOf = new int[accountCount];
        var accountsOf = used.Select(_ => new List<int>()).ToArray();
        for (var a = 0; a < accountCount; a++)
        {
            groupOf[a] = groupOfSetIndex[setIndexOf[a]];
            accountsOf[groupOf[a]].Add(a);
        }

        var usersOf = used.Select(_ => new List<int>()).ToArray();
        var userGroup = new int[userCount];
        for (var u = 0; u < userCount; u++)
        {
            userGroup[u] = groupOf[baseAggregates.UserAccount[u]];
            usersOf[userGroup[u]].Add(u);
        }

        var groups = used.Select((m, g) => NewGroup(m.Key, m.Model, AggregatesOf(m.Model.WindowDays), accountsOf[g].ToArray(), usersOf[g].ToArray())).ToList();
        var scores = new PortfolioScores(models, groups, groupOf);
        ScoreUsers(scores, userGroup);
        foreach (var group in groups)
        {
            ScoreGroup(group, scores);
        }

        return scores;
    }

    /// <summary>
    /// Scores stored earlier (the daily snapshots) for the portfolio at <paramref name="asOf"/>: the model groups,
    /// curves, custom indicators and users of <see cref="Score(PortfolioData, DateTime, ScoringModelSet, Func{int, WindowAggregates}?, int)"/>
    /// over <paramref name="data"/> (which needs no usage rows), with every account <paramref name="storedOf"/> knows (by
    /// account id) taking its stored H, grade, built-in indicator scores and raw values, and the custom indicator scores
    /// and readings the row holds for its model's custom indicators; the weight totals behind
    /// the contributions follow the stored values. An account it does not know keeps what the data gives. The app
    /// shows these at start-up while the first full score runs: reading no usage, they take a fraction of its time.
    /// </summary>
    public static PortfolioScores Restore(PortfolioData data, DateTime asOf, ScoringModelSet models, Func<string, StoredAccountScores?> storedOf)
    {
        ArgumentNullException.ThrowIfNull(storedOf);
        var scores = Score(data, asOf, models);
        var agg = scores.Aggregates;
        const int indicatorCount = Indicators.Count;
        for (var a = 0; a < agg.Accounts.Length; a++)
        {
            if (storedOf(data.Accounts[agg.Accounts[a]].Id) is not { } stored)
            {
                continue;
            }

            if (stored.Values.Length != indicatorCount || stored.Raw.Length != indicatorCount)
            {
                throw new ArgumentException($"Stored scores hold {indicatorCount} indicator values and raw values.", nameof(storedOf));
            }

            var model = scores.ModelOf(a);
            var group = scores.GroupOf(a);
            var totalWeight = 0.0;
            for (var i = 0; i < indicatorCount; i++)
            {
                scores.Values[(a * indicatorCount) + i] = stored.Values[i];
                scores.Raw[(a * indicatorCount) + i] = stored.Raw[i];
                totalWeight += double.IsNaN(stored.Values[i]) ? 0 : model.IndicatorWeights[Indicators.All[i]];
            }

            for (var i = 0; i < model.CustomIndicators.Count; i++)
            {
                var cell = (a * scores.CustomKeys.Count) + group.CustomColumns[i];
                // A snapshot made by a model with this indicator holds what scored it; an older one (or one made
                // before the indicator existed) leaves what the data gives.
                if (stored.Custom is not null && stored.Custom.TryGetValue(model.CustomIndicators[i].Key, out var custom))
                {
                    scores.CustomValues[cell] = custom.Value ?? double.NaN;
                    scores.CustomRaw[cell] = custom.Reading?.Value ?? double.NaN;
                    scores.CustomTicks[cell] = custom.Reading?.At.Ticks ?? 0;
                }

                totalWeight += double.IsNaN(scores.CustomValues[cell]) ? 0 : model.CustomIndicators[i].Weight;
            }

            scores.WeightTotals[a] = totalWeight;
            scores.Health[a] = stored.Health;
            scores.Grades[a] = stored.Grade;
        }

        return scores;
    }

    private static ModelGroup NewGroup(ModelKey key, ScoringModel model, WindowAggregates aggregates, int[] accounts, int[] users)
    {
        var eventWeights = new double[aggregates.EventTypeCount];
        for (var e = 0; e < eventWeights.Length; e++)
        {
            eventWeights[e] = model.SettingsOf(aggregates.Data.EventTypeKeys[e]).Weight;
        }

        return new ModelGroup(key, model, aggregates, eventWeights, accounts, users);
    }

    private static void ScoreGroup(ModelGroup group, PortfolioScores scores)
    {
        var keyFeature = new bool[group.Aggregates.EventTypeCount];
        for (var e = 0; e < keyFeature.Length; e++)
        {
            keyFeature[e] = group.Model.SettingsOf(group.Aggregates.Data.EventTypeKeys[e]).KeyFeature;
        }

        ScoreCustomIndicators(group, scores);
        ScoreAccounts(group, keyFeature, scores);
    }

    /// <summary>
    /// User engagement of every group at once: raw values with each user's model's event weights, then a curve per
    /// group over its users. Sequential passes over the users (not one strided pass per group) keep five segment
    /// models about as cheap as one.
    /// </summary>
    private static void ScoreUsers(PortfolioScores scores, int[] userGroup)
    {
        var groups = scores.Groups;
        var raw = scores.UserEngagementRaw;
        foreach (var agg in groups.Select(g => g.Aggregates).Distinct())
        {
            for (var u = 0; u < raw.Length; u++)
            {
                var group = groups[userGroup[u]];
                if (!ReferenceEquals(group.Aggregates, agg))
                {
                    continue;
                }

                var weights = group.EventWeights;
                var sum = 0.0;
                for (var j = agg.UserEventOffsets[u]; j < agg.UserEventOffsets[u + 1]; j++)
                {
                    sum += agg.UserEventCounts[j] * weights[agg.UserEventTypes[j]];
                }

                raw[u] = sum;
            }
        }

        var scratch = groups.Select(g => new double[g.Users.Length]).ToArray();
        var filled = new int[groups.Count];
        for (var u = 0; u < raw.Length; u++)
        {
            var g = userGroup[u];
            scratch[g][filled[g]++] = raw[u];
        }

        var curves = new Normalization[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            curves[g] = Normalization.Fit(scratch[g], groups[g].Model.Curvature);
            groups[g].UserEngagementCurve = curves[g];
        }

        for (var u = 0; u < raw.Length; u++)
        {
            scores.UserEngagement[u] = curves[userGroup[u]].Apply(raw[u]);
        }
    }

    /// <summary>
    /// The custom indicators of the group's model (SCORING.md "Custom indicators"): the latest metric row at or before
    /// T and within A days, scored direct, by the curve over the group's accounts that have a value, or by range.
    /// </summary>
    private static void ScoreCustomIndicators(ModelGroup group, PortfolioScores scores)
    {
        var customs = group.Model.CustomIndicators;
        if (customs.Count == 0)
        {
            return;
        }

        var agg = group.Aggregates;
        var columns = scores.CustomKeys.Count;
        var asOf = agg.AsOf.Ticks;
        var (customRaw, customTicks, customValues) = (scores.CustomRaw, scores.CustomTicks, scores.CustomValues);
        var accounts = group.Accounts;
        var dataIndex = agg.Accounts;
        // Per indicator one pass over the group's accounts; a curve then revisits only the cells that have a value.
        var withValue = new double[accounts.Length];
        var cellsWithValue = new int[accounts.Length];
        for (var i = 0; i < customs.Count; i++)
        {
            var indicator = customs[i];
            var column = group.CustomColumns[i];
            var series = agg.Data.SeriesOf(indicator.Metric);
            var (seriesTicks, seriesValues) = (series.Ticks, series.Values);
            var isCurve = indicator.Scoring == CustomScoring.Curve;
            var present = 0;
            foreach (var a in accounts)
            {
                var row = series.ValueAt(dataIndex[a], asOf, indicator.MaxAgeDays);
                if (row < 0)
                {
                    continue;
                }

                var cell = (a * columns) + column;
                var value = seriesValues[row];
                customRaw[cell] = value;
                customTicks[cell] = seriesTicks[row];
                if (!isCurve)
                {
                    customValues[cell] = indicator.ScoreOf(value);
                }

                withValue[present] = value;
                cellsWithValue[present++] = cell;
            }

            if (!isCurve)
            {
                continue;
            }

            // The curve's population is the group's accounts that have a value (Fit reorders its span: read raw
            // values back from the cells).
            var curve = Normalization.Fit(withValue.AsSpan(0, present), group.Model.Curvature);
            group.CustomCurves[i] = curve;
            for (var k = 0; k < present; k++)
            {
                var cell = cellsWithValue[k];
                var normalized = curve.Apply(customRaw[cell]);
                customValues[cell] = indicator.HigherIsBetter ? normalized : 101 - normalized;
            }
        }
    }

    private static void ScoreAccounts(ModelGroup group, bool[] keyFeature, PortfolioScores scores)
    {
        var agg = group.Aggregates;
        var model = group.Model;
        var weights = group.EventWeights;
        var accounts = group.Accounts;
        int e = agg.EventTypeCount;
        const int indicatorCount = Indicators.Count;
        var raw = scores.Raw;
        var value = scores.Values;
        var keyFeatureCount = keyFeature.Count(k => k);
        double window = agg.WindowDays, workingDays = window * 5 / 7;

        foreach (var a in accounts)
        {
            var account = agg.Data.Accounts[agg.Accounts[a]];
            var engagement = 0.0;
            var keyUsed = 0;
            var hasUsage = false;
            for (var t = 0; t < e; t++)
            {
                var count = agg.AccountEventCounts[(a * e) + t];
                if (count == 0)
                {
                    continue;
                }

                hasUsage = true;
                engagement += count * weights[t];
                if (keyFeature[t])
                {
                    keyUsed++;
                }
            }

            raw[(a * indicatorCount) + (int)Indicator.Engagement] = engagement;

            var breadthBase = account.Seats > 0 ? account.Seats : agg.ScoredUserCounts[a];
            var breadth = breadthBase > 0 ? (double)agg.ActiveUsers[a] / breadthBase : double.NaN;
            raw[(a * indicatorCount) + (int)Indicator.Breadth] = breadth;
            value[(a * indicatorCount) + (int)Indicator.Breadth] = double.IsNaN(breadth) ? double.NaN : 100 * Math.Min(1, breadth);

            var depth = keyFeatureCount > 0 ? (double)keyUsed / keyFeatureCount : double.NaN;
            raw[(a * indicatorCount) + (int)Indicator.Depth] = depth;
            value[(a * indicatorCount) + (int)Indicator.Depth] = 100 * depth;

            var frequency = agg.ActiveUsers[a] > 0
                ? (double)agg.ActiveUserDays[a] / agg.ActiveUsers[a] / workingDays
                : hasUsage ? agg.AccountActiveDays[a] / workingDays : 0;
            raw[(a * indicatorCount) + (int)Indicator.Frequency] = frequency;
            value[(a * indicatorCount) + (int)Indicator.Frequency] = 100 * Math.Min(1, frequency);

            var last = agg.LastUsageTicks[a];
            var recencyDays = last > 0 ? (double)((agg.AsOf.Ticks - last) / TimeSpan.TicksPerDay) : double.NaN;
            raw[(a * indicatorCount) + (int)Indicator.Recency] = recencyDays;
            value[(a * indicatorCount) + (int)Indicator.Recency] = double.IsNaN(recencyDays) ? 0 : 100 * Math.Max(0, 1 - (recencyDays / window));

            raw[(a * indicatorCount) + (int)Indicator.Support] = agg.SupportRaw[a];

            var sentiment = agg.SentimentRaw[a];
            raw[(a * indicatorCount) + (int)Indicator.Sentiment] = sentiment;
            value[(a * indicatorCount) + (int)Indicator.Sentiment] = sentiment;

            var growth = agg.GrowthPct[a];
            raw[(a * indicatorCount) + (int)Indicator.Growth] = growth;
            value[(a * indicatorCount) + (int)Indicator.Growth] = double.IsNaN(growth) ? double.NaN : Math.Clamp(70 + (150 * growth), 0, 100);
        }

        // The two population-normalized indicators, over this model's accounts only.
        var scratch = new double[accounts.Length];
        foreach (var indicator in new[] { Indicator.Engagement, Indicator.Support })
        {
            for (var i = 0; i < accounts.Length; i++)
            {
                scratch[i] = raw[(accounts[i] * indicatorCount) + (int)indicator];
            }

            var curve = Normalization.Fit(scratch, model.Curvature);
            foreach (var a in accounts)
            {
                var normalized = curve.Apply(raw[(a * indicatorCount) + (int)indicator]);
                value[(a * indicatorCount) + (int)indicator] = indicator == Indicator.Support ? 101 - normalized : normalized;
            }

            if (indicator == Indicator.Engagement)
            {
                group.EngagementCurve = curve;
            }
            else
            {
                group.SupportCurve = curve;
            }
        }

        var indicatorWeights = Indicators.All.Select(i => model.IndicatorWeights[i]).ToArray();
        var customWeights = model.CustomIndicators.Select(c => c.Weight).ToArray();
        var customColumns = group.CustomColumns;
        var customCount = scores.CustomKeys.Count;
        foreach (var a in accounts)
        {
            double weighted = 0, totalWeight = 0;
            for (var i = 0; i < indicatorCount; i++)
            {
                var x = value[(a * indicatorCount) + i];
                if (!double.IsNaN(x))
                {
                    weighted += indicatorWeights[i] * x;
                    totalWeight += indicatorWeights[i];
                }
            }

            for (var i = 0; i < customWeights.Length; i++)
            {
                var x = scores.CustomValues[(a * customCount) + customColumns[i]];
                if (!double.IsNaN(x))
                {
                    weighted += customWeights[i] * x;
                    totalWeight += customWeights[i];
                }
            }

            var health = totalWeight > 0 ? Math.Clamp(weighted / totalWeight, 1, 100) : 1;
            scores.WeightTotals[a] = totalWeight;
            scores.Health[a] = health;
            scores.Grades[a] = model.Thresholds.GradeOf(health);
        }
    }
}

/// <summary>
/// One account's stored scores (a daily snapshot's row): H, grade, each built-in indicator's score and raw value in
/// <see cref="Indicators.All"/> order (NaN where missing), and the custom indicators the row holds by key (null: the
/// row holds none, e.g. a snapshot stored before custom indicators were kept).
/// </summary>
public sealed record StoredAccountScores(double Health, Grade Grade, double[] Values, double[] Raw, IReadOnlyDictionary<string, StoredCustomScore>? Custom = null);

/// <summary>
/// A custom indicator as a snapshot stored it for one account: its score (null when missing) and the metric value
/// and row time it read (null when none was within the maximum age).
/// </summary>
public sealed record StoredCustomScore(double? Value, MetricReading? Reading);
