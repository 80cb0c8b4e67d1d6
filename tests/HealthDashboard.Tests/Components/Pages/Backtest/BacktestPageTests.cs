using Bunit;
using HealthDashboard.Components.Pages.Backtest;
using HealthDashboard.Components.Pages.Model;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.Backtests;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Components.Pages.Backtest;

/// <summary>
/// The backtest page and the model editor's backtest panel over the hand-made <see cref="ChurnHistory"/>
/// (default range 2024-12-01 to 2025-03-01: 15 account-months, 6 churns).
/// </summary>
public sealed class BacktestPageTests : BunitTestBase, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private TestStore store = default!;

    public async Task InitializeAsync()
    {
        store = await ChurnHistory.CreateStoreAsync();
        Services.AddSingleton(store.Get<BacktestService>());
        Services.AddSingleton(store.Get<ModelStore>());
        Services.AddScoped<ModelEditorSession>();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        _ = ChartModule;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await store.DisposeAsync();
    }

    private BacktestFigures Expected(ScoringModel? model = null) =>
        Scoring.Backtest.Run(ChurnHistory.Build(), model ?? ScoringModel.Default, ChurnHistory.DefaultTimes, 90).Figures();

    private IRenderedComponent<BacktestPage> RenderPage()
    {
        RenderPopoverProvider();
        var page = Render<BacktestPage>();
        page.WaitForElement("[data-table=churned]", Patience);
        return page;
    }

    [Fact]
    public void Shows_the_verdict_with_the_sample_size_the_figures_and_a_warning_about_too_few_churns()
    {
        var page = RenderPage();
        var expected = Expected();

        Assert.Equal(15, expected.Pairs);
        Assert.Equal(6, expected.Churned);
        Assert.Contains("over 15 account-months and 6 churns", page.Find("[data-verdict]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Only 6 churns", page.Find("[data-warning=few-churns]").TextContent, StringComparison.Ordinal);
        Assert.Contains(expected.Auc!.Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), page.Find(".bt-auc").TextContent, StringComparison.Ordinal);
        Assert.Contains("6 of 15 account-months", page.Markup, StringComparison.Ordinal);
        // Four charts: per band, per grade, calibration and ROC.
        Assert.Equal(4, page.FindComponents<HealthDashboard.Components.Charts.ApexChart>().Count);
    }

    [Fact]
    public void The_churned_accounts_table_links_to_the_accounts_with_their_health_before_they_left()
    {
        var page = RenderPage();

        var rows = page.FindAll("[data-table=churned] tbody tr");
        // Most recent churn first: fading (2025-03-20), then surprise (2025-02-15).
        Assert.Equal(["fading", "surprise"], rows.Select(r => r.QuerySelector("a")!.GetAttribute("href")!.Replace("accounts/", "", StringComparison.Ordinal)));
        Assert.All(rows, r => Assert.Equal(3, r.QuerySelectorAll(".hd-health-chip").Length));
    }

    [Fact]
    public void A_product_manager_reads_the_figures_but_cannot_fit_weights()
    {
        SignInAs("pat", HealthDashboard.Identity.Roles.ProductManager);
        var page = RenderPage();

        Assert.NotNull(page.Find("[data-verdict]"));
        Assert.Empty(page.FindAll(".bt-suggest"));
    }

    [Fact]
    public async Task The_suggestion_opens_in_the_editor_as_a_draft_and_nothing_is_saved()
    {
        var versions = (await store.Get<ModelStore>().ListAsync()).Count;
        var page = RenderPage();

        page.Find(".bt-suggest").Click();
        page.WaitForElement("[data-suggestion]", Patience);
        var weights = page.FindAll("[data-suggestion] tbody tr td:nth-child(3)").Select(td => int.Parse(td.TextContent, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(100, weights.Sum());

        page.Find(".bt-apply").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/model", navigation.Uri, StringComparison.Ordinal), Patience);
        var session = Services.GetRequiredService<ModelEditorSession>();
        Assert.Equal(weights, Indicators.All.Select(i => (int)session.Draft!.IndicatorWeights[i]));
        Assert.Equal(ScoringModel.Default with { IndicatorWeights = session.Draft!.IndicatorWeights }, session.Draft);
        Assert.StartsWith("Suggested weights", session.Origin, StringComparison.Ordinal);
        Assert.Equal(session.Draft.IndicatorWeights != ScoringModel.Default.IndicatorWeights, session.IsDirty);
        Assert.Equal(versions, (await store.Get<ModelStore>().ListAsync()).Count);
    }

    [Fact]
    public void The_editor_panel_shows_the_saved_models_figures_for_an_unchanged_draft()
    {
        var panel = Render<BacktestPanel>(p => p.Add(x => x.Saved, ScoringModel.Default).Add(x => x.Draft, ScoringModel.Default).Add(x => x.DelayMilliseconds, 0));

        panel.WaitForAssertion(() => Assert.NotEqual("…", panel.Find("[data-backtest-auc=draft]").TextContent), Patience);
        var auc = Expected().Auc!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(auc, panel.Find("[data-backtest-auc=saved]").TextContent);
        Assert.Equal(auc, panel.Find("[data-backtest-auc=draft]").TextContent);
    }

    [Fact]
    public void The_editor_panel_follows_the_draft()
    {
        var recencyOnly = ScoringModel.Default with { IndicatorWeights = new IndicatorWeights { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 100, Support = 0, Sentiment = 0, Growth = 0 } };
        var panel = Render<BacktestPanel>(p => p.Add(x => x.Saved, ScoringModel.Default).Add(x => x.Draft, ScoringModel.Default).Add(x => x.DelayMilliseconds, 0));
        panel.WaitForAssertion(() => Assert.NotEqual("…", panel.Find("[data-backtest-auc=draft]").TextContent), Patience);

        panel.Render(p => p.Add(x => x.Draft, recencyOnly));

        var expected = Expected(recencyOnly);
        Assert.NotEqual(Expected().Auc, expected.Auc);
        panel.WaitForAssertion(() => Assert.Equal(expected.Auc!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), panel.Find("[data-backtest-auc=draft]").TextContent), Patience);
        Assert.Equal(Expected().Auc!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), panel.Find("[data-backtest-auc=saved]").TextContent);
    }
}
