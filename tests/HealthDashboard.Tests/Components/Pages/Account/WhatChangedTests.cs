using Bunit;
using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Data;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.Scores;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Pages.Account;

/// <summary>"What changed" on the account page with a custom indicator: its line in words, the metric values behind it, the split.</summary>
public sealed class WhatChangedTests : BunitTestBase
{
    private static readonly DateTime AsOf = TestPortfolio.AsOf;

    private TestStore? store;

    private async Task<PortfolioView> StartAsync(ScoringModel firstModel, ScoringModel? savedFiveDaysAgo = null)
    {
        store = await TestStore.CreateWithAsync(AccountChangesTests.DataWithOnboarding(), firstModel, AsOf);
        if (savedFiveDaysAgo is not null)
        {
            await using var db = await store.DbAsync();
            db.ModelVersions.Add(new ScoringModelVersion { Id = 2, SavedAt = AsOf.AddDays(-5), SavedBy = "maya", ModelJson = savedFiveDaysAgo.ToJson() });
            await db.SaveChangesAsync();
        }

        Services.AddSingleton(store.Get<AccountChanges>());
        RenderPopoverProvider();
        return await store.StartScoreBoardWorkerAsync();
    }

    [Fact]
    public async Task The_custom_indicator_s_line_says_how_it_moved_what_it_added_and_the_metric_values()
    {
        var view = await StartAsync(AccountChangesTests.ModelWithOnboarding());

        var changed = Render<WhatChanged>(p => p.Add(x => x.View, view).Add(x => x.AccountId, "ACC-3"));

        changed.WaitForAssertion(() => Assert.NotEmpty(changed.FindAll("[data-testid=change-line]")), TimeSpan.FromSeconds(10));
        var line = Assert.Single(changed.FindAll("[data-testid=change-line]"), l => l.TextContent.Contains("Onboarding progress", StringComparison.Ordinal));
        Assert.Matches(@"Onboarding progress rose from 40 to 70 and added \d+\.\d points", line.TextContent);
        Assert.StartsWith("+", line.QuerySelector(".hd-changed-impact")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Metric onboarding_pct: 40 (26 May 2026) → 70 (27 Jun 2026)", line.QuerySelector(".hd-changed-detail")!.TextContent);
        Assert.Empty(changed.FindAll("[data-testid=model-split]"));
    }

    [Fact]
    public async Task A_model_change_that_added_the_custom_indicator_is_named_in_the_split()
    {
        var view = await StartAsync(TestPortfolio.Model(), AccountChangesTests.ModelWithOnboarding());

        var changed = Render<WhatChanged>(p => p.Add(x => x.View, view).Add(x => x.AccountId, "ACC-3"));

        changed.WaitForAssertion(() => Assert.NotEmpty(changed.FindAll("[data-testid=model-split]")), TimeSpan.FromSeconds(10));
        Assert.Contains("The model changed (v1 → v2, adding custom indicator Onboarding progress)", changed.Find("[data-testid=model-split]").TextContent, StringComparison.Ordinal);
        Assert.Contains(changed.FindAll("[data-testid=change-line]"), l => l.TextContent.Contains("Onboarding progress rose from 40 to 70", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (store is not null)
        {
            await store.DisposeAsync();
        }
    }
}
