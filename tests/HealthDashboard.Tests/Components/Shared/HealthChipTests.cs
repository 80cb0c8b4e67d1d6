using System.Text.RegularExpressions;
using Bunit;
using HealthDashboard.Components.Shared;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Shared;

public sealed class HealthChipTests : BunitTestBase
{
    [Theory]
    [InlineData(92.3, Grade.A, Band.Green, "hd-band-green", "A 92")]
    [InlineData(74.49, Grade.B, Band.Green, "hd-band-green", "B 74")]
    [InlineData(55.5, Grade.C, Band.Yellow, "hd-band-yellow", "C 56")]
    [InlineData(12.2, Grade.D, Band.Red, "hd-band-red", "D 12")]
    public void Shows_band_colour_grade_letter_and_rounded_number(double health, Grade grade, Band band, string expectedClass, string expectedText)
    {
        var chip = Render<HealthChip>(p => p.Add(c => c.Health, health).Add(c => c.Grade, grade).Add(c => c.Band, band));

        var root = chip.Find(".hd-health-chip");
        Assert.Contains(expectedClass, root.ClassList);
        Assert.Equal(expectedText, Regex.Replace(root.TextContent, @"\s+", " ").Trim());
        Assert.Equal(expectedText[..1], chip.Find(".hd-health-grade").TextContent);
    }

    [Theory]
    [InlineData(84.5, "85")]
    [InlineData(69.5, "70")]
    [InlineData(39.5, "40")]
    [InlineData(84.49, "84")]
    public void Rounds_half_away_from_zero(double health, string expected)
    {
        // Grade and band come from the unrounded H: 84.5 is still B (green) though it shows 85.
        var chip = Render<HealthChip>(p => p.Add(c => c.Health, health).Add(c => c.Grade, Grade.B).Add(c => c.Band, Band.Green));

        Assert.Equal(expected, chip.Find(".hd-health-value").TextContent);
    }

    [Fact]
    public void Has_an_accessible_label_that_does_not_rely_on_colour()
    {
        var chip = Render<HealthChip>(p => p.Add(c => c.Health, 38.7).Add(c => c.Grade, Grade.D).Add(c => c.Band, Band.Red));

        var root = chip.Find(".hd-health-chip");
        Assert.Equal("img", root.GetAttribute("role"));
        Assert.Equal("Health 39, grade D, At risk", root.GetAttribute("aria-label"));
    }
}
