using HealthDashboard.Csv;

namespace HealthDashboard.Tests.Identity;

public class CsvSafetyTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("\rReturn", "'\rReturn")]
    [InlineData("Acme", "Acme")]
    [InlineData("-12.50", "-12.50")]
    [InlineData("+3", "+3")]
    [InlineData("-1e3", "-1e3")]
    [InlineData("", "")]
    public void Formula_like_text_gets_an_apostrophe_and_real_numbers_stay(string field, string expected) =>
        Assert.Equal(expected, CsvSafety.Neutralize(field));

    [Fact]
    public void An_export_record_is_neutralised_and_still_quoted()
    {
        var line = CsvSafety.Record(["=1+1", "-4.25", "a,b", null]);
        Assert.Equal("'=1+1,-4.25,\"a,b\",\n", line);
    }

    [Fact]
    public void A_neutralised_negative_number_is_not_needed_for_the_importer_to_read_negative_numbers() =>
        // The importer reads "-3.5" as a number; the export never writes "'-3.5" for a number.
        Assert.Equal("-3.5", CsvSafety.Neutralize("-3.5"));
}
