using HealthDashboard.Scoring;

namespace HealthDashboard.ModelVersions;

/// <summary>A draft moved onto a newer version: the merged model and the fields both sides changed.</summary>
/// <param name="Model">The newer version with the draft's own changes applied.</param>
/// <param name="Conflicts">Fields the draft and the newer version both changed to different values (the draft's value is kept).</param>
public sealed record RebasedDraft(ScoringModel Model, IReadOnlyList<string> Conflicts);

/// <summary>
/// Three-way merge of scoring models, field by field, for a save refused because someone saved first:
/// the editor's changes (draft against the version it was edited from) are re-applied on top of the
/// newer version, so saving does not silently undo the other person's changes.
/// </summary>
public static class ModelMerge
{
    /// <summary>Applies the changes from <paramref name="oldBase"/> to <paramref name="draft"/> onto <paramref name="newBase"/>.</summary>
    public static RebasedDraft Rebase(ScoringModel oldBase, ScoringModel draft, ScoringModel newBase)
    {
        ArgumentNullException.ThrowIfNull(oldBase);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(newBase);
        var conflicts = new List<string>();
        T Pick<T>(T before, T mine, T theirs, string field)
        {
            var comparer = EqualityComparer<T>.Default;
            if (comparer.Equals(mine, before))
            {
                return theirs;
            }

            if (!comparer.Equals(theirs, before) && !comparer.Equals(theirs, mine))
            {
                conflicts.Add(field);
            }

            return mine;
        }

        var merged = newBase;
        foreach (var key in draft.EventTypes.Keys.Union(oldBase.EventTypes.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            EventTypeSettings before = oldBase.SettingsOf(key), mine = draft.SettingsOf(key), theirs = newBase.SettingsOf(key);
            if (mine == before)
            {
                continue;
            }

            merged = merged.WithEventType(key, new EventTypeSettings(
                Pick(before.Weight, mine.Weight, theirs.Weight, $"{key} weight"),
                Pick(before.KeyFeature, mine.KeyFeature, theirs.KeyFeature, $"{key} key feature"),
                Pick(before.ValueMoment, mine.ValueMoment, theirs.ValueMoment, $"{key} value moment")));
        }

        var weights = merged.IndicatorWeights;
        foreach (var indicator in Indicators.All)
        {
            weights = weights.With(indicator, Pick(oldBase.IndicatorWeights[indicator], draft.IndicatorWeights[indicator], newBase.IndicatorWeights[indicator], $"{indicator} weight"));
        }

        merged = merged with
        {
            IndicatorWeights = weights,
            Curvature = Pick(oldBase.Curvature, draft.Curvature, newBase.Curvature, "Curvature k"),
            WindowDays = Pick(oldBase.WindowDays, draft.WindowDays, newBase.WindowDays, "Window (days)"),
            Thresholds = new GradeThresholds(
                Pick(oldBase.Thresholds.A, draft.Thresholds.A, newBase.Thresholds.A, "Grade A from"),
                Pick(oldBase.Thresholds.B, draft.Thresholds.B, newBase.Thresholds.B, "Grade B from"),
                Pick(oldBase.Thresholds.C, draft.Thresholds.C, newBase.Thresholds.C, "Grade C from")),
        };
        return new RebasedDraft(merged, conflicts);
    }
}
