using System.Text;
using CsCheck;

namespace HealthDashboard.FuzzTests;

/// <summary>
/// The shared parts of the fuzzing suite: how many cases to run (<c>HD_FUZZ_ITERATIONS</c>, default
/// <see cref="DefaultIterations"/> per target, bounded so CI stays within a couple of minutes), an optional
/// seed to replay a reported failure (<c>HD_FUZZ_SEED</c>), the hostile corpus kept in <c>Corpus/</c>, and a
/// generator that mutates corpus files the way broken exports and hostile clients do.
/// </summary>
internal static class Fuzz
{
    public const string IterationsVariable = "HD_FUZZ_ITERATIONS";
    public const string SeedVariable = "HD_FUZZ_SEED";
    public const long DefaultIterations = 500;

    /// <summary>Cases per target.</summary>
    public static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), out var n) && n > 0 ? n : DefaultIterations;

    /// <summary>The seed CsCheck printed for a failure, to run exactly that case again; null: random.</summary>
    public static string? Seed => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed ? seed : null;

    /// <summary>The corpus files of one folder (<c>csv</c>, <c>model</c>, <c>api</c>), by file name, in a fixed order.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Corpus(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Corpus", folder))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)))];

    /// <summary>Byte sequences that break parsers: quotes, separators, line ends, marks, bad UTF-8, extreme numbers and times.</summary>
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\"", ",", "\n", "\r", "\r\n", "\"\"", "1e309", "NaN", "-1", "99999999999999999999", "1.7e308", "0001-01-01",
            "9999-12-31T23:59:59+14:00", "2026-02-30", "null", "[", "]", "{", "}", "\"count\":", "true", ":", "\\", "\u2028",
            "\u0000", "\u001b[2J", "=cmd|' /C calc'!A0", new string('x', 1200), "A1", "login", "U1",
        }.Select(Encoding.UTF8.GetBytes),
        [0xEF, 0xBB, 0xBF], [0xFF], [0xC3], [0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
    ];

    /// <summary>A corpus file (by index) with up to six mutations, or, now and then, plain random bytes.</summary>
    public static Gen<byte[]> Mutated(IReadOnlyList<(string Name, byte[] Bytes)> corpus) =>
        Gen.Frequency(
            (9, from index in Gen.Int[0, corpus.Count - 1]
                from mutations in Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Array[0, 6]
                select Mutate(corpus[index].Bytes, mutations)),
            (1, Gen.Byte.Array[0, 400]));

    /// <summary>A corpus file with its name and mutated content.</summary>
    public static Gen<(string Name, byte[] Bytes)> MutatedFile(IReadOnlyList<(string Name, byte[] Bytes)> corpus) =>
        from index in Gen.Int[0, corpus.Count - 1]
        from mutations in Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Array[0, 6]
        select (corpus[index].Name, Mutate(corpus[index].Bytes, mutations));

    private static byte[] Mutate(byte[] input, (int Kind, int Position, int Argument)[] mutations)
    {
        var bytes = new List<byte>(input);
        foreach (var (kind, position, argument) in mutations)
        {
            var at = bytes.Count == 0 ? 0 : position % (bytes.Count + 1);
            var token = Tokens[argument % Tokens.Length];
            switch (kind)
            {
                case 0 when at < bytes.Count: // flip bits of one byte
                    bytes[at] ^= (byte)(1 + argument % 255);
                    break;
                case 1: // insert a token
                    bytes.InsertRange(at, token);
                    break;
                case 2 when at < bytes.Count: // delete a short run
                    bytes.RemoveRange(at, Math.Min(1 + argument % 16, bytes.Count - at));
                    break;
                case 3 when at < bytes.Count: // repeat a run (duplicated rows, runaway fields)
                    var run = bytes.GetRange(at, Math.Min(1 + argument % 64, bytes.Count - at));
                    for (var i = 0; i < 1 + argument % 4; i++)
                    {
                        bytes.InsertRange(at, run);
                    }

                    break;
                case 4: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5 when at < bytes.Count: // overwrite with a token
                    bytes.RemoveAt(at);
                    bytes.InsertRange(at, token);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>True when <paramref name="text"/> is one line: a problem message never breaks the one-per-line output.</summary>
    public static bool IsOneLine(string text) => !text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal);
}

/// <summary>A forward-only view of a byte array (an upload), so the importer's single-pass hashing path is fuzzed too.</summary>
internal sealed class ForwardOnlyStream(byte[] bytes) : Stream
{
    private int position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(count, bytes.Length - position);
        Array.Copy(bytes, position, buffer, offset, n);
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
