using System.Text.RegularExpressions;
using Bunit;
using HealthDashboard.Components.Pages.Model;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.ModelVersions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HealthDashboard.Tests.Components.Pages.Model;

/// <summary>The version history over a store with version 1 (TestPortfolio's model) and version 2 (Recency 40).</summary>
public sealed class ModelVersionsPageTests : ModelPageTestBase
{
    protected override async Task SeedAsync(ModelTestStore store)
    {
        var v2 = TestPortfolio.Model() with { IndicatorWeights = TestPortfolio.Model().IndicatorWeights.With(Indicator.Recency, 40) };
        await (await store.Store.SaveAsync(v2, 1, "maya", "Recency matters more")).Rescored;
    }

    [Fact]
    public void Lists_every_version_with_who_and_why_and_shows_the_newest_diff()
    {
        var page = Render<ModelVersionsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".mv-item").Count), Patience);
        var items = page.FindAll(".mv-item");
        Assert.Contains("Recency matters more", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("maya · Recency weight", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Current", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Test model", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Changes from version 1", page.Find(".mv-h3").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Recency weight", "10", "40"], page.FindAll(".me-diff-table tbody td, .me-diff-table tbody th").Select(c => c.TextContent.Trim()));
        Assert.True(page.Find("button.mv-restore").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Restore_asks_for_a_comment_shows_its_changes_and_impact_then_saves_the_old_version_as_the_newest()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ModelVersionsPage>(p => p.Add(x => x.Version, 1));
        page.WaitForAssertion(() => Assert.False(page.Find("button.mv-restore").HasAttribute("disabled")), Patience);

        // Not awaited: the handler waits for the dialog.
        page.Find("button.mv-restore").Click();
        var submit = dialogs.WaitForElement("button.me-save-submit", Patience);
        Assert.Contains("Restore version 1 as version 3", dialogs.Find(".me-save-title").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Recency weight", "40", "10"], dialogs.FindAll(".me-diff-table tbody td, .me-diff-table tbody th").Select(c => c.TextContent.Trim()));
        // Recency back from 40 to 10 sends ACC-2 and ACC-5 down a band again (the reverse of ModelPreviewTests' hand-checked move).
        Assert.Contains("0 accounts move up a band, 2 down", Regex.Replace(dialogs.Find("[data-impact='summary']").TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.True(submit.HasAttribute("disabled"));

        dialogs.Find("#save-comment").Input("Back to the calmer recency weight");
        await dialogs.Find("button.me-save-submit").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotNull(Test.Store.GetAsync(3).Result), Patience);
        var restored = (await Test.Store.GetAsync(3))!;
        Assert.Equal((1, "maya", "Back to the calmer recency weight"), (restored.Info.RestoredFrom, restored.Info.SavedBy, restored.Info.Comment));
        Assert.Equal(TestPortfolio.Model(), restored.Model);
    }

    [Fact]
    public async Task Any_two_versions_can_be_compared()
    {
        await Test.Store.SaveAsync(TestPortfolio.Model() with { Curvature = 5 }, 2, "liam", "Steeper curve");
        Services.GetRequiredService<NavigationManager>().NavigateTo("model/versions/3?with=1");
        var page = Render<ModelVersionsPage>(p => p.Add(x => x.Version, 3));

        page.WaitForAssertion(() => Assert.Contains("Changes from version 1", page.Find(".mv-h3").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(
            ["Curvature k", "3", "5"],
            page.FindAll(".me-diff-table tbody td, .me-diff-table tbody th").Select(c => c.TextContent.Trim()));
        Assert.Contains("1 field", page.Find(".mv-count").TextContent, StringComparison.Ordinal);
    }
}
