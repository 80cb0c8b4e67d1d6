using System.Text;
using HealthDashboard.Import;

namespace HealthDashboard.Tests.Import;

public class CsvReaderTests
{
    /// <summary>Every record as (line, fields).</summary>
    private static async Task<List<(int Line, string[] Fields)>> ReadAllAsync(Stream stream)
    {
        using var reader = new CsvReader(stream);
        var records = new List<(int, string[])>();
        while (await reader.ReadAsync())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader[i].ToString();
            }

            records.Add((reader.Line, fields));
        }

        return records;
    }

    private static Task<List<(int Line, string[] Fields)>> ReadAllAsync(string text, bool bom = false, bool trickle = false)
    {
        var bytes = new UTF8Encoding(bom).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return ReadAllAsync(trickle ? new TrickleStream(bytes) : new MemoryStream(bytes));
    }

    [Fact]
    public async Task Plain_records_with_LF_CRLF_and_CR_line_ends()
    {
        var records = await ReadAllAsync("a,b,c\n1,2,3\r\n4,5,6\r7,8,9");

        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["1", "2", "3"], records[1].Fields);
        Assert.Equal(["4", "5", "6"], records[2].Fields);
        Assert.Equal(["7", "8", "9"], records[3].Fields);
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        var records = await ReadAllAsync("id,name,note\r\n1,\"Acme, Inc\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\",\"\"\r\n3,x,\"\"\"\"\r\n");

        Assert.Equal(["1", "Acme, Inc", "say \"hi\""], records[1].Fields);
        Assert.Equal(["2", "two\r\nlines", ""], records[2].Fields);
        Assert.Equal(["3", "x", "\""], records[3].Fields);
        // The record after a quoted line break starts one line further down.
        Assert.Equal([1, 2, 3, 5], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Empty_fields_and_a_trailing_comma_count_as_fields()
    {
        var records = await ReadAllAsync("a,,c,\n,\n");

        Assert.Equal(["a", "", "c", ""], records[0].Fields);
        Assert.Equal(["", ""], records[1].Fields);
    }

    [Fact]
    public async Task A_byte_order_mark_is_not_part_of_the_first_field()
    {
        var records = await ReadAllAsync("id,name\n1,é\n", bom: true);

        Assert.Equal(["id", "name"], records[0].Fields);
        Assert.Equal(["1", "é"], records[1].Fields);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_but_counted()
    {
        var records = await ReadAllAsync("a\n\n\r\nb\n\n");

        Assert.Equal([(1, "a"), (4, "b")], records.Select(r => (r.Line, r.Fields[0])));
    }

    [Fact]
    public async Task Empty_input_has_no_records()
    {
        Assert.Empty(await ReadAllAsync(""));
        Assert.Empty(await ReadAllAsync("", bom: true));
    }

    [Fact]
    public async Task A_stream_that_returns_one_byte_at_a_time_reads_the_same()
    {
        // Every buffer boundary falls in every possible place: inside quotes, between CR and LF, in a doubled quote.
        const string text = "id,name\r\n1,\"a \"\"b\"\", c\r\nd\"\r\n2,plain\r3,\"\"\n4,\"x\"\"\"\r\n";
        var whole = await ReadAllAsync(text);
        var trickled = await ReadAllAsync(text, trickle: true);

        Assert.Equal(5, whole.Count);
        Assert.Equal(["1", "a \"b\", c\r\nd"], whole[1].Fields);
        Assert.Equal(["4", "x\""], whole[4].Fields);
        Assert.Equal(whole.Select(r => (r.Line, string.Join('|', r.Fields))), trickled.Select(r => (r.Line, string.Join('|', r.Fields))));
    }

    [Fact]
    public async Task Records_longer_than_the_buffer_and_many_records_across_refills()
    {
        var longName = new string('x', 200_000);
        var text = new StringBuilder("id,name\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(i).Append(",\"n,").Append(i).Append("\"\n");
        }

        text.Append("last,\"").Append(longName).Append("\"\n");
        var records = await ReadAllAsync(text.ToString());

        Assert.Equal(20_002, records.Count);
        Assert.Equal(["12345", "n,12345"], records[12_346].Fields);
        Assert.Equal(longName, records[^1].Fields[1]);
        Assert.Equal(20_002, records[^1].Line);
    }

    [Fact]
    public async Task An_unclosed_quote_is_a_format_error_with_its_line()
    {
        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("a,b\n1,\"open\n2,3\n"));

        Assert.Equal(2, error.Line);
        Assert.Contains("not closed", error.Message);
    }

    [Fact]
    public async Task A_quote_inside_an_unquoted_field_is_kept_as_text()
    {
        var records = await ReadAllAsync("a,b\n5\" screen,1\n");

        Assert.Equal(["5\" screen", "1"], records[1].Fields);
    }

    [Fact]
    public async Task The_error_of_a_malformed_record_comes_when_the_reader_reaches_it()
    {
        // The parser scans ahead of the record it returns: the good records before the bad one are still read.
        using var reader = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes("a,b\n1,2\n\"x\"y,1\n")));

        Assert.True(await reader.ReadAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("2", reader[1].ToString());
        var error = await Assert.ThrowsAsync<CsvFormatException>(() => reader.ReadAsync().AsTask());
        Assert.Equal(3, error.Line);
        Assert.Equal("text follows the closing quote of a field", error.Message);
    }

    [Fact]
    public async Task Text_after_a_closing_quote_is_a_format_error()
    {
        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("a,b\n\"x\"y,1\n"));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task Invalid_UTF8_is_a_format_error()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\n")).ToArray();

        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync(new MemoryStream(bytes)));
        Assert.Contains("UTF-8", error.Message);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(30_000, false)]
    [InlineData(30_000, true)]
    public async Task Invalid_UTF8_is_reported_at_its_true_line_and_column(int goodLines, bool trickle)
    {
        // Far more lines than one decoding buffer holds, so the buffer's start is not the bad line.
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < goodLines; i++)
        {
            text.Append("x\u00e9,\"two\nlines\"\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.Append("12,abc").ToString()).Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("d\n")).ToArray();
        Stream stream = trickle ? new TrickleStream(bytes) : new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync(stream));

        Assert.Equal(2 + 2 * goodLines, error.Line);
        Assert.Equal("the file is not valid UTF-8 (byte 0xFF at column 7 of the line)", error.Message);
    }

    [Theory]
    [InlineData("utf-16", "UTF-16 (little-endian)")]
    [InlineData("utf-16BE", "UTF-16 (big-endian)")]
    [InlineData("utf-32", "UTF-32 (little-endian)")]
    [InlineData("utf-32BE", "UTF-32 (big-endian)")]
    public async Task A_UTF16_or_UTF32_file_is_refused_by_its_byte_order_mark(string encodingName, string named)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes("id,name\nA1,Acme\n")).ToArray();

        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync(new MemoryStream(bytes)));

        Assert.Equal(1, error.Line);
        Assert.Equal($"the file is {named} (it starts with that byte-order mark); save it as UTF-8", error.Message);
    }

    [Fact]
    public async Task A_UTF8_byte_order_mark_is_skipped_and_a_mark_alone_is_an_empty_file()
    {
        Assert.Equal(["id"], (await ReadAllAsync("id\n", bom: true))[0].Fields);
        Assert.Empty(await ReadAllAsync("", bom: true));
        Assert.Empty(await ReadAllAsync("", bom: true, trickle: true));
    }

    [Fact]
    public async Task A_record_over_the_maximum_length_is_refused_instead_of_filling_memory()
    {
        var text = "a\n\"" + new string('x', CsvReader.MaxRecordLength + 10);

        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync(text));
        Assert.Contains("longer than", error.Message);
    }

    /// <summary>A forward-only stream that hands out one byte per read.</summary>
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position == bytes.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = bytes[position++];
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
