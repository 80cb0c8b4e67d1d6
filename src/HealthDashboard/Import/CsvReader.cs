using System.Text.Unicode;
using CsvHelper;
using Parser = CsvHelper.CsvReader;

namespace HealthDashboard.Import;

/// <summary>
/// The import's CSV reader: RFC 4180 (comma-separated, fields optionally in double quotes, which may hold commas,
/// doubled quotes and line breaks; records ended by CRLF, LF or CR), strict UTF-8 with or without a byte-order mark.
/// Blank lines are skipped but counted. Only the current record is held in memory; its fields are spans, valid until
/// the next <see cref="ReadAsync"/>. Malformed input is a <see cref="CsvFormatException"/> naming its line.
/// </summary>
/// <remarks>
/// <para>The parsing is CsvHelper 34's (a SIMD scanner over UTF-8 bytes, with line tracking, a bounded record size and
/// a report of malformed quoting). Bench part 15 weighed it against Sep 0.17 and the hand-written reader this class
/// replaced: see the bench README for the figures and why it won. What this class adds is what the importer
/// guarantees and the parser leaves to its caller: a UTF-16 or UTF-32 file is refused by its byte-order mark (the
/// parser would transcode it), invalid UTF-8 is refused at its true line and column (the parser hands out bytes), an
/// unclosed quote and text after a closing quote are errors (the parser recovers from them), and the fields are
/// decoded to UTF-16 once per record for the importer's span-based checks and lookups.</para>
/// </remarks>
public sealed class CsvReader : IDisposable
{
    /// <summary>A record longer than this (in bytes) is refused: most likely an unclosed quote.</summary>
    public const int MaxRecordLength = 1 << 20;

    /// <summary>Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE).</summary>
    private static readonly (byte[] Mark, string Encoding)[] ForeignMarks =
    [
        ([0xFF, 0xFE, 0x00, 0x00], "UTF-32 (little-endian)"),
        ([0x00, 0x00, 0xFE, 0xFF], "UTF-32 (big-endian)"),
        ([0xFF, 0xFE], "UTF-16 (little-endian)"),
        ([0xFE, 0xFF], "UTF-16 (big-endian)"),
    ];

    private readonly Stream stream;
    private Parser? parser;

    // The first malformed record the parser reported (it may scan ahead of the record it returns): refused when reached.
    private CsvMalformedRecord? malformed;

    // The current record's fields decoded to UTF-16, one after the other; fieldEnds[i] is where field i ends.
    private char[] text = new char[1024];
    private int[] fieldEnds = new int[16];

    /// <summary>Reads UTF-8 (BOM optional) from <paramref name="stream"/>; the stream stays open.</summary>
    public CsvReader(Stream stream)
    {
        this.stream = stream;
    }

    /// <summary>Number of fields of the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>1-based line number where the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>The field <paramref name="index"/> of the current record, quotes removed.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)FieldCount, nameof(index));
            var start = index == 0 ? 0 : this.fieldEnds[index - 1];
            return this.text.AsSpan(start, this.fieldEnds[index] - start);
        }
    }

    /// <summary>
    /// Moves to the next record; false at the end of the input. Throws <see cref="CsvFormatException"/>
    /// on malformed CSV (an unclosed quote, text after a closing quote, invalid UTF-8, a record over the maximum length).
    /// </summary>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (this.parser is null)
        {
            return OpenAndReadAsync(cancellationToken);
        }

        // The common case (the record is already in the parser's buffer) completes without an async state machine.
        var read = this.parser.ReadAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? new(Accept(read.Result)) : ReadSlowAsync(read);
    }

    private async ValueTask<bool> OpenAndReadAsync(CancellationToken cancellationToken)
    {
        this.parser = await OpenAsync(cancellationToken);
        return await ReadSlowAsync(this.parser.ReadAsync(cancellationToken));
    }

    private async ValueTask<bool> ReadSlowAsync(ValueTask<bool> read)
    {
        bool found;
        try
        {
            found = await read;
        }
        catch (CsvHelper.CsvFormatException e)
        {
            // With malformed quoting reported rather than thrown, what the parser throws is a record it will not buffer.
            throw TooLong(e.LineNumber > 0 ? (int)e.LineNumber : Line + 1);
        }

        return Accept(found);
    }

    /// <inheritdoc />
    public void Dispose() => this.parser?.Dispose();

    /// <summary>Checks the byte-order mark, then hands the stream (with the bytes peeked at) to the parser.</summary>
    private async Task<Parser> OpenAsync(CancellationToken cancellationToken)
    {
        var start = new byte[4];
        var peeked = 0;
        while (peeked < start.Length && await this.stream.ReadAsync(start.AsMemory(peeked), cancellationToken) is var read and > 0)
        {
            peeked += read;
        }

        foreach (var (mark, encoding) in ForeignMarks)
        {
            if (start.AsSpan(0, peeked).StartsWith(mark))
            {
                throw new CsvFormatException(1, $"the file is {encoding} (it starts with that byte-order mark); save it as UTF-8");
            }
        }

        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            DetectSeparatorHint = false,
            TrackLineNumbers = true,
            MaxRecordSize = MaxRecordLength,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => this.malformed ??= IsRefused(record.Reason) ? record : null,
        };
        return Parser.Create(new PeekedStream(start.AsMemory(0, peeked), this.stream), options, leaveOpen: true);
    }

    /// <summary>A stray quote inside an unquoted field stays text, as RFC 4180 readers commonly allow; the rest is refused.</summary>
    private static bool IsRefused(CsvMalformedReason reason) => reason is CsvMalformedReason.TextAfterClosingQuote or CsvMalformedReason.UnterminatedQuote;

    private bool Accept(bool found)
    {
        var parser = this.parser!;
        if (found && parser.RawRecord.Length > MaxRecordLength)
        {
            // The parser reads a long record it already holds in full (an unclosed quote near the end, say): refused all the same.
            throw TooLong((int)parser.LineNumber);
        }

        if (this.malformed is { } bad && (!found || parser.RowNumber >= bad.RecordNumber))
        {
            throw new CsvFormatException((int)bad.LineNumber, bad.Reason == CsvMalformedReason.UnterminatedQuote
                ? "a quoted field is not closed"
                : "text follows the closing quote of a field");
        }

        if (!found)
        {
            FieldCount = 0;
            return false;
        }

        Line = (int)parser.LineNumber;
        var raw = parser.RawRecord;
        if (!Utf8.IsValid(raw))
        {
            throw InvalidUtf8(raw);
        }

        var count = parser.FieldCount;
        if (count > this.fieldEnds.Length)
        {
            this.fieldEnds = new int[Math.Max(count, this.fieldEnds.Length * 2)];
        }

        if (raw.Length > this.text.Length)
        {
            // A field's text is never longer, in UTF-16 units, than its bytes in the raw record.
            this.text = new char[Math.Max(raw.Length, this.text.Length * 2)];
        }

        var end = 0;
        for (var i = 0; i < count; i++)
        {
            Utf8.ToUtf16(parser.GetSpan(i), this.text.AsSpan(end), out _, out var written);
            end += written;
            this.fieldEnds[i] = end;
        }

        FieldCount = count;
        return true;
    }

    private static CsvFormatException TooLong(int line) => new(line, $"a record is longer than {MaxRecordLength:#,0} bytes (an unclosed quote?)");

    /// <summary>The line and column (in characters) of the first invalid byte of the record starting at <see cref="Line"/>.</summary>
    private CsvFormatException InvalidUtf8(ReadOnlySpan<byte> raw)
    {
        var decoded = new char[raw.Length];
        Utf8.ToUtf16(raw, decoded, out var good, out var written, replaceInvalidSequences: false);
        var line = Line;
        var column = 1;
        for (var i = 0; i < written; i++)
        {
            var c = decoded[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= written || decoded[i + 1] != '\n')))
            {
                line++;
                column = 1;
            }
            else if (c != '\r')
            {
                column++;
            }
        }

        return new CsvFormatException(line, $"the file is not valid UTF-8 (byte 0x{raw[good]:X2} at column {column} of the line)");
    }

    /// <summary>The bytes read to check the byte-order mark, then the rest of the stream: the parser sees the whole input.</summary>
    private sealed class PeekedStream(ReadOnlyMemory<byte> peeked, Stream rest) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            if (peeked.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var count = Math.Min(buffer.Length, peeked.Length);
            peeked.Span[..count].CopyTo(buffer);
            peeked = peeked[count..];
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            peeked.IsEmpty ? rest.ReadAsync(buffer, cancellationToken) : new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Malformed CSV: the file cannot be read past <see cref="Line"/>.</summary>
public sealed class CsvFormatException(int line, string message) : Exception(message)
{
    /// <summary>1-based line where the problem was found.</summary>
    public int Line { get; } = line;
}
