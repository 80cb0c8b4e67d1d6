using Bunit;
using HealthDashboard.Components.Pages.Model;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.ModelVersions;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HealthDashboard.Tests.Components.Pages.Model;

/// <summary>The version history over a store with version 1 (TestPortfolio's model) and version 2 (Recency 40).</summary>
public sealed class ModelVersionsPageTests : BunitTestBase, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private ModelTestStore test = default!;

    public async Task InitializeAsync()
    {
        test = await ModelTestStore.CreateAsync();
        var v2 = TestPortfolio.Model() with { IndicatorWeights = TestPortfolio.Model().IndicatorWeights.With(Indicator.Recency, 40) };
        await (await test.Store.SaveAsync(v2, 1, "maya", "Recency matters more")).Rescored;
        Services.AddSingleton(test.Board);
        Services.AddSingleton(test.Store);
        Services.AddScoped<ModelEditorSession>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await test.DisposeAsync();
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
    public async Task Restore_saves_the_old_version_again_as_the_newest()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ModelVersionsPage>(p => p.Add(x => x.Version, 1));
        page.WaitForAssertion(() => Assert.False(page.Find("button.mv-restore").HasAttribute("disabled")), Patience);

        // Not awaited: the handler waits for the confirmation.
        page.Find("button.mv-restore").Click();
        await dialogs.WaitForElement(".mud-dialog-actions button:last-child", Patience).ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotNull(test.Store.GetAsync(3).Result), Patience);
        var restored = (await test.Store.GetAsync(3))!;
        Assert.Equal((1, "maya", "Restored version 1"), (restored.Info.RestoredFrom, restored.Info.SavedBy, restored.Info.Comment));
        Assert.Equal(TestPortfolio.Model(), restored.Model);
    }
}
