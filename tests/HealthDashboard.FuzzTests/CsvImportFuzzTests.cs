using CsCheck;
using HealthDashboard.Import;

namespace HealthDashboard.FuzzTests;

/// <summary>
/// The CSV import fed the hostile corpus and random mutations of it (one to three files, as a folder or an
/// upload would bring them): it never throws, it either imports or refuses with problems that name their
/// file (and line), one line each, and a refusal leaves the database exactly as it was.
/// </summary>
public sealed class CsvImportFuzzTests
{
    private static readonly IReadOnlyList<(string Name, byte[] Bytes)> Corpus = Fuzz.Corpus("csv");

    [Fact]
    public async Task Hostile_and_mutated_files_are_imported_or_refused_with_located_problems_and_nothing_changed()
    {
        await using var store = await TestStore.CreateAsync();
        var importer = store.Get<FolderImporter>();
        var seeded = await importer.ImportStreamsAsync(
            Corpus.Where(f => f.Name.Contains(".valid.", StringComparison.Ordinal))
                .ToDictionary(f => ImportName(f.Name), f => (Stream)new MemoryStream(f.Bytes)), "fuzz");
        Assert.True(seeded.Succeeded, string.Join("\n", seeded.Problems));

        var cases =
            from files in Fuzz.MutatedFile(Corpus).Array[1, 3]
            from upload in Gen.Bool
            from shout in Gen.Bool
            select (files, upload, shout);
        await cases.SampleAsync(async c =>
        {
            var before = await store.ChecksumAsync();
            var streams = new Dictionary<string, Stream>(StringComparer.Ordinal);
            foreach (var (name, bytes) in c.files)
            {
                // Now and then the same file in other letters: "USAGE.CSV" beside "usage.csv" must be named, not lost.
                var fileName = c.shout && streams.Count > 0 ? ImportName(name).ToUpperInvariant() : ImportName(name);
                streams.TryAdd(fileName, c.upload ? new ForwardOnlyStream(bytes) : new MemoryStream(bytes));
            }

            var result = await importer.ImportStreamsAsync(streams, "fuzz");

            Assert.All(result.Warnings, w => Assert.True(Fuzz.IsOneLine(w), w));
            if (result.Succeeded)
            {
                return;
            }

            Assert.NotEmpty(result.Problems);
            Assert.True(result.ProblemCount >= result.Problems.Count);
            Assert.All(result.Problems, p =>
            {
                Assert.False(string.IsNullOrWhiteSpace(p.File));
                Assert.False(string.IsNullOrWhiteSpace(p.Message));
                Assert.True(Fuzz.IsOneLine(p.ToString()), p.ToString());
            });
            Assert.Equal(before, await store.ChecksumAsync());
        }, iter: Fuzz.Iterations, threads: 1, seed: Fuzz.Seed, print: c => string.Join(" + ", c.files.Select(f => $"{f.Name} ({f.Bytes.Length} bytes: {Convert.ToHexString(f.Bytes.AsSpan(0, Math.Min(f.Bytes.Length, 64)))}...)")));
    }

    /// <summary>"usage.invalid-utf8.csv" is fed as "usage.csv".</summary>
    private static string ImportName(string corpusName) => corpusName[..corpusName.IndexOf('.', StringComparison.Ordinal)] + ".csv";
}
