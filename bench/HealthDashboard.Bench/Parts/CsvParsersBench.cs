using System.Text;
using HealthDashboard.Bench.Synthetic;
using nietras.SeparatedValues;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 15 (issue 11): the CSV parsers over part 3's usage.csv (a million rows), each reading every field of every
/// record as text from the file, with strict UTF-8 (invalid bytes are an error, as the import requires): the app's
/// own <c>Import/CsvReader</c>, Sep 0.17.1 and CsvHelper 34 (its span API; it parses UTF-8 bytes, decoded per field here).
/// Median of the slow runs, the file in the OS page cache for all (an untimed read first).
/// </summary>
public sealed class CsvParsersBench : BenchPart
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override int Number => 15;

    public override string Title => "CSV parsers";

    public override Task PrepareAsync(Scale scale, TextWriter log)
    {
        CsvFolders.Ensure(scale.Import, log);
        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var file = Path.Combine(CsvFolders.PathsFor(scale.Import).Usage, "usage.csv");
        var megabytes = new FileInfo(file).Length / 1e6;
        (string Name, Func<Task<long>> Read)[] parsers =
        [
            ("the app's CsvReader (hand-written)", () => OwnReaderAsync(file)),
            ("Sep 0.17.1", () => Task.FromResult(ReadWithSep(file))),
            ("CsvHelper 34", () => Task.FromResult(ReadWithCsvHelper(file))),
        ];

        // Each must see the same fields (a cross-check that they parse alike), and the file is cached for all.
        var checksums = new List<long>();
        foreach (var (_, read) in parsers)
        {
            checksums.Add(await read());
        }

        if (checksums.Distinct().Count() != 1)
        {
            throw new InvalidOperationException($"The parsers read different text: {string.Join(", ", checksums)}");
        }

        var times = parsers.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Math.Max(3, scale.SlowRuns); round++)
        {
            // Interleaved rounds: a burst of load elsewhere on a shared machine slows one round of each, not one parser.
            for (var p = 0; p < parsers.Length; p++)
            {
                GC.Collect();
                var (_, milliseconds) = await Timing.OnceAsync(parsers[p].Read);
                times[p].Add(milliseconds);
            }
        }

        var figures = new List<Figure>();
        for (var p = 0; p < parsers.Length; p++)
        {
            var median = new Samples(times[p]).Median;
            figures.Add(new(15, $"Read usage.csv ({megabytes:0} MB), every field: {parsers[p].Name}", median, "ms"));
            figures.Add(new(15, $"  {parsers[p].Name}: throughput", megabytes / (median / 1000), "MB/s"));
        }

        return figures;
    }

    private static async Task<long> OwnReaderAsync(string file)
    {
        await using var stream = Open(file);
        using var reader = new HealthDashboard.Import.CsvReader(stream);
        long checksum = 0;
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                checksum += reader[i].Length + 1;
            }
        }

        return checksum;
    }

    private static long ReadWithSep(string file)
    {
        using var text = new StreamReader(Open(file), StrictUtf8, detectEncodingFromByteOrderMarks: false);
        using var reader = nietras.SeparatedValues.Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true }).From(text);
        long checksum = 0;
        foreach (var row in reader)
        {
            for (var i = 0; i < row.ColCount; i++)
            {
                checksum += row[i].Span.Length + 1;
            }
        }

        return checksum;
    }

    private static long ReadWithCsvHelper(string file)
    {
        // CsvHelper 34 parses UTF-8 bytes; each field is decoded to UTF-16 here, as the importer needs text.
        using var stream = Open(file);
        using var reader = CsvHelper.CsvReader.Create(stream, CsvHelper.CsvReaderOptions.Default with { HasHeader = false }, false);
        Span<char> field = stackalloc char[4096];
        long checksum = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                checksum += reader.GetChars(i, field) + 1;
            }
        }

        return checksum;
    }

    private static FileStream Open(string file) =>
        new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
}
