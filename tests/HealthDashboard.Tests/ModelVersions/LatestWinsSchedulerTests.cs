using HealthDashboard.ModelVersions;

namespace HealthDashboard.Tests.ModelVersions;

/// <summary>The preview's scheduler: the newest request wins, stale ones never queue. Driven by gates, not timers.</summary>
public sealed class LatestWinsSchedulerTests
{
    [Fact]
    public async Task Requests_made_during_a_computation_collapse_into_the_newest()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var computed = new List<int>();
        var applied = new List<int>();
        using var scheduler = new LatestWinsScheduler<int, int>(
            input =>
            {
                lock (computed)
                {
                    computed.Add(input);
                }

                if (input == 1)
                {
                    started.SetResult();
                    gate.Task.Wait();
                }

                return input * 10;
            },
            outcome =>
            {
                lock (applied)
                {
                    applied.Add(outcome.Result);
                }

                return Task.CompletedTask;
            },
            TimeSpan.Zero);

        scheduler.Request(1);
        await started.Task;
        // While 1 computes, three more requests arrive: only the last may run.
        scheduler.Request(2);
        scheduler.Request(3);
        scheduler.Request(4);
        gate.SetResult();
        await scheduler.Idle;

        Assert.Equal([1, 4], computed);
        Assert.Equal([10, 40], applied);
    }

    [Fact]
    public async Task A_failing_computation_is_reported_and_the_next_request_still_runs()
    {
        var outcomes = new List<LatestWinsScheduler<int, int>.Outcome>();
        using var scheduler = new LatestWinsScheduler<int, int>(
            input => input < 0 ? throw new InvalidOperationException("negative") : input,
            outcome =>
            {
                outcomes.Add(outcome);
                return Task.CompletedTask;
            },
            TimeSpan.Zero);

        scheduler.Request(-1);
        await scheduler.Idle;
        scheduler.Request(5);
        await scheduler.Idle;

        Assert.Equal("negative", outcomes[0].Error!.Message);
        Assert.Equal((5, null), (outcomes[1].Result, outcomes[1].Error));
    }

    [Fact]
    public async Task Nothing_is_applied_after_dispose()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var applied = 0;
        var scheduler = new LatestWinsScheduler<int, int>(
            input =>
            {
                started.SetResult();
                gate.Task.Wait();
                return input;
            },
            _ =>
            {
                applied++;
                return Task.CompletedTask;
            },
            TimeSpan.Zero);

        scheduler.Request(1);
        await started.Task;
        scheduler.Dispose();
        gate.SetResult();
        await scheduler.Idle;
        scheduler.Request(2);

        Assert.Equal(0, applied);
        Assert.True(scheduler.Idle.IsCompleted);
    }

    [Fact]
    public async Task A_request_at_once_skips_the_gathering_delay_of_an_idle_scheduler()
    {
        var applied = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // An hour's delay: only a request that skips it can be applied within the test's wait.
        using var scheduler = new LatestWinsScheduler<int, int>(
            input => input * 10,
            outcome =>
            {
                applied.TrySetResult(outcome.Result);
                return Task.CompletedTask;
            },
            TimeSpan.FromHours(1));

        scheduler.Request(7, atOnce: true);

        Assert.Equal(70, await applied.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_awaiting_computation_is_awaited_and_requests_made_while_it_waits_collapse_into_the_newest()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var computed = new List<int>();
        var outcomes = new List<LatestWinsScheduler<int, int>.Outcome>();
        using var scheduler = new LatestWinsScheduler<int, int>(
            async input =>
            {
                lock (computed)
                {
                    computed.Add(input);
                }

                if (input == 1)
                {
                    started.SetResult();
                    // Awaited, not waited on: no thread is held while the "read" is outstanding.
                    await gate.Task;
                }

                return input < 0 ? throw new InvalidOperationException("negative") : input * 10;
            },
            outcome =>
            {
                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }

                return Task.CompletedTask;
            },
            TimeSpan.Zero);

        scheduler.Request(1);
        await started.Task;
        Assert.False(scheduler.Idle.IsCompleted);
        scheduler.Request(2);
        scheduler.Request(-3);
        gate.SetResult();
        await scheduler.Idle;

        Assert.Equal([1, -3], computed);
        Assert.Equal(10, outcomes[0].Result);
        Assert.Equal("negative", outcomes[1].Error!.Message);
    }
}
