namespace HealthDashboard.Scoring.Tests;

/// <summary>Grades and bands: lower bounds inclusive (85 A, 70 B, 40 C), A and B green, C yellow, D red.</summary>
public class GradeTests
{
    [Theory]
    [InlineData(100, Grade.A)]
    [InlineData(85, Grade.A)]
    [InlineData(84.999, Grade.B)]
    [InlineData(70, Grade.B)]
    [InlineData(69.999, Grade.C)]
    [InlineData(40, Grade.C)]
    [InlineData(39.999, Grade.D)]
    [InlineData(1, Grade.D)]
    public void Default_thresholds(double health, Grade expected)
    {
        Assert.Equal(expected, new GradeThresholds().GradeOf(health));
    }

    [Theory]
    [InlineData(90, Grade.A)]
    [InlineData(89.99, Grade.B)]
    [InlineData(60, Grade.B)]
    [InlineData(59.99, Grade.C)]
    [InlineData(30, Grade.C)]
    [InlineData(29.99, Grade.D)]
    public void Custom_thresholds(double health, Grade expected)
    {
        Assert.Equal(expected, new GradeThresholds(A: 90, B: 60, C: 30).GradeOf(health));
    }

    [Theory]
    [InlineData(Grade.A, Band.Green)]
    [InlineData(Grade.B, Band.Green)]
    [InlineData(Grade.C, Band.Yellow)]
    [InlineData(Grade.D, Band.Red)]
    public void Bands_of_grades(Grade grade, Band expected)
    {
        Assert.Equal(expected, Indicators.BandOf(grade));
    }

    [Theory]
    [InlineData(84.5, 0, 85.0)]
    [InlineData(69.5, 0, 70.0)]
    [InlineData(69.49, 0, 69.0)]
    [InlineData(2.5, 0, 3.0)]
    [InlineData(-2.5, 0, -3.0)]
    [InlineData(0.125, 2, 0.13)]
    public void Rounding_is_half_away_from_zero(double value, int digits, double expected)
    {
        Assert.Equal(expected, Indicators.RoundAway(value, digits));
    }
}
