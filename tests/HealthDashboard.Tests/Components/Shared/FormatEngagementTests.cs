using HealthDashboard.Components.Shared;

namespace HealthDashboard.Tests.Components.Shared;

/// <summary>How a user's engagement reads: the score, or a dash for a user without points.</summary>
public class FormatEngagementTests
{
    [Theory]
    [InlineData(1.0, 0.0, "–")]
    [InlineData(0.0, 0.0, "–")]
    [InlineData(36.4, 140.0, "36")]
    [InlineData(100.0, 1020.0, "100")]
    public void Engagement_is_a_dash_without_points_and_the_rounded_score_with_them(double score, double points, string expected)
    {
        Assert.Equal(expected, Format.Engagement(score, points));
    }
}
