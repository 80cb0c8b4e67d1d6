using HealthDashboard.Data;
using System.Text.Json.Nodes;
using HealthDashboard.Cli;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Cli;

/// <summary><c>model export|import|list</c>: the model as code (DATA.md), validated like the editor, nothing saved on refusal.</summary>
public abstract class ModelVerbTests(DatabaseProvider engine) : IAsyncLifetime
{
    private TestStore database = null!;

    public async Task InitializeAsync() => database = await TestStore.CreateAsync(engine);

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task Export_then_import_gives_an_identical_model()
    {
        var tuned = ScoringModel.Default.WithEventType("login", new EventTypeSettings(3, KeyFeature: true)) with { Curvature = 2.5, WindowDays = 21, Thresholds = new GradeThresholds(90, 75, 45) };
        var source = await WriteAsync("tuned.json", tuned.ToJson());
        Assert.Equal(0, (await RunAsync("model", "import", source, "--segment", "Enterprise", "--comment", "Enterprise tuning")).Code);

        var exported = await RunAsync("model", "export", "--segment", "Enterprise");
        var again = await WriteAsync("again.json", exported.Output);
        var reimport = await RunAsync("model", "import", again, "--segment", "Mid Market", "--comment", "Same as Enterprise");
        var second = await RunAsync("model", "export", "--segment", "Mid Market");

        Assert.Equal(0, exported.Code);
        Assert.Equal((0, ""), (reimport.Code, reimport.Error));
        Assert.Equal(JsonNode.Parse(exported.Output)!["model"]!.ToJsonString(), JsonNode.Parse(second.Output)!["model"]!.ToJsonString());
        Assert.Equal(tuned, ScoringModel.FromJson(JsonNode.Parse(second.Output)!["model"]!.ToJsonString()));
        Assert.Equal("segment:Mid Market", JsonNode.Parse(second.Output)!["modelKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_onboarding_model_carries_its_period_and_lists_with_the_others()
    {
        var file = await WriteAsync("onboarding.json", (ScoringModel.Default with { OnboardingDays = 45 }).ToJson());

        var imported = await RunAsync("model", "import", file, "--onboarding");
        var exported = await RunAsync("model", "export", "--onboarding");
        var list = await RunAsync("model", "list");

        Assert.Equal((0, ""), (imported.Code, imported.Error));
        Assert.Equal(45, JsonNode.Parse(exported.Output)!["model"]!["onboardingDays"]!.GetValue<int>());
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("model,version,versions,active", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("default,1,1,true", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("onboarding,2,1,true", lines[2], StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> RefusedFiles => new()
    {
        { """{ "eventTypes": { "login": { "weight": 11 } } }""", "", "Weight of 'login' must be between 0 and 10 (got 11)." },
        { """{ "indicatorWeights": { "engagement": 101 } }""", "", "Engagement weight must be between 0 and 100 (got 101)." },
        { """{ "indicatorWeights": { "engagement": 0, "breadth": 0, "depth": 0, "frequency": 0, "recency": 0, "support": 0, "sentiment": 0, "growth": 0 } }""", "", "At least one indicator weight must be above 0." },
        { """{ "curvature": 12 }""", "", "Curvature k must be between 0 and 10 (got 12)." },
        { """{ "windowDays": 400 }""", "", "Window must be between 1 and 365 days (got 400)." },
        { """{ "thresholds": { "a": 101, "b": 70, "c": 40 } }""", "", "Grade A threshold must be between 1 and 100 (got 101)." },
        { """{ "thresholds": { "a": 85, "b": 90, "c": 40 } }""", "", "Thresholds must increase strictly: C < B < A (got C 40, B 90, A 85)." },
        { """{ "windowDays": 30, "onboardingDays": 0 }""", "--onboarding", "Onboarding period must be between 1 and 3650 days (got 0)." },
        { """{ "windowDays": 30 }""", "--onboarding", "The onboarding model needs its onboarding period in days (onboardingDays)." },
        { """{ "windowDays": 30, "onboardingDays": 30 }""", "", "Only the onboarding model has an onboarding period (onboardingDays)." },
        { """{ "format": "healthdashboard-scoring-model", "formatVersion": 3, "model": { "windowDays": 30 } }""", "", "The file is format version 3, newer than this HealthDashboard reads (up to 2): upgrade HealthDashboard to import it." },
        { """{ "windowDays": 30,""", "", "The file is not valid JSON" },
        { """{ "name": "not a model" }""", "", "The file holds no scoring model" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task Every_validation_rule_refuses_the_import_with_its_message_and_saves_nothing(string json, string option, string message)
    {
        var file = await WriteAsync("bad.json", json);
        var before = await VersionCountAsync();

        var (code, output, error) = option.Length == 0 ? await RunAsync("model", "import", file) : await RunAsync("model", "import", file, option);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(before, await VersionCountAsync());
    }

    [Fact]
    public async Task Export_of_a_missing_model_or_another_models_version_is_refused()
    {
        var missing = await RunAsync("model", "export", "--segment", "Nobody");
        var wrongModel = await RunAsync("model", "export", "--onboarding", "--version", "1");

        Assert.Equal((1, "model export: there is no Nobody model."), (missing.Code, missing.Error.Trim()));
        Assert.Equal((1, "model export: version 1 is not a version of the Onboarding model."), (wrongModel.Code, wrongModel.Error.Trim()));
    }

    [Theory]
    [InlineData("model import", "model import needs a FILE.")]
    [InlineData("model export --segment S --onboarding", "model takes --segment S or --onboarding, not both.")]
    [InlineData("model list --version 2", "Only 'model export' takes --version.")]
    [InlineData("override ACC-1 --value 50 --reason x", "override needs --until DATE.")]
    [InlineData("override ACC-1 --end --value 5", "override --end takes no --value, --reason, --until or --from.")]
    [InlineData("override --end", "override needs ACCOUNT_ID.")]
    public async Task Bad_arguments_print_usage_and_exit_2(string line, string problem)
    {
        var (code, _, error) = await RunAsync(line.Split(' '));

        Assert.Equal(2, code);
        Assert.StartsWith(problem, error, StringComparison.Ordinal);
        Assert.Contains("model export [--segment S | --onboarding] [--version N]", error, StringComparison.Ordinal);
    }

    private async Task<int> VersionCountAsync()
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.ModelVersions.CountAsync();
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(database.Directory, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. database.CliArguments], output, error, null, database.CliConfiguration);
        return (code, output.ToString(), error.ToString());
    }
}

public sealed class ModelVerbSqliteTests() : ModelVerbTests(DatabaseProvider.Sqlite);

public sealed class ModelVerbPostgresTests() : ModelVerbTests(DatabaseProvider.Postgres);
