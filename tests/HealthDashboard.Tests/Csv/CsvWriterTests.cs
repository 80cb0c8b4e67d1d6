using HealthDashboard.Csv;
using HealthDashboard.Import;

namespace HealthDashboard.Tests.Csv;

/// <summary>The one CSV rule set: quoting, line ends, numbers, times, import-file headers.</summary>
public class CsvWriterTests
{
    [Fact]
    public void A_record_quotes_only_what_rfc_4180_needs_and_ends_with_lf()
    {
        Assert.Equal("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",,\" padded \",x\n",
            CsvWriter.Record(["plain", "a,b", "say \"hi\"", "two\r\nlines", null, " padded ", "x"]));
    }

    [Theory]
    [InlineData("ACC-0001", "ACC-0001")]
    [InlineData("A,1", "\"A,1\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("", "")]
    public void A_field_is_quoted_only_when_needed(string value, string expected) =>
        Assert.Equal(expected, CsvWriter.Field(value));

    [Theory]
    [InlineData(0.125, "0.13")] // exactly half in binary: away from zero, not to even
    [InlineData(12.345, "12.35")]
    [InlineData(70.94207, "70.94")]
    [InlineData(100, "100.00")]
    [InlineData(5000, "5000.00")]
    [InlineData(-0.005, "-0.01")]
    [InlineData(-0.001, "0.00")] // never "-0.00"
    [InlineData(1.005e-9, "0.00")]
    public void Two_decimals_round_half_away_from_zero_in_the_invariant_culture(double value, string expected) =>
        Assert.Equal(expected, CsvWriter.TwoDecimals(value));

    [Fact]
    public void Null_values_are_empty_cells()
    {
        Assert.Equal(("", "", "", "", ""), (CsvWriter.TwoDecimals(null), CsvWriter.Number(null), CsvWriter.Whole(null), CsvWriter.Date(null), CsvWriter.Time(null)));
    }

    [Fact]
    public void Data_values_keep_their_precision_and_times_are_iso_utc()
    {
        Assert.Equal("1234.567", CsvWriter.Number(1234.567));
        Assert.Equal("7", CsvWriter.Number(7));
        Assert.Equal("2026-06-10T11:00:00Z", CsvWriter.Time(new DateTime(2026, 6, 10, 11, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("2026-06-10", CsvWriter.Date(new DateTime(2026, 6, 10, 11, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(("true", "false"), (CsvWriter.Bool(true), CsvWriter.Bool(false)));
    }

    [Fact]
    public async Task An_import_file_is_written_with_its_header_from_the_file_definition()
    {
        var directory = Directory.CreateTempSubdirectory("hd-csv-").FullName;
        try
        {
            await CsvWriter.WriteImportFileAsync(directory, ImportFiles.Usage, [["A1", null, "login", "2026-06-10T11:00:00Z", "3"]]);

            var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, "usage.csv"));
            Assert.Equal((byte)'a', bytes[0]); // no byte-order mark
            Assert.Equal("account_id,user_id,event_type,timestamp,count\nA1,,login,2026-06-10T11:00:00Z,3\n", System.Text.Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
