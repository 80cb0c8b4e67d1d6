using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Cli;

public class ScoreCsvTests
{
    [Theory]
    [InlineData(0.125, "0.13")] // exactly half in binary: away from zero, not to even
    [InlineData(70.94207, "70.94")]
    [InlineData(100, "100.00")]
    [InlineData(-0.001, "0.00")] // never "-0.00"
    [InlineData(1.005e-9, "0.00")]
    public void Numbers_have_two_decimals_rounded_half_away_from_zero(double value, string expected) =>
        Assert.Equal(expected, ScoreCsv.Number(value));

    [Theory]
    [InlineData("ACC-0001", "ACC-0001")]
    [InlineData("A,1", "\"A,1\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Fields_are_quoted_only_when_rfc_4180_needs_it(string value, string expected) =>
        Assert.Equal(expected, ScoreCsv.Quote(value));
}
