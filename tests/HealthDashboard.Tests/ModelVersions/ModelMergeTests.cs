using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.ModelVersions;

public sealed class ModelMergeTests
{
    private static readonly ScoringModel Base = TestPortfolio.Model();

    [Fact]
    public void My_changes_land_on_the_newer_version_and_theirs_stay()
    {
        var mine = Base.WithEventType("login", new EventTypeSettings(3)) with { IndicatorWeights = Base.IndicatorWeights.With(Indicator.Recency, 40) };
        var theirs = Base.WithEventType("report_created", new EventTypeSettings(5, KeyFeature: false)) with { Curvature = 2 };

        var rebased = ModelMerge.Rebase(Base, mine, theirs);

        Assert.Empty(rebased.Conflicts);
        Assert.Equal(
            theirs.WithEventType("login", new EventTypeSettings(3)) with { IndicatorWeights = theirs.IndicatorWeights.With(Indicator.Recency, 40) },
            rebased.Model);
    }

    [Fact]
    public void A_field_both_changed_keeps_my_value_and_is_reported()
    {
        var mine = Base with { Curvature = 4, Thresholds = new GradeThresholds(85, 70, 45) };
        var theirs = Base with { Curvature = 2, Thresholds = new GradeThresholds(90, 70, 40) };

        var rebased = ModelMerge.Rebase(Base, mine, theirs);

        Assert.Equal(["Curvature k"], rebased.Conflicts);
        Assert.Equal(4, rebased.Model.Curvature);
        Assert.Equal(new GradeThresholds(90, 70, 45), rebased.Model.Thresholds);
    }

    [Fact]
    public void The_same_change_on_both_sides_is_no_conflict()
    {
        var both = Base with { WindowDays = 14 };

        var rebased = ModelMerge.Rebase(Base, both, both);

        Assert.Empty(rebased.Conflicts);
        Assert.Equal(both, rebased.Model);
    }

    [Fact]
    public void Flags_merge_one_by_one()
    {
        // I flag dashboard_shared off as a value moment; they change its weight.
        var mine = Base.WithEventType("dashboard_shared", new EventTypeSettings(7, KeyFeature: true, ValueMoment: false));
        var theirs = Base.WithEventType("dashboard_shared", new EventTypeSettings(9, KeyFeature: true, ValueMoment: true));

        var rebased = ModelMerge.Rebase(Base, mine, theirs);

        Assert.Equal(new EventTypeSettings(9, KeyFeature: true, ValueMoment: false), rebased.Model.SettingsOf("dashboard_shared"));
    }
}
