using HealthDashboard.Extensions;

namespace HealthDashboard.Tests.Hosting;

public sealed class YoungGenerationAdviceTests
{
    [Theory]
    [InlineData("266240K", 266240L * 1024)]
    [InlineData("32768K\n", 32768L * 1024)]
    [InlineData("64M", 64L * 1024 * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("4096", 4096L)]
    public void Sysfs_cache_sizes_are_read_with_their_unit(string text, long bytes) =>
        Assert.Equal(bytes, YoungGenerationAdvice.ParseSize(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("-5K")]
    [InlineData("12.5M")]
    [InlineData("lots")]
    [InlineData("99999999999999999999G")]
    public void Anything_else_is_no_size(string? text) => Assert.Null(YoungGenerationAdvice.ParseSize(text));

    [Fact]
    public void A_host_reporting_a_260_MB_L3_cache_is_told_which_variable_bounds_the_young_generation()
    {
        var advice = YoungGenerationAdvice.For("266240K", variableValue: null);

        Assert.NotNull(advice);
        Assert.Contains("260 MB", advice);
        Assert.Contains("DOTNET_GCGen0MaxBudget=0x2000000", advice);
    }

    [Theory]
    [InlineData("32768K", null)]   // a common server L3: nothing to say
    [InlineData("65536K", null)]   // at the line
    [InlineData("266240K", "0x2000000")]   // already bounded
    [InlineData("266240K", "0x4000000")]   // bounded otherwise: the operator's choice
    [InlineData(null, null)]   // no sysfs (another OS, a container without it)
    [InlineData("garbage", null)]
    public void No_advice_when_the_cache_is_ordinary_unknown_or_the_variable_is_set(string? l3Size, string? variable) =>
        Assert.Null(YoungGenerationAdvice.For(l3Size, variable));
}
