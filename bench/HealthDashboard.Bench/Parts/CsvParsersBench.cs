using System.Text;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Import;
using nietras.SeparatedValues;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 15 (issue 11): the CSV parsers over part 3's usage.csv (a million rows), each used the way the importer uses
/// its reader: every field of every record as a span of text, with strict UTF-8 (invalid bytes are an error), the
/// timestamp and the count parsed from their spans (<see cref="ImportValues"/>), no string per field. Sep 0.17.1 (its
/// rows' column spans, over a strict UTF-8 <see cref="StreamReader"/>, since Sep decodes from text), CsvHelper 34
/// (its span API over the file's UTF-8 bytes, each field decoded into a stack buffer) and the app's
/// <c>Import/CsvReader</c>, which is CsvHelper plus the importer's checks (byte-order marks, UTF-8 validated per record
/// for its line and column, refused malformed quoting, fields decoded once per record). Interleaved rounds, medians,
/// the file in the OS page cache for all (an untimed read first).
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
            ("Sep 0.17.1", () => Task.FromResult(ReadWithSep(file))),
            ("CsvHelper 34", () => Task.FromResult(ReadWithCsvHelper(file))),
            ("the app's CsvReader (CsvHelper 34 and the import's checks)", () => AppReaderAsync(file)),
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

    private static async Task<long> AppReaderAsync(string file)
    {
        await using var stream = Open(file);
        using var reader = new HealthDashboard.Import.CsvReader(stream);
        long checksum = 0;
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                checksum += Weigh(i, reader[i]);
            }
        }

        return checksum;
    }

    /// <summary>
    /// What the importer does with a field of usage.csv besides looking it up: its length is checked; the timestamp
    /// (column 3) and the count (column 4) are parsed. The sum makes a checksum the parsers must agree on.
    /// </summary>
    private static long Weigh(int column, ReadOnlySpan<char> field) => column switch
    {
        3 when ImportValues.TryParseTime(field, out var time) => time.Ticks % 1_000_003 + field.Length,
        4 when ImportValues.TryParseWhole(field, out var count) => count + field.Length,
        _ => field.Length + 1,
    };

    private static long ReadWithSep(string file)
    {
        using var text = new StreamReader(Open(file), StrictUtf8, detectEncodingFromByteOrderMarks: false);
        using var reader = nietras.SeparatedValues.Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true }).From(text);
        long checksum = 0;
        foreach (var row in reader)
        {
            for (var i = 0; i < row.ColCount; i++)
            {
                checksum += Weigh(i, row[i].Span);
            }
        }

        return checksum;
    }

    private static long ReadWithCsvHelper(string file)
    {
        // CsvHelper 34 parses UTF-8 bytes; each field is decoded to UTF-16 here, as the importer needs text.
        using var stream = Open(file);
        using var reader = CsvHelper.CsvReader.Create(stream, CsvHelper.CsvReaderOptions.Default with { HasHeader = false, Separator = ',' }, false);
        Span<char> field = stackalloc char[4096];
        long checksum = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                checksum += Weigh(i, field[..reader.GetChars(i, field)]);
            }
        }

        return checksum;
    }

    private static FileStream Open(string file) =>
        new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
}
