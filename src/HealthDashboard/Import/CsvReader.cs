using System.Buffers;
using System.Text.Unicode;

namespace HealthDashboard.Import;

/// <summary>
/// A streaming RFC 4180 reader: comma-separated, fields optionally in double quotes (which may hold
/// commas, doubled quotes and line breaks), records ended by CRLF, LF or CR. UTF-8 with or without
/// a byte-order mark. Only the current record is held in memory; its fields are spans over an
/// internal buffer, valid until the next <see cref="ReadAsync"/>. Blank lines are skipped.
/// The bytes are decoded here (not by a <see cref="StreamReader"/>) so that invalid UTF-8 is reported at
/// its true line and column, and a UTF-16 or UTF-32 file is refused by its byte-order mark, not misread.
/// </summary>
public sealed class CsvReader : IDisposable
{
    /// <summary>A record longer than this (in characters) is refused: most likely an unclosed quote.</summary>
    public const int MaxRecordLength = 1 << 20;

    private static readonly SearchValues<char> FieldEnd = SearchValues.Create(",\r\n");

    /// <summary>Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE).</summary>
    private static readonly (byte[] Mark, string Encoding)[] ForeignMarks =
    [
        ([0xFF, 0xFE, 0x00, 0x00], "UTF-32 (little-endian)"),
        ([0x00, 0x00, 0xFE, 0xFF], "UTF-32 (big-endian)"),
        ([0xFF, 0xFE], "UTF-16 (little-endian)"),
        ([0xFE, 0xFF], "UTF-16 (big-endian)"),
    ];

    private readonly Stream stream;
    private readonly byte[] bytes = new byte[1 << 16];
    private int byteStart;
    private int byteEnd;
    private bool streamEnded;
    private bool markChecked;

    private char[] buffer = new char[1 << 16];
    private int position;
    private int length;
    private bool endOfInput;

    // Unescaped copies of quoted fields that contained doubled quotes.
    private char[] scratch = new char[256];
    private int scratchLength;

    private Field[] fields = new Field[16];
    private int nextLine = 1;

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
            var field = this.fields[index];
            return (field.InScratch ? this.scratch : this.buffer).AsSpan(field.Start, field.Length);
        }
    }

    /// <summary>
    /// Moves to the next record; false at the end of the input. Throws <see cref="CsvFormatException"/>
    /// on malformed CSV (an unclosed quote, text after a closing quote, invalid UTF-8).
    /// </summary>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        // The common case (the record is already in the buffer) completes without an async state machine.
        var outcome = TryParseRecord();
        return outcome == ParseOutcome.NeedMoreInput ? ReadSlowAsync(cancellationToken) : new(outcome == ParseOutcome.Record);
    }

    private async ValueTask<bool> ReadSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await FillAsync(cancellationToken);
            var outcome = TryParseRecord();
            if (outcome != ParseOutcome.NeedMoreInput)
            {
                return outcome == ParseOutcome.Record;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The stream belongs to the caller.
    }

    private enum ParseOutcome
    {
        Record,
        End,
        NeedMoreInput,
    }

    private readonly record struct Field(int Start, int Length, bool InScratch);

    /// <summary>
    /// Parses one record from the buffer. If the buffer ends before the record does, nothing is
    /// consumed and the record is parsed again from its start once more input has been read.
    /// </summary>
    private ParseOutcome TryParseRecord()
    {
        var p = position;
        var line = nextLine;

        // Skip blank lines.
        while (p < length && (this.buffer[p] == '\n' || this.buffer[p] == '\r'))
        {
            if (this.buffer[p] == '\r' && p + 1 == length && !endOfInput)
            {
                return ParseOutcome.NeedMoreInput;
            }

            if (this.buffer[p] == '\r' && p + 1 < length && this.buffer[p + 1] == '\n')
            {
                p++;
            }

            p++;
            line++;
        }

        if (p == length)
        {
            position = p;
            nextLine = line;
            return endOfInput ? ParseOutcome.End : ParseOutcome.NeedMoreInput;
        }

        var recordLine = line;
        var count = 0;
        scratchLength = 0;
        while (true)
        {
            // p is at the start of a field.
            if (count == this.fields.Length)
            {
                Array.Resize(ref this.fields, count * 2);
            }

            if (p < length && this.buffer[p] == '"')
            {
                if (!TryParseQuoted(ref p, ref line, recordLine, out this.fields[count]))
                {
                    return ParseOutcome.NeedMoreInput;
                }
            }
            else
            {
                var end = p < length ? this.buffer.AsSpan(p, length - p).IndexOfAny(FieldEnd) : -1;
                if (end < 0)
                {
                    if (!endOfInput)
                    {
                        return ParseOutcome.NeedMoreInput;
                    }

                    end = length - p;
                }

                this.fields[count] = new Field(p, end, false);
                p += end;
            }

            count++;

            // p is after the field: a comma, a line break or the end of the input.
            if (p == length)
            {
                if (!endOfInput)
                {
                    return ParseOutcome.NeedMoreInput;
                }

                break;
            }

            var separator = this.buffer[p];
            if (separator == ',')
            {
                p++;
                continue;
            }

            if (separator == '\r')
            {
                if (p + 1 == length && !endOfInput)
                {
                    return ParseOutcome.NeedMoreInput;
                }

                p += p + 1 < length && this.buffer[p + 1] == '\n' ? 2 : 1;
            }
            else
            {
                p++;
            }

            line++;
            break;
        }

        FieldCount = count;
        Line = recordLine;
        position = p;
        nextLine = line;
        return ParseOutcome.Record;
    }

    /// <summary>Parses a quoted field starting at <paramref name="p"/>; false when the buffer ends first.</summary>
    private bool TryParseQuoted(ref int p, ref int line, int recordLine, out Field field)
    {
        field = default;
        var start = p + 1;
        var q = start;
        var scratchStart = -1;
        while (true)
        {
            var rest = this.buffer.AsSpan(q, length - q);
            var quote = rest.IndexOf('"');
            if (quote < 0)
            {
                if (endOfInput)
                {
                    throw new CsvFormatException(recordLine, "a quoted field is not closed");
                }

                return false;
            }

            line += rest[..quote].Count('\n');
            var at = q + quote;
            if (at + 1 == length && !endOfInput)
            {
                return false;
            }

            var doubled = at + 1 < length && this.buffer[at + 1] == '"';
            if (doubled || scratchStart >= 0)
            {
                // Copy the text up to and including one quote (or the end) into the scratch buffer.
                if (scratchStart < 0)
                {
                    scratchStart = scratchLength;
                }

                AppendScratch(this.buffer.AsSpan(q, at - q + (doubled ? 1 : 0)));
            }

            if (doubled)
            {
                q = at + 2;
                continue;
            }

            p = at + 1;
            if (p < length && this.buffer[p] is not (',' or '\r' or '\n'))
            {
                throw new CsvFormatException(line, "text follows the closing quote of a field");
            }

            field = scratchStart >= 0
                ? new Field(scratchStart, scratchLength - scratchStart, true)
                : new Field(start, at - start, false);
            return true;
        }
    }

    private void AppendScratch(ReadOnlySpan<char> text)
    {
        if (scratchLength + text.Length > this.scratch.Length)
        {
            Array.Resize(ref this.scratch, Math.Max(this.scratch.Length * 2, scratchLength + text.Length));
        }

        text.CopyTo(this.scratch.AsSpan(scratchLength));
        scratchLength += text.Length;
    }

    /// <summary>Keeps the unfinished record at the start of the buffer and reads more after it.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (endOfInput)
        {
            return;
        }

        var kept = length - position;
        if (kept == this.buffer.Length)
        {
            if (kept >= MaxRecordLength)
            {
                throw new CsvFormatException(nextLine, $"a record is longer than {MaxRecordLength} characters (an unclosed quote?)");
            }

            var larger = new char[this.buffer.Length * 2];
            this.buffer.AsSpan(position, kept).CopyTo(larger);
            this.buffer = larger;
        }
        else if (position > 0)
        {
            this.buffer.AsSpan(position, kept).CopyTo(this.buffer);
        }

        position = 0;
        length = kept;
        if (this.buffer.Length - length < 2)
        {
            // Room for at least a surrogate pair.
            Array.Resize(ref this.buffer, this.buffer.Length * 2);
        }

        while (true)
        {
            if (markChecked && (byteStart < byteEnd || streamEnded))
            {
                var status = Utf8.ToUtf16(this.bytes.AsSpan(byteStart, byteEnd - byteStart), this.buffer.AsSpan(length),
                    out var bytesRead, out var charsWritten, replaceInvalidSequences: false, isFinalBlock: streamEnded);
                byteStart += bytesRead;
                length += charsWritten;
                if (status == OperationStatus.InvalidData)
                {
                    throw InvalidUtf8();
                }

                if (charsWritten > 0)
                {
                    return;
                }

                if (streamEnded)
                {
                    endOfInput = true;
                    return;
                }
            }

            // Keep an incomplete sequence (at most 3 bytes) and read more after it.
            var left = byteEnd - byteStart;
            this.bytes.AsSpan(byteStart, left).CopyTo(this.bytes);
            byteStart = 0;
            byteEnd = left;
            var read = await this.stream.ReadAsync(this.bytes.AsMemory(byteEnd), cancellationToken);
            byteEnd += read;
            streamEnded = read == 0;
            if (!markChecked && (byteEnd >= 4 || streamEnded))
            {
                CheckByteOrderMark();
            }
        }
    }

    /// <summary>Skips a UTF-8 byte-order mark; refuses a file whose mark says it is UTF-16 or UTF-32.</summary>
    private void CheckByteOrderMark()
    {
        markChecked = true;
        var start = this.bytes.AsSpan(0, byteEnd);
        foreach (var (mark, encoding) in ForeignMarks)
        {
            if (start.StartsWith(mark))
            {
                throw new CsvFormatException(1, $"the file is {encoding} (it starts with that byte-order mark); save it as UTF-8");
            }
        }

        if (start.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            byteStart = 3;
        }
    }

    /// <summary>
    /// The bad bytes come right after the decoded text: their line and column are counted from the start
    /// of the unfinished record (whose line is known), through any line breaks decoded since.
    /// </summary>
    private CsvFormatException InvalidUtf8()
    {
        var line = nextLine;
        var column = 1;
        for (var i = position; i < length; i++)
        {
            var c = this.buffer[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= length || this.buffer[i + 1] != '\n')))
            {
                line++;
                column = 1;
            }
            else if (c != '\r')
            {
                column++;
            }
        }

        var bad = this.bytes[byteStart];
        return new CsvFormatException(line, $"the file is not valid UTF-8 (byte 0x{bad:X2} at column {column} of the line)");
    }
}

/// <summary>Malformed CSV: the file cannot be read past <see cref="Line"/>.</summary>
public sealed class CsvFormatException(int line, string message) : Exception(message)
{
    /// <summary>1-based line where the problem was found.</summary>
    public int Line { get; } = line;
}
