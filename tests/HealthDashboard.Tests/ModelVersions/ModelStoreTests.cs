using HealthDashboard.Data;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.ModelVersions;

/// <summary>Saving, restoring and diffing model versions on a SQLite file holding <see cref="TestPortfolio"/> (version 1 = its model).</summary>
public sealed class ModelStoreTests
{
    private static ScoringModel V1 => TestPortfolio.Model();

    /// <summary>The display names the test portfolio's event types were imported with.</summary>
    private static readonly Dictionary<string, string> EventTypeNames = new()
    {
        ["login"] = "Logged in",
        ["report_created"] = "Report created",
        ["dashboard_shared"] = "Dashboard shared",
    };

    /// <summary>V1 with Recency 40 and the login weight 2: three changed fields.</summary>
    private static ScoringModel Edited => V1.WithEventType("login", new EventTypeSettings(2)) with
    {
        IndicatorWeights = V1.IndicatorWeights.With(Indicator.Recency, 40),
    };

    [Fact]
    public async Task A_preview_changes_nothing_in_the_database()
    {
        await using var test = await ModelTestStore.CreateAsync();
        var before = await test.RowCountsAsync();
        var saved = test.Board.Current!.Scored;

        var result = test.Preview.Compute(saved, Edited);
        test.Preview.Compute(saved, Edited with { WindowDays = 10, Thresholds = new GradeThresholds(90, 60, 30) });

        Assert.Equal(before, await test.RowCountsAsync());
        Assert.Contains("versions 1, newest 1", before);
        Assert.Equal(1, test.Board.Current!.ModelVersion);
        Assert.Same(saved, test.Board.Current.Scored);
        Assert.Equal(2, result.MovedUp);
    }

    [Fact]
    public async Task Save_creates_the_next_version_with_who_comment_and_exactly_the_changed_fields()
    {
        await using var test = await ModelTestStore.CreateAsync();

        var result = await test.Store.SaveAsync(Edited, baseVersion: 1, " maya ", "  More weight on recency ");

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(new ModelVersionInfo(2, ModelTestStore.SaveTime, "maya", "More weight on recency", null), result.Saved);
        var stored = await test.Store.GetAsync(2);
        Assert.Equal(Edited, stored!.Model);
        Assert.Equal(result.Saved, stored.Info);
        var diff = await test.Store.DiffAsync(2);
        Assert.Equal(1, diff!.ComparedWith!.Version);
        Assert.Equal(
            [new ModelChange("Logged in weight", "1", "2"), new ModelChange("Recency weight", "10", "40")],
            diff.Changes);
        Assert.Equal([2, 1], (await test.Store.ListAsync()).Select(v => v.Version));
    }

    [Fact]
    public async Task After_a_save_every_page_and_the_history_use_the_new_version()
    {
        await using var test = await ModelTestStore.CreateAsync();
        var expected = test.Preview.Score(test.Board.Current!.Scored, Edited);
        PortfolioView? published = null;
        test.Board.Changed += view => published = view;

        var result = await test.Store.SaveAsync(Edited, 1, "maya", "More weight on recency");
        await result.Rescored;

        Assert.Equal(2, published!.ModelVersion);
        Assert.Equal(Edited, published.Model);
        Assert.Equal(expected.Health, published.Scored.Scores.Health);
        // The snapshot worker's back-fill (run here in the foreground) re-scores the history with the new version.
        await test.Services.GetRequiredService<SnapshotStore>().BackfillAsync(TestPortfolio.AsOf);
        Assert.Contains("snapshot versions 2", await test.RowCountsAsync());
    }

    [Fact]
    public async Task Restore_saves_the_old_model_again_as_a_new_version()
    {
        await using var test = await ModelTestStore.CreateAsync();
        await (await test.Store.SaveAsync(Edited, 1, "maya", "More weight on recency")).Rescored;

        var result = await test.Store.RestoreAsync(1, baseVersion: 2, "liam");
        await result.Rescored;

        Assert.Equal(new ModelVersionInfo(3, ModelTestStore.SaveTime, "liam", "Restored version 1", RestoredFrom: 1), result.Saved);
        Assert.Equal(V1, (await test.Store.GetAsync(3))!.Model);
        Assert.Equal(
            [new ModelChange("Logged in weight", "2", "1"), new ModelChange("Recency weight", "40", "10")],
            (await test.Store.DiffAsync(3))!.Changes);
        Assert.Equal(3, test.Board.Current!.ModelVersion);
        Assert.Equal(V1, test.Board.Current.Model);
    }

    [Fact]
    public async Task Restoring_the_current_model_is_refused()
    {
        await using var test = await ModelTestStore.CreateAsync();

        var result = await test.Store.RestoreAsync(1, baseVersion: 1, "liam");

        Assert.False(result.Succeeded);
        Assert.Equal("Version 1 is the same model as the current version 1; nothing to restore.", result.Message);
        Assert.Contains("versions 1,", await test.RowCountsAsync());
    }

    [Fact]
    public async Task A_save_from_an_outdated_version_is_refused_and_writes_nothing()
    {
        await using var test = await ModelTestStore.CreateAsync();
        var theirs = V1 with { Curvature = 2 };
        var mine = Edited;
        await (await test.Store.SaveAsync(theirs, 1, "liam", "Flatter curve")).Rescored;
        var counts = await test.RowCountsAsync();

        var refused = await test.Store.SaveAsync(mine, baseVersion: 1, "maya", "More weight on recency");

        Assert.False(refused.Succeeded);
        Assert.True(refused.IsStale);
        Assert.Equal(2, refused.NewerVersion!.Version);
        Assert.Equal(
            "Version 2 was saved by liam at 2026-06-30 14:05 UTC while you were editing; your draft is kept — review the changes and save again.",
            refused.Message);
        Assert.Equal(counts, await test.RowCountsAsync());
        Assert.Equal(theirs, (await test.Store.GetLatestAsync())!.Model);

        // Once reviewed, the same draft saves on top of the newer version.
        var again = await test.Store.SaveAsync(mine, baseVersion: 2, "maya", "More weight on recency");
        Assert.Equal(3, again.Saved!.Version);
    }

    [Fact]
    public async Task Two_saves_from_the_same_base_cannot_both_insert_the_next_version()
    {
        // The rival inserts version 2 after our "newest" check and before our insert: only the key can refuse us.
        var rival = new RivalSave();
        await using var test = await ModelTestStore.CreateAsync(rival);
        rival.Arm();

        var result = await test.Store.SaveAsync(Edited, 1, "maya", "More weight on recency");

        Assert.True(result.IsStale);
        Assert.StartsWith("Version 2 was saved by rival at ", result.Message);
        Assert.Equal(V1 with { Curvature = 5 }, (await test.Store.GetAsync(2))!.Model);
        Assert.Contains("versions 2, newest 2", await test.RowCountsAsync());
    }

    [Theory]
    [InlineData("weight", "EventTypes[login].Weight", "Weight of 'login' must be between 0 and 10 (got -1).")]
    [InlineData("thresholds", "Thresholds", "Thresholds must increase strictly: C < B < A (got C 40, B 80, A 75).")]
    [InlineData("indicators", "IndicatorWeights", "At least one indicator weight must be above 0.")]
    [InlineData("window", "WindowDays", "Window must be between 1 and 365 days (got 0).")]
    public async Task Invalid_values_are_refused_with_the_fields_message(string what, string field, string message)
    {
        await using var test = await ModelTestStore.CreateAsync();
        var counts = await test.RowCountsAsync();
        var draft = what switch
        {
            "weight" => V1.WithEventType("login", new EventTypeSettings(-1)),
            "thresholds" => V1 with { Thresholds = new GradeThresholds(75, 80, 40) },
            "indicators" => V1 with { IndicatorWeights = new IndicatorWeights { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 0, Support = 0, Sentiment = 0, Growth = 0 } },
            _ => V1 with { WindowDays = 0 },
        };

        var result = await test.Store.SaveAsync(draft, 1, "maya", "Try this");

        Assert.False(result.Succeeded);
        Assert.Contains(new ModelProblem(field, message), result.Problems);
        Assert.Equal(counts, await test.RowCountsAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData(" ok ")]
    public async Task A_comment_is_required(string? comment)
    {
        await using var test = await ModelTestStore.CreateAsync();

        var result = await test.Store.SaveAsync(Edited, 1, "maya", comment);

        Assert.False(result.Succeeded);
        Assert.Equal([new ModelProblem("Comment", "Say in a few words why (at least 3 characters).")], result.Problems);
        Assert.Contains("versions 1,", await test.RowCountsAsync());
    }

    [Fact]
    public async Task A_comment_longer_than_500_characters_and_a_missing_name_are_refused()
    {
        await using var test = await ModelTestStore.CreateAsync();

        var result = await test.Store.SaveAsync(Edited, 1, " ", new string('x', 501));

        Assert.Equal(["Comment", "SavedBy"], result.Problems.Select(p => p.Field));
        Assert.Equal("Keep the comment under 500 characters (it has 501).", result.Problems[0].Message);
    }

    [Fact]
    public async Task Saving_an_unchanged_draft_is_refused()
    {
        await using var test = await ModelTestStore.CreateAsync();

        var result = await test.Store.SaveAsync(TestPortfolio.Model(), 1, "maya", "No change");

        Assert.Equal("The draft is the same as version 1; nothing to save.", result.Message);
        Assert.Contains("versions 1,", await test.RowCountsAsync());
    }

    [Fact]
    public async Task An_exported_version_imports_as_the_same_model()
    {
        await using var test = await ModelTestStore.CreateAsync();
        await test.Store.SaveAsync(Edited, 1, "maya", "More weight on recency");
        var version = (await test.Store.GetAsync(2))!;

        var json = ModelJsonFile.Export(version);
        var imported = ModelJsonFile.Import(json);

        Assert.Contains("\"format\": \"healthdashboard-scoring-model\"", json);
        Assert.Contains("\"savedBy\": \"maya\"", json);
        Assert.Equal(Edited, imported.Model);
        Assert.Equal(2, imported.SourceVersion);
        Assert.Empty(imported.Problems);
        Assert.Null(imported.Error);
        // A second export of the import is byte for byte the same: it diffs like code.
        Assert.Equal(json, ModelJsonFile.Export(version with { Model = imported.Model! }));
    }

    [Fact]
    public async Task The_history_lists_newest_first_with_the_fields_each_version_changed()
    {
        await using var test = await ModelTestStore.CreateAsync();
        await test.Store.SaveAsync(Edited, 1, "maya", "More weight on recency");
        await test.Store.RestoreAsync(1, 2, "liam");

        var history = await test.Store.HistoryAsync();

        Assert.Equal([3, 2, 1], history.Select(h => h.Info.Version));
        Assert.Equal(1, history[0].Info.RestoredFrom);
        Assert.Equal(["Logged in weight", "Recency weight"], history[0].ChangedFields);
        Assert.Equal(["Logged in weight", "Recency weight"], history[1].ChangedFields);
        Assert.Equal(V1.DiffFrom(ScoringModel.Default, EventTypeNames).Select(c => c.Field), history[2].ChangedFields);
    }

    [Fact]
    public async Task The_diff_of_the_first_version_is_against_the_defaults()
    {
        await using var test = await ModelTestStore.CreateAsync();

        var diff = await test.Store.DiffAsync(1);

        Assert.Null(diff!.ComparedWith);
        Assert.Equal(V1.DiffFrom(ScoringModel.Default, EventTypeNames), diff.Changes);
        Assert.Null(await test.Store.DiffAsync(7));
    }

    [Fact]
    public async Task Any_two_versions_can_be_compared_either_way()
    {
        await using var test = await ModelTestStore.CreateAsync();
        await test.Store.SaveAsync(Edited, 1, "maya", "More weight on recency");
        await test.Store.SaveAsync(Edited with { Curvature = 5 }, 2, "liam", "Steeper curve");

        var threeFromOne = await test.Store.DiffAsync(3, comparedWith: 1);
        var oneFromThree = await test.Store.DiffAsync(1, comparedWith: 3);

        Assert.Equal(1, threeFromOne!.ComparedWith!.Version);
        Assert.Equal(
            [new ModelChange("Logged in weight", "1", "2"), new ModelChange("Recency weight", "10", "40"), new ModelChange("Curvature k", "3", "5")],
            threeFromOne.Changes);
        Assert.Equal(threeFromOne.Changes.Select(c => new ModelChange(c.Field, c.After, c.Before)), oneFromThree!.Changes);
        Assert.Empty((await test.Store.DiffAsync(2, comparedWith: 2))!.Changes);
        Assert.Null(await test.Store.DiffAsync(3, comparedWith: 9));
    }

    /// <summary>Inserts version 2 as "rival" just before the next SaveChanges, once armed.</summary>
    private sealed class RivalSave : SaveChangesInterceptor
    {
        private bool armed;

        public void Arm() => armed = true;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (armed && eventData.Context is HealthDbContext db)
            {
                armed = false;
                await db.Database.ExecuteSqlRawAsync(
                    """INSERT INTO "ModelVersions" ("Id", "SavedAt", "SavedBy", "Comment", "ModelJson") VALUES (2, '2026-06-30 14:00:00', 'rival', 'First', {0})""",
                    [(V1 with { Curvature = 5 }).ToJson()],
                    cancellationToken);
            }

            return result;
        }
    }
}
