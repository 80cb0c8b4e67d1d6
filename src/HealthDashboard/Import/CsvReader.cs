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

    private readonly Stream _stream;
    private readonly byte[] _bytes = new byte[1 << 16];
    private int _byteStart;
    private int _byteEnd;
    private bool _streamEnded;
    private bool _markChecked;

    private char[] _buffer = new char[1 << 16];
    private int _position;
    private int _length;
    private bool _endOfInput;

    // Unescaped copies of quoted fields that contained doubled quotes.
    private char[] _scratch = new char[256];
    private int _scratchLength;

    private Field[] _fields = new Field[16];
    private int _nextLine = 1;

    /// <summary>Reads UTF-8 (BOM optional) from <paramref name="stream"/>; the stream stays open.</summary>
    public CsvReader(Stream stream)
    {
        _stream = stream;
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
            var field = _fields[index];
            return (field.InScratch ? _scratch : _buffer).AsSpan(field.Start, field.Length);
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
        var p = _position;
        var line = _nextLine;

        // Skip blank lines.
        while (p < _length && (_buffer[p] == '\n' || _buffer[p] == '\r'))
        {
            if (_buffer[p] == '\r' && p + 1 == _length && !_endOfInput)
            {
                return ParseOutcome.NeedMoreInput;
            }

            if (_buffer[p] == '\r' && p + 1 < _length && _buffer[p + 1] == '\n')
            {
                p++;
            }

            p++;
            line++;
        }

        if (p == _length)
        {
            _position = p;
            _nextLine = line;
            return _endOfInput ? ParseOutcome.End : ParseOutcome.NeedMoreInput;
        }

        var recordLine = line;
        var count = 0;
        _scratchLength = 0;
        while (true)
        {
            // p is at the start of a field.
            if (count == _fields.Length)
            {
                Array.Resize(ref _fields, count * 2);
            }

            if (p < _length && _buffer[p] == '"')
            {
                if (!TryParseQuoted(ref p, ref line, recordLine, out _fields[count]))
                {
                    return ParseOutcome.NeedMoreInput;
                }
            }
            else
            {
                var end = p < _length ? _buffer.AsSpan(p, _length - p).IndexOfAny(FieldEnd) : -1;
                if (end < 0)
                {
                    if (!_endOfInput)
                    {
                        return ParseOutcome.NeedMoreInput;
                    }

                    end = _length - p;
                }

                _fields[count] = new Field(p, end, false);
                p += end;
            }

            count++;

            // p is after the field: a comma, a line break or the end of the input.
            if (p == _length)
            {
                if (!_endOfInput)
                {
                    return ParseOutcome.NeedMoreInput;
                }

                break;
            }

            var separator = _buffer[p];
            if (separator == ',')
            {
                p++;
                continue;
            }

            if (separator == '\r')
            {
                if (p + 1 == _length && !_endOfInput)
                {
                    return ParseOutcome.NeedMoreInput;
                }

                p += p + 1 < _length && _buffer[p + 1] == '\n' ? 2 : 1;
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
        _position = p;
        _nextLine = line;
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
            var rest = _buffer.AsSpan(q, _length - q);
            var quote = rest.IndexOf('"');
            if (quote < 0)
            {
                if (_endOfInput)
                {
                    throw new CsvFormatException(recordLine, "a quoted field is not closed");
                }

                return false;
            }

            line += rest[..quote].Count('\n');
            var at = q + quote;
            if (at + 1 == _length && !_endOfInput)
            {
                return false;
            }

            var doubled = at + 1 < _length && _buffer[at + 1] == '"';
            if (doubled || scratchStart >= 0)
            {
                // Copy the text up to and including one quote (or the end) into the scratch buffer.
                if (scratchStart < 0)
                {
                    scratchStart = _scratchLength;
                }

                AppendScratch(_buffer.AsSpan(q, at - q + (doubled ? 1 : 0)));
            }

            if (doubled)
            {
                q = at + 2;
                continue;
            }

            p = at + 1;
            if (p < _length && _buffer[p] is not (',' or '\r' or '\n'))
            {
                throw new CsvFormatException(line, "text follows the closing quote of a field");
            }

            field = scratchStart >= 0
                ? new Field(scratchStart, _scratchLength - scratchStart, true)
                : new Field(start, at - start, false);
            return true;
        }
    }

    private void AppendScratch(ReadOnlySpan<char> text)
    {
        if (_scratchLength + text.Length > _scratch.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + text.Length));
        }

        text.CopyTo(_scratch.AsSpan(_scratchLength));
        _scratchLength += text.Length;
    }

    /// <summary>Keeps the unfinished record at the start of the buffer and reads more after it.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_endOfInput)
        {
            return;
        }

        var kept = _length - _position;
        if (kept == _buffer.Length)
        {
            if (kept >= MaxRecordLength)
            {
                throw new CsvFormatException(_nextLine, $"a record is longer than {MaxRecordLength} characters (an unclosed quote?)");
            }

            var larger = new char[_buffer.Length * 2];
            _buffer.AsSpan(_position, kept).CopyTo(larger);
            _buffer = larger;
        }
        else if (_position > 0)
        {
            _buffer.AsSpan(_position, kept).CopyTo(_buffer);
        }

        _position = 0;
        _length = kept;
        if (_buffer.Length - _length < 2)
        {
            // Room for at least a surrogate pair.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        while (true)
        {
            if (_markChecked && (_byteStart < _byteEnd || _streamEnded))
            {
                var status = Utf8.ToUtf16(_bytes.AsSpan(_byteStart, _byteEnd - _byteStart), _buffer.AsSpan(_length),
                    out var bytesRead, out var charsWritten, replaceInvalidSequences: false, isFinalBlock: _streamEnded);
                _byteStart += bytesRead;
                _length += charsWritten;
                if (status == OperationStatus.InvalidData)
                {
                    throw InvalidUtf8();
                }

                if (charsWritten > 0)
                {
                    return;
                }

                if (_streamEnded)
                {
                    _endOfInput = true;
                    return;
                }
            }

            // Keep an incomplete sequence (at most 3 bytes) and read more after it.
            var left = _byteEnd - _byteStart;
            _bytes.AsSpan(_byteStart, left).CopyTo(_bytes);
            _byteStart = 0;
            _byteEnd = left;
            var read = await _stream.ReadAsync(_bytes.AsMemory(_byteEnd), cancellationToken);
            _byteEnd += read;
            _streamEnded = read == 0;
            if (!_markChecked && (_byteEnd >= 4 || _streamEnded))
            {
                CheckByteOrderMark();
            }
        }
    }

    /// <summary>Skips a UTF-8 byte-order mark; refuses a file whose mark says it is UTF-16 or UTF-32.</summary>
    private void CheckByteOrderMark()
    {
        _markChecked = true;
        var start = _bytes.AsSpan(0, _byteEnd);
        foreach (var (mark, encoding) in ForeignMarks)
        {
            if (start.StartsWith(mark))
            {
                throw new CsvFormatException(1, $"the file is {encoding} (it starts with that byte-order mark); save it as UTF-8");
            }
        }

        if (start.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _byteStart = 3;
        }
    }

    /// <summary>
    /// The bad bytes come right after the decoded text: their line and column are counted from the start
    /// of the unfinished record (whose line is known), through any line breaks decoded since.
    /// </summary>
    private CsvFormatException InvalidUtf8()
    {
        var line = _nextLine;
        var column = 1;
        for (var i = _position; i < _length; i++)
        {
            var c = _buffer[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= _length || _buffer[i + 1] != '\n')))
            {
                line++;
                column = 1;
            }
            else if (c != '\r')
            {
                column++;
            }
        }

        var bad = _bytes[_byteStart];
        return new CsvFormatException(line, $"the file is not valid UTF-8 (byte 0x{bad:X2} at column {column} of the line)");
    }
}

/// <summary>Malformed CSV: the file cannot be read past <see cref="Line"/>.</summary>
public sealed class CsvFormatException(int line, string message) : Exception(message)
{
    /// <summary>1-based line where the problem was found.</summary>
    public int Line { get; } = line;
}
