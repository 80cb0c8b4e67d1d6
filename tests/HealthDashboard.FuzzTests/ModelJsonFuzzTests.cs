using System.Text;
using CsCheck;
using HealthDashboard.ModelVersions;

namespace HealthDashboard.FuzzTests;

/// <summary>
/// The scoring model's JSON import (the editor's "Import JSON") fed the hostile corpus and mutations of it:
/// it never throws; it gives an error or a model; a model with problems names the fields; saving what it
/// gives is either a new version or a refusal that leaves the database exactly as it was.
/// </summary>
public sealed class ModelJsonFuzzTests
{
    private static readonly IReadOnlyList<(string Name, byte[] Bytes)> Corpus = Fuzz.Corpus("model");

    [Fact]
    public async Task Hostile_and_mutated_model_files_give_an_error_or_a_model_and_a_refused_save_changes_nothing()
    {
        await using var store = await TestStore.CreateAsync();
        var models = store.Get<ModelStore>();

        await Fuzz.Mutated(Corpus).SampleAsync(async bytes =>
        {
            // The editor reads the file as text (invalid UTF-8 becomes U+FFFD), as here.
            var imported = ModelJsonFile.Import(Encoding.UTF8.GetString(bytes));

            Assert.True(imported.Error is null != (imported.Model is null), "exactly one of an error and a model");
            if (imported.Model is not { } model)
            {
                Assert.False(string.IsNullOrWhiteSpace(imported.Error));
                return;
            }

            Assert.All(imported.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
            var before = await store.ChecksumAsync();
            var latest = (await models.GetLatestAsync())!;
            var saved = await models.SaveAsync(model, latest.Info.Version, "Fuzz", "A fuzzed model file");
            if (saved.Saved is null)
            {
                Assert.False(string.IsNullOrWhiteSpace(saved.Message));
                Assert.Equal(before, await store.ChecksumAsync());
            }
            else
            {
                Assert.Empty(imported.Problems);
            }
        }, iter: Fuzz.Iterations, threads: 1, seed: Fuzz.Seed, print: b => Convert.ToHexString(b.AsSpan(0, Math.Min(b.Length, 200))));
    }
}
