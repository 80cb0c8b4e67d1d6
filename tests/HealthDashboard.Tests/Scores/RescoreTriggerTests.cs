using HealthDashboard.Scores;
using Microsoft.Extensions.Time.Testing;

namespace HealthDashboard.Tests.Scores;

public sealed class RescoreTriggerTests
{
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public async Task A_request_wakes_the_waiter_at_once_and_is_taken_once()
    {
        var trigger = new RescoreTrigger();
        var waiting = trigger.WaitAsync(TimeSpan.FromMinutes(5), clock, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        trigger.Request();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(await trigger.WaitAsync(TimeSpan.Zero, clock, CancellationToken.None));
    }

    [Fact]
    public async Task Requests_made_before_the_refresh_fold_into_one()
    {
        var trigger = new RescoreTrigger();
        trigger.Request();
        trigger.Request();
        trigger.Request();

        Assert.True(await trigger.WaitAsync(TimeSpan.Zero, clock, CancellationToken.None));
        Assert.False(await trigger.WaitAsync(TimeSpan.Zero, clock, CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_request_the_wait_ends_when_the_interval_passes_on_the_clock()
    {
        var trigger = new RescoreTrigger();
        var waiting = trigger.WaitAsync(TimeSpan.FromSeconds(5), clock, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
