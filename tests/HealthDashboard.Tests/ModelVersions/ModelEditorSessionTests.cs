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

    private static ModelVersionDetail V2(ScoringModel model) => new(new ModelVersionInfo(2, TestPortfolio.AsOf, "liam", "Flatter curve", null), model);

    [Fact]
    public void Following_a_newer_version_moves_a_clean_draft_and_flags_a_changed_one()
    {
        var clean = new ModelEditorSession();
        clean.Load(V1);
        var dirty = new ModelEditorSession();
        dirty.Load(V1);
        dirty.Update(V1.Model with { Curvature = 5 });
        var v2 = V2(V1.Model with { WindowDays = 45 });

        Assert.True(clean.Follow(v2));
        Assert.False(dirty.Follow(v2));

        Assert.Equal((2, false, (ModelVersionInfo?)null), (clean.Base!.Info.Version, clean.IsDirty, clean.Newer));
        Assert.Equal(1, dirty.Base!.Info.Version);
        Assert.Equal(v2.Info, dirty.Newer);
        Assert.Equal(5, dirty.Draft!.Curvature);
        Assert.False(dirty.CanSave);
    }

    [Fact]
    public void A_successful_save_makes_the_saved_draft_the_clean_base()
    {
        var session = new ModelEditorSession();
        session.Load(V1);
        var draft = V1.Model with { Curvature = 5 };
        session.Update(draft);

        Assert.True(session.BeginSave());
        Assert.True(session.IsSaving);
        Assert.False(session.CanSave);
        Assert.False(session.BeginSave());
        var saved = new ModelVersionInfo(2, TestPortfolio.AsOf, "maya", "Steeper", null);
        session.EndSave(SaveResult.Success(saved, Task.CompletedTask), draft, "maya");

        Assert.Equal((saved, draft), (session.Base!.Info, session.Base.Model));
        Assert.Equal((false, false, "maya"), (session.IsDirty, session.IsSaving, session.Who));
        Assert.Null(session.Refusal);
    }

    [Fact]
    public void A_stale_save_keeps_the_draft_and_the_rebase_clears_the_refusal_and_reports_conflicts()
    {
        var session = new ModelEditorSession();
        session.Load(V1);
        session.Update(V1.Model with { Curvature = 5 });
        var v2 = V2(V1.Model with { Curvature = 2 });

        session.BeginSave();
        session.EndSave(SaveResult.Stale(v2.Info), session.Draft!, "maya");

        Assert.Equal(v2.Info, session.Newer);
        Assert.StartsWith("Version 2 was saved by liam", session.Refusal, StringComparison.Ordinal);
        Assert.Equal(5, session.Draft!.Curvature);
        Assert.False(session.CanSave);

        var conflicts = session.Rebase(v2);

        Assert.Equal(["Curvature k"], conflicts);
        Assert.Equal(conflicts, session.Conflicts);
        Assert.Equal((2, 5.0), (session.Base!.Info.Version, session.Draft!.Curvature));
        Assert.Null(session.Newer);
        Assert.Null(session.Refusal);
        Assert.True(session.CanSave);
    }

    [Fact]
    public void A_refused_save_says_why_with_the_comment_problem_and_an_error_keeps_the_draft()
    {
        var session = new ModelEditorSession();
        session.Load(V1);
        session.Update(V1.Model with { Curvature = 5 });

        session.BeginSave();
        session.EndSave(SaveResult.Refused("Fix the highlighted fields before saving.", [new ModelProblem("Comment", "Say in a few words why.")]), session.Draft!, "maya");
        Assert.Equal("Fix the highlighted fields before saving. Say in a few words why.", session.Refusal);

        session.BeginSave();
        Assert.Null(session.Refusal);
        session.FailSave("disk full");

        Assert.Equal("The model could not be saved: disk full. Your draft is kept.", session.Refusal);
        Assert.Equal((false, true, 5.0), (session.IsSaving, session.IsDirty, session.Draft!.Curvature));
    }

    [Fact]
    public void A_draft_kept_in_the_browser_comes_back_on_its_own_base_and_says_when_that_is_outdated()
    {
        var session = new ModelEditorSession();
        var v2 = V2(V1.Model with { WindowDays = 45 });
        session.Load(v2);

        session.RestoreDraft(V1, V1.Model with { Curvature = 5 }, v2.Info);

        Assert.Equal(1, session.Base!.Info.Version);
        Assert.Equal([new ModelChange("Curvature k", "3", "5")], session.Changes);
        Assert.Equal(v2.Info, session.Newer);
        Assert.Equal("Your unsaved draft, kept in this browser", session.Origin);

        session.RestoreDraft(v2, v2.Model with { Curvature = 5 }, v2.Info);
        Assert.Null(session.Newer);
    }

    [Fact]
    public void An_event_type_set_back_to_the_defaults_is_no_change_and_changes_use_display_names()
    {
        var session = new ModelEditorSession();
        session.Load(V1);
        session.UseEventTypeNames(new Dictionary<string, string> { ["login"] = "Logged in", ["export"] = "Exported" });

        session.SetEventType("export", new EventTypeSettings(3));
        Assert.Equal([new ModelChange("Exported weight", "1", "3")], session.Changes);

        session.SetEventType("export", ScoringModel.DefaultEventType);
        Assert.False(session.IsDirty);
        Assert.False(session.Draft!.EventTypes.ContainsKey("export"));

        session.SetEventType("login", new EventTypeSettings(2));
        Assert.Equal([new ModelChange("Logged in weight", "1", "2")], session.Changes);
    }
}
