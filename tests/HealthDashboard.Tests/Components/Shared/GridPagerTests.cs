using Bunit;
using HealthDashboard.Components.Shared;

namespace HealthDashboard.Tests.Components.Shared;

/// <summary>The grids' pager: the range it reads out, which buttons it offers, and what it asks the page for.</summary>
public sealed class GridPagerTests : BunitTestBase
{
    private readonly List<GridPagerChange> changes = [];

    private IRenderedComponent<GridPager> RenderPager(int page, int pageSize, int total) =>
        Render<GridPager>(p => p
            .Add(c => c.Page, page)
            .Add(c => c.PageSize, pageSize)
            .Add(c => c.TotalCount, total)
            .Add(c => c.PageSizes, [10, 25, 50])
            .Add(c => c.OnChange, (GridPagerChange change) => changes.Add(change)));

    [Theory]
    [InlineData(1, 25, 9708, "1-25 of 9708")]
    [InlineData(2, 25, 9708, "26-50 of 9708")]
    [InlineData(389, 25, 9708, "9701-9708 of 9708")]
    [InlineData(1, 25, 0, "0-0 of 0")]
    [InlineData(1, 10, 7, "1-7 of 7")]
    public void The_range_names_the_rows_on_screen_and_the_total(int page, int pageSize, int total, string expected)
    {
        var pager = RenderPager(page, pageSize, total);

        Assert.Equal(expected, pager.Find("[data-testid=page-range]").TextContent.Trim());
    }

    [Fact]
    public void On_the_first_page_only_forward_buttons_are_offered_and_on_the_last_only_backward()
    {
        var first = RenderPager(1, 25, 60);
        Assert.True(first.Find("button[aria-label='First page']").HasAttribute("disabled"));
        Assert.True(first.Find("button[aria-label='Previous page']").HasAttribute("disabled"));
        Assert.False(first.Find("button[aria-label='Next page']").HasAttribute("disabled"));
        Assert.False(first.Find("button[aria-label='Last page']").HasAttribute("disabled"));

        var last = RenderPager(3, 25, 60);
        Assert.False(last.Find("button[aria-label='Previous page']").HasAttribute("disabled"));
        Assert.True(last.Find("button[aria-label='Next page']").HasAttribute("disabled"));
        Assert.True(last.Find("button[aria-label='Last page']").HasAttribute("disabled"));
    }

    [Fact]
    public void The_buttons_ask_for_the_neighbouring_first_and_last_pages_at_the_same_size()
    {
        var pager = RenderPager(2, 25, 60);

        pager.Find("button[aria-label='Next page']").Click();
        pager.Find("button[aria-label='Previous page']").Click();
        pager.Find("button[aria-label='Last page']").Click();
        pager.Find("button[aria-label='First page']").Click();

        Assert.Equal([new(3, 25), new(1, 25), new(3, 25), new(1, 25)], changes);
    }
}
