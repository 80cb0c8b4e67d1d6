using HealthDashboard.Csv;
using HealthDashboard.Identity;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;

namespace HealthDashboard.Cli;

/// <summary>
/// <c>model export|import|list</c>: the scoring models as code (DATA.md). Import validates with the same rules and
/// messages as the editor (<see cref="ModelStore.ValidateFor"/>) and saves nothing when any fails.
/// </summary>
internal static class ModelVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error)
    {
        var store = services.GetRequiredService<ModelStore>();
        var key = args.Onboarding ? ModelKey.Onboarding : args.Segment is { } segment ? ModelKey.ForSegment(segment) : ModelKey.Default;
        switch (args.Action)
        {
            case "list":
                await output.WriteAsync(CsvWriter.Record(["model", "version", "versions", "active", "saved_at", "saved_by", "comment"]));
                foreach (var model in await store.ListModelsAsync())
                {
                    await output.WriteAsync(CsvSafety.Record([model.Key.ToString(), model.Latest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        model.Versions.ToString(System.Globalization.CultureInfo.InvariantCulture), model.Active ? "true" : "false",
                        CsvWriter.Time(model.Latest.SavedAt), model.Latest.SavedBy, model.Latest.Comment]));
                }

                return 0;
            case "import":
                return await ImportAsync(store, key, args, output, error);
            default:
                var detail = args.Version is { } version ? await store.GetAsync(version) : await store.GetLatestAsync(key);
                if (detail is null || detail.Info.Key != key)
                {
                    await error.WriteLineAsync(args.Version is { } v
                        ? $"model export: version {v} is not a version of the {key.DisplayName}."
                        : $"model export: there is no {key.DisplayName}.");
                    return 1;
                }

                if (detail.Info.Removed && args.Version is null)
                {
                    await error.WriteLineAsync($"model export: the {key.DisplayName} was removed in version {detail.Info.Version}; export an earlier --version.");
                    return 1;
                }

                await output.WriteLineAsync(ModelJsonFile.Export(detail));
                return 0;
        }
    }

    private static async Task<int> ImportAsync(ModelStore store, ModelKey key, CliArguments args, TextWriter output, TextWriter error)
    {
        var path = args.Subject!;
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"model import: there is no file '{path}'.");
            return 1;
        }

        if (new FileInfo(path).Length > ModelJsonFile.MaxBytes)
        {
            await error.WriteLineAsync($"model import: '{path}' is larger than {ModelJsonFile.MaxBytes / 1024} KB; a model file is a few KB.");
            return 1;
        }

        var read = ModelJsonFile.Import(await File.ReadAllTextAsync(path));
        if (read.Model is null)
        {
            await error.WriteLineAsync($"model import: {path}: {read.Error}");
            return 1;
        }

        var problems = ModelStore.ValidateFor(key, read.Model);
        if (problems.Count > 0)
        {
            await error.WriteLineAsync($"model import: {path} is refused, nothing was saved:");
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"  {problem.Field}: {problem.Message}");
            }

            return 1;
        }

        var latest = await store.GetLatestAsync(key);
        var comment = string.IsNullOrWhiteSpace(args.Comment) ? $"Imported from {Path.GetFileName(path)}" : args.Comment;
        var result = await store.SaveAsync(key, read.Model, latest?.Info.Version ?? 0, Actor.CommandLine.Name, comment, Actor.CommandLine);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"model import: {result.Message}");
            foreach (var problem in result.Problems)
            {
                await error.WriteLineAsync($"  {problem.Field}: {problem.Message}");
            }

            return 1;
        }

        await output.WriteLineAsync($"Saved the {key.DisplayName} as version {result.Saved!.Version}.");
        return 0;
    }
}
