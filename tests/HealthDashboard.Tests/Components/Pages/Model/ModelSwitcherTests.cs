using Bunit;
using HealthDashboard.Components.Pages.Model;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HealthDashboard.Tests.Components.Pages.Model;

/// <summary>
/// The editor's model switcher and custom indicators over <see cref="TestPortfolio"/>: Enterprise is ACC-1 and ACC-4,
/// SMB ACC-3 and ACC-5 (20 days old), Mid-Market ACC-2; five accounts in all, version 1 the default model.
/// </summary>
public sealed class ModelSwitcherTests : ModelPageTestBase
{
    private static readonly ModelKey Enterprise = ModelKey.ForSegment("Enterprise");

    [Fact]
    public async Task New_segment_model_offers_the_segments_with_counts_creates_it_from_the_default_and_opens_it()
    {
        var dialogs = Render<MudDialogProvider>();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderPage();
        Assert.Equal(["default"], page.FindAll(".ms-model").Select(m => m.GetAttribute("data-model")));
        Assert.Equal("5", page.Find(".ms-current [data-testid='model-accounts']").TextContent);

        page.Find("button.ms-new-segment").Click();
        dialogs.WaitForElement("button.nm-create", Patience);
        // The select lists the segments by size: Enterprise and SMB have 2 accounts, Mid-Market 1.
        Assert.Equal("Enterprise", dialogs.Find("#new-segment").GetAttribute("value"));
        await dialogs.Find("button.nm-create").ClickAsync(new());

        page.WaitForAssertion(() => Assert.EndsWith("/model?model=segment%3AEnterprise", navigation.Uri, StringComparison.Ordinal), Patience);
        var created = await Test.Store.GetLatestAsync(Enterprise);
        Assert.NotNull(created);
        Assert.Equal(2, created.Info.Version);
        Assert.Equal(TestPortfolio.Model(), created.Model);
        Assert.Equal("Created from the default model (version 1)", created.Info.Comment);
        page.WaitForAssertion(() => Assert.Equal(2, Test.Board.Current!.ModelVersion), Patience);
        page.WaitForAssertion(() => Assert.Equal(
            [("default", "3"), ("segment:Enterprise", "2")],
            page.FindAll(".ms-model").Select(m => (m.GetAttribute("data-model"), m.QuerySelector("[data-testid='model-accounts']")!.TextContent))), Patience);
        Assert.Contains("Enterprise model", page.Find(".hd-page-title, h1").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_models_preview_compares_only_its_accounts_and_a_save_makes_its_next_version()
    {
        await CreateAsync(Enterprise, TestPortfolio.Model());
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage("segment:Enterprise");
        page.WaitForAssertion(() => Assert.Contains("The 2 accounts of the Enterprise model", page.Find(".me-preview-sub").TextContent, StringComparison.Ordinal), Patience);

        page.Find("#weight-Recency").Change("60");
        page.Find("#weight-Recency").Blur();
        page.WaitForAssertion(() => Assert.Equal("1", page.Find(".me-tab-badge").TextContent), Patience);
        page.Find("button.me-save").Click();
        dialogs.WaitForElement("#save-comment", Patience).Input("Recency for the big ones");
        await dialogs.Find("button.me-save-submit").ClickAsync(new());

        page.WaitForAssertion(async () => Assert.Equal(60, (await Test.Store.GetLatestAsync(Enterprise))!.Model.IndicatorWeights.Recency), Patience);
        Assert.Equal(10, (await Test.Store.GetLatestAsync())!.Model.IndicatorWeights.Recency);
    }

    [Fact]
    public async Task Remove_asks_first_records_the_removal_and_returns_to_the_default()
    {
        await CreateAsync(Enterprise, TestPortfolio.Model());
        var dialogs = Render<MudDialogProvider>();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderPage("segment:Enterprise");

        page.Find("button.ms-remove").Click();
        var box = dialogs.WaitForElement(".mud-dialog", Patience);
        Assert.Contains("Remove the Enterprise model?", box.TextContent, StringComparison.Ordinal);
        Assert.Contains("Its 2 accounts return to the default model", box.TextContent, StringComparison.Ordinal);
        await dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Contains("Remove", StringComparison.Ordinal)).ClickAsync(new());

        page.WaitForAssertion(() => Assert.EndsWith("/model", navigation.Uri, StringComparison.Ordinal), Patience);
        var latest = await Test.Store.GetLatestAsync(Enterprise);
        Assert.True(latest!.Info.Removed);
        Assert.Equal("maya", latest.Info.SavedBy);
    }

    [Fact]
    public void A_member_who_is_not_an_admin_sees_the_models_but_cannot_add_or_remove_them()
    {
        SignInAs("leo", HealthDashboard.Identity.Roles.ProductManager);
        var page = RenderPage();
        Assert.NotEmpty(page.FindAll(".ms-model"));
        Assert.Empty(page.FindAll("button.ms-new-segment"));
        Assert.Empty(page.FindAll("button.ms-remove"));
    }

    [Fact]
    public async Task The_onboarding_model_edits_its_period_and_a_cleared_period_is_refused_with_the_stores_message()
    {
        await CreateAsync(ModelKey.Onboarding, TestPortfolio.Model() with { OnboardingDays = 30 });
        var page = RenderPage("onboarding");
        page.WaitForAssertion(() => Assert.Equal("1", page.Find(".ms-current [data-testid='model-accounts']").TextContent), Patience);
        Assert.Equal("30", page.Find("#onboarding-days").GetAttribute("value"));

        page.Find("#onboarding-days").Change("");
        page.Find("#onboarding-days").Blur();

        page.WaitForAssertion(() => Assert.Equal(
            "The onboarding model needs its onboarding period in days (onboardingDays).",
            page.Find("[data-field='OnboardingDays']").TextContent), Patience);
        Assert.True(page.Find("button.me-save").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_custom_indicator_is_added_through_the_form_which_refuses_a_built_in_key_with_the_models_message()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.Find("button.ci-add").Click();
        dialogs.WaitForElement("button.cd-submit", Patience);
        dialogs.Find("#custom-name").Input("Health");
        // MudTextField hands the typed value on asynchronously, so the key derived from it is waited for.
        dialogs.WaitForAssertion(() => Assert.Equal("health", dialogs.Find("#custom-key").GetAttribute("value")), Patience);
        dialogs.WaitForAssertion(() => Assert.Contains(
            "Custom indicator 'health': the key 'health' is taken by a built-in column; choose another.", dialogs.Markup, StringComparison.Ordinal), Patience);
        Assert.True(dialogs.Find("button.cd-submit").HasAttribute("disabled"));

        dialogs.Find("#custom-name").Input("Renewal likelihood");
        dialogs.Find("#custom-metric").Input("renewal_likelihood");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("button.cd-submit").HasAttribute("disabled")), Patience);
        await dialogs.Find("button.cd-submit").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-custom='renewal_likelihood']")), Patience);
        var session = Services.GetRequiredService<ModelEditorSession>();
        var added = Assert.Single(session.Draft!.CustomIndicators);
        Assert.Equal(("renewal_likelihood", "Renewal likelihood", "renewal_likelihood", 10.0, CustomScoring.Direct), (added.Key, added.Name, added.Metric, added.Weight, added.Scoring));
        Assert.Contains(session.Changes, c => c.Field == "Custom indicator renewal_likelihood");
    }

    [Fact]
    public void A_custom_indicators_weight_moves_on_its_slider_and_remove_leaves_an_undo()
    {
        var page = RenderPage();
        var session = Services.GetRequiredService<ModelEditorSession>();
        var indicator = new CustomIndicator { Key = "sponsor", Name = "Sponsor", Metric = "sponsor_sentiment", Weight = 10 };
        page.InvokeAsync(() => session.Update(session.Draft! with { CustomIndicators = [indicator] }));
        page.WaitForElement("[data-custom='sponsor']", Patience);

        page.Find("#custom-weight-sponsor").Change("35");
        page.Find("#custom-weight-sponsor").Blur();
        page.WaitForAssertion(() => Assert.Equal(35, session.Draft!.CustomIndicators[0].Weight), Patience);

        page.Find("[data-custom='sponsor'] button.ci-remove").Click();
        page.WaitForAssertion(() => Assert.Empty(session.Draft!.CustomIndicators), Patience);
        // Not in the saved version, so nothing to undo: removing a new one just drops it.
        Assert.Empty(page.FindAll("[data-removed]"));
    }

    [Fact]
    public async Task A_segment_models_history_lists_its_own_versions_and_restores_within_that_model()
    {
        await CreateAsync(Enterprise, TestPortfolio.Model());
        var recency = TestPortfolio.Model() with { IndicatorWeights = TestPortfolio.Model().IndicatorWeights.With(Indicator.Recency, 40) };
        Assert.True((await Test.Store.SaveAsync(Enterprise, recency, 2, "maya", "Recency for the big ones", actor: null)).Succeeded);
        var dialogs = Render<MudDialogProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo("model/versions/2?model=segment%3AEnterprise");

        var page = Render<ModelVersionsPage>(p => p.Add(x => x.Version, 2));

        page.WaitForAssertion(() => Assert.Equal(
            ["model/versions/3?model=segment%3AEnterprise", "model/versions/2?model=segment%3AEnterprise"],
            page.FindAll(".mv-item-link").Select(a => a.GetAttribute("href"))), Patience);
        Assert.Contains("segment:Enterprise", page.Find(".ms-current").GetAttribute("data-model"), StringComparison.Ordinal);
        page.Find("button.mv-restore").Click();
        dialogs.WaitForElement("#save-comment", Patience).Input("Back to the default's weights");
        await dialogs.Find("button.me-save-submit").ClickAsync(new());

        page.WaitForAssertion(async () => Assert.Equal(4, (await Test.Store.GetLatestAsync(Enterprise))!.Info.Version), Patience);
        var restored = (await Test.Store.GetLatestAsync(Enterprise))!;
        Assert.Equal((2, 10.0), (restored.Info.RestoredFrom, restored.Model.IndicatorWeights.Recency));
        // The default model is untouched.
        Assert.Equal(1, (await Test.Store.GetLatestAsync())!.Info.Version);
    }

    private async Task CreateAsync(ModelKey key, ScoringModel model)
    {
        var result = await Test.Store.SaveAsync(key, model, 0, "maya", "Test model", actor: null);
        Assert.True(result.Succeeded, result.Message);
        await result.Rescored;
    }

    private IRenderedComponent<ModelEditorPage> RenderPage(string? model = null)
    {
        if (model is not null)
        {
            Services.GetRequiredService<NavigationManager>().NavigateTo($"model?model={Uri.EscapeDataString(model)}");
        }

        var page = Render<ModelEditorPage>(p => p.Add(x => x.PreviewDelayMilliseconds, 0));
        page.WaitForElement(".me-layout", Patience);
        return page;
    }
}
