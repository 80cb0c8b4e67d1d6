using HealthDashboard.Import;

namespace HealthDashboard.Tests.Import;

public class ImportValuesTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-01T00:00:00.0000000Z")]
    [InlineData("2026-03-01T10:15:30Z", "2026-03-01T10:15:30.0000000Z")]
    [InlineData("2026-03-01T10:15:30z", "2026-03-01T10:15:30.0000000Z")]
    [InlineData("2026-03-01T10:15:30", "2026-03-01T10:15:30.0000000Z")]
    [InlineData("2026-03-01 10:15", "2026-03-01T10:15:00.0000000Z")]
    [InlineData("2026-03-01T10:15:30.25Z", "2026-03-01T10:15:30.2500000Z")]
    [InlineData("2026-03-01T10:15:30+02:00", "2026-03-01T08:15:30.0000000Z")]
    [InlineData("2026-03-01T01:00:00+05:30", "2026-02-28T19:30:00.0000000Z")]
    [InlineData("2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00.0000000Z")]
    [InlineData(" 2026-03-01T10:15:30Z ", "2026-03-01T10:15:30.0000000Z")]
    [InlineData("2024-02-29", "2024-02-29T00:00:00.0000000Z")]
    public void Times_are_read_as_UTC(string text, string expected)
    {
        Assert.True(ImportValues.TryParseTime(text.AsSpan(), out var utc));
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
        Assert.Equal(expected, utc.ToString("O"));
        // The string overload agrees.
        Assert.True(ImportValues.TryParseTime(text, out var viaString));
        Assert.Equal(utc, viaString);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("2026-03-01T24:00:00Z")]
    [InlineData("2026-03-01T10:61:00Z")]
    [InlineData("01/03/2026")]
    [InlineData("2026-03-01T10:15:30Zjunk")]
    [InlineData("20260301")]
    public void Non_ISO_times_are_refused(string text)
    {
        Assert.False(ImportValues.TryParseTime(text.AsSpan(), out _));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    public void Booleans(string text, bool expected)
    {
        Assert.True(ImportValues.TryParseBool(text.AsSpan(), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    [InlineData("")]
    public void Other_booleans_are_refused(string text) => Assert.False(ImportValues.TryParseBool(text.AsSpan(), out _));

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1,5")]
    [InlineData("abc")]
    public void Numbers_must_be_finite_invariant_decimals(string text) => Assert.False(ImportValues.TryParseNumber(text, out _));

    [Fact]
    public void Whole_numbers_stay_within_int()
    {
        Assert.True(ImportValues.TryParseWhole("2147483647", out var max));
        Assert.Equal(int.MaxValue, max);
        Assert.False(ImportValues.TryParseWhole("2147483648", out _));
        Assert.False(ImportValues.TryParseWhole("99999999999999999999999", out _));
        Assert.False(ImportValues.TryParseWhole("2.5", out _));
        Assert.False(ImportValues.TryParseWhole("1,000", out _));
    }
}
