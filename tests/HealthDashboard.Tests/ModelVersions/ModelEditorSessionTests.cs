using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.ModelVersions;

public sealed class ModelEditorSessionTests
{
    private static readonly ModelVersionDetail V1 = new(new ModelVersionInfo(1, TestPortfolio.AsOf, "system", "Test model", null), TestPortfolio.Model());

    [Fact]
    public void Edits_track_changes_and_problems_and_discard_returns_to_the_base()
    {
        var session = new ModelEditorSession();
        session.Load(V1);
        Assert.False(session.IsDirty);

        session.Update(V1.Model with { WindowDays = 0, Curvature = 2 });

        Assert.Equal(["Curvature k", "Window (days)"], session.Changes.Select(c => c.Field));
        Assert.Equal("Window must be between 1 and 365 days (got 0).", session.ProblemOf("WindowDays"));
        Assert.Null(session.ProblemOf("Curvature"));
        Assert.False(session.IsValid);

        session.Discard();

        Assert.False(session.IsDirty);
        Assert.True(session.IsValid);
        Assert.Same(V1.Model, session.Draft);
    }

    [Fact]
    public void Rebase_moves_the_draft_onto_the_newer_version()
    {
        var session = new ModelEditorSession();
        session.Load(V1);
        session.Update(V1.Model with { Curvature = 4 });
        var v2 = new ModelVersionDetail(new ModelVersionInfo(2, TestPortfolio.AsOf, "liam", "Longer window", null), V1.Model with { WindowDays = 45 });

        var conflicts = session.Rebase(v2);

        Assert.Empty(conflicts);
        Assert.Equal(2, session.Base!.Info.Version);
        Assert.Equal(V1.Model with { WindowDays = 45, Curvature = 4 }, session.Draft);
        Assert.Equal([new ModelChange("Curvature k", "3", "4")], session.Changes);
    }

    [Fact]
    public void An_import_replaces_the_draft_and_says_where_it_came_from()
    {
        var session = new ModelEditorSession();
        session.Load(V1);
        var changes = 0;
        session.Changed += () => changes++;

        session.Replace(V1.Model with { Curvature = 5 }, "Imported from model.json");

        Assert.Equal("Imported from model.json", session.Origin);
        Assert.Single(session.Changes);
        Assert.Equal(1, changes);
    }
}
