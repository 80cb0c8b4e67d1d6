using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.ModelVersions;

public sealed class ModelJsonFileTests
{
    [Fact]
    public void A_bare_model_imports()
    {
        var model = TestPortfolio.Model() with { Curvature = 4.5 };

        var imported = ModelJsonFile.Import(model.ToJson());

        Assert.Equal(model, imported.Model);
        Assert.Null(imported.SourceVersion);
    }

    [Fact]
    public void A_draft_export_names_its_base_and_imports()
    {
        var draft = TestPortfolio.Model() with { WindowDays = 45 };

        var json = ModelJsonFile.ExportDraft(draft, baseVersion: 4);
        var imported = ModelJsonFile.Import(json);

        Assert.Contains("\"basedOn\": 4", json);
        Assert.Equal(draft, imported.Model);
        Assert.Null(imported.SourceVersion);
    }

    [Fact]
    public void An_invalid_model_loads_with_its_problems_so_it_can_be_fixed()
    {
        var json = """{ "model": { "windowDays": 400, "thresholds": { "a": 85, "b": 70, "c": 40 } }, "version": 9 }""";

        var imported = ModelJsonFile.Import(json);

        Assert.Equal(400, imported.Model!.WindowDays);
        Assert.Equal(9, imported.SourceVersion);
        Assert.Equal([new ModelProblem("WindowDays", "Window must be between 1 and 365 days (got 400).")], imported.Problems);
    }

    [Theory]
    [InlineData("", "The file is empty.")]
    [InlineData("[1, 2]", "The file does not hold a JSON object.")]
    [InlineData("""{ "name": "not a model" }""", "The file holds no scoring model (expected eventTypes, indicatorWeights, curvature, windowDays or thresholds).")]
    [InlineData("""{ "eventTypes": { "login": null } }""", "Event type 'login' has no settings object.")]
    public void Unreadable_files_are_refused_with_a_reason(string json, string error)
    {
        var imported = ModelJsonFile.Import(json);

        Assert.Null(imported.Model);
        Assert.Equal(error, imported.Error);
    }

    [Theory]
    [InlineData("""{ "windowDays": 30, "windowDays": 31 }""", "windowDays")]
    [InlineData("""{ "model": { "curvature": 3 }, "model": { "curvature": 2 } }""", "model")]
    public void A_name_given_twice_is_refused_not_thrown(string json, string name)
    {
        // Found by the fuzzing suite: the parsed node threw ArgumentException on first access.
        var imported = ModelJsonFile.Import(json);

        Assert.Null(imported.Model);
        Assert.StartsWith("The file is not valid JSON: ", imported.Error, StringComparison.Ordinal);
        Assert.Contains(name, imported.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_and_wrong_types_say_so()
    {
        Assert.StartsWith("The file is not valid JSON", ModelJsonFile.Import("{ \"curvature\": ").Error);
        Assert.StartsWith("The model could not be read", ModelJsonFile.Import("""{ "curvature": "steep" }""").Error);
    }
}
