namespace HealthDashboard.Scoring.Tests;

/// <summary>The build's users x event types scratch: reused while it lives, always handed out zeroed, never shared by two builds at once.</summary>
/// <remarks>Alone (not beside other test classes): the scratch is process-wide, and another test's build would take it mid-test.</remarks>
[Collection(nameof(UserCountsScratchTests))]
[CollectionDefinition(nameof(UserCountsScratchTests), DisableParallelization = true)]
public class UserCountsScratchTests
{
    [Fact]
    public void A_reused_scratch_comes_back_zeroed()
    {
        var first = UserCountsScratch.Take(64);
        Array.Fill(first, 7L);
        UserCountsScratch.Return(first);

        var again = UserCountsScratch.Take(32);
        UserCountsScratch.Return(again);

        // The same array when it was still alive (no collection in between), and zeroed either way over the length asked.
        Assert.All(again.AsSpan(0, 32).ToArray(), c => Assert.Equal(0, c));
    }

    [Fact]
    public void Two_builds_at_once_get_two_arrays()
    {
        UserCountsScratch.Return(new long[16]);
        var taken = UserCountsScratch.Take(16);
        var second = UserCountsScratch.Take(16);
        Assert.NotSame(taken, second);
        UserCountsScratch.Return(taken);
        UserCountsScratch.Return(second);
    }

    [Fact]
    public void A_scratch_too_small_is_not_used()
    {
        UserCountsScratch.Return(new long[8]);
        Assert.True(UserCountsScratch.Take(100).Length >= 100);
    }

    [Fact]
    public void Building_after_a_dirtied_scratch_gives_the_same_aggregates()
    {
        var asOf = PortfolioBuilder.T;
        var b = new PortfolioBuilder();
        var account = b.Account("a");
        var user = b.User(account);
        b.Use(account, user, "login", asOf.AddDays(-1), 3).Use(account, user, "share", asOf.AddDays(-2), 2);
        var data = b.Build();
        var before = WindowAggregates.Build(data, asOf, 30);

        // What a build would find if the kept array were handed out as the last build left it.
        var dirty = UserCountsScratch.Take(1024);
        Array.Fill(dirty, 1_000L);
        UserCountsScratch.Return(dirty);

        var after = WindowAggregates.Build(data, asOf, 30);
        Assert.Equal(before.UserEventCounts, after.UserEventCounts);
        Assert.Equal(before.UserEventTypes, after.UserEventTypes);
        Assert.Equal([3L, 2L], [.. after.UserEventCounts.Order().Reverse()]);
    }

    [Fact]
    public void A_reuse_scope_holds_the_scratch_strongly_until_it_ends()
    {
        using (WindowAggregates.ReuseScratch())
        {
            UserCountsScratch.Return(UserCountsScratch.Take(16));
            GC.Collect();
            Assert.True(UserCountsScratch.IsHeld);
        }

        Assert.False(UserCountsScratch.IsHeld);
    }

    [Fact]
    public void Builds_on_two_threads_in_a_scope_each_reuse_their_own()
    {
        // Nothing kept from earlier tests: outside a scope a collection frees the kept arrays.
        GC.Collect();
        using (WindowAggregates.ReuseScratch())
        {
            var first = UserCountsScratch.Take(5_000);
            var second = UserCountsScratch.Take(5_000);
            UserCountsScratch.Return(first);
            UserCountsScratch.Return(second);
            GC.Collect();

            long[][] again = [UserCountsScratch.Take(5_000), UserCountsScratch.Take(5_000)];
            if (Environment.ProcessorCount >= 2)
            {
                Assert.Contains(again, a => ReferenceEquals(a, first));
                Assert.Contains(again, a => ReferenceEquals(a, second));
            }
            else
            {
                Assert.Contains(again, a => ReferenceEquals(a, first) || ReferenceEquals(a, second));
            }

            Assert.NotSame(again[0], again[1]);
        }
    }
}
