using AngleSharp.Dom;
using Bunit;
using HealthDashboard.Components.Pages.Model;
using HealthDashboard.Data;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.ModelVersions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HealthDashboard.Tests.Components.Pages.Model;

/// <summary>
/// The editor page over a SQLite file holding <see cref="TestPortfolio"/> (version 1 = its model).
/// Saved bands: 1 green (ACC-1), 1 yellow (ACC-2), 3 red; Recency 10 -> 40 moves ACC-2 to green and
/// ACC-5 to yellow (hand-checked in <see cref="ModelPreviewTests"/>).
/// </summary>
public sealed class ModelEditorPageTests : ModelPageTestBase
{
    [Fact]
    public void Renders_a_slider_and_a_number_per_weight_from_the_saved_model()
    {
        var page = RenderPage();

        // 8 indicator weights, 3 event types, k and W.
        Assert.Equal(13, page.FindAll(".mud-slider").Count);
        Assert.Equal("25", page.Find("#weight-Engagement").GetAttribute("value"));
        Assert.Equal("10", page.Find("#weight-Recency").GetAttribute("value"));
        Assert.Equal(["1", "5", "7"], new[] { "login", "report_created", "dashboard_shared" }.Select(k => page.Find($"#event-weight-{k}").GetAttribute("value")));
        Assert.Equal("3", page.Find("#curvature-value").GetAttribute("value"));
        Assert.Equal("30", page.Find("#window-value").GetAttribute("value"));
        Assert.Equal(["85", "70", "40"], new[] { "A", "B", "C" }.Select(g => page.Find($"#threshold-{g}").GetAttribute("value")));
        // Key features: report_created and dashboard_shared.
        Assert.Equal(
            ["false", "true", "true"],
            new[] { "login", "report_created", "dashboard_shared" }.Select(k => page.Find($"[data-event='{k}'] .me-flag-key").GetAttribute("aria-pressed")));
        Assert.Contains("v1", page.Find(".me-version-chip").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_opening_shows_the_saved_models_preview_and_backtest_at_once_even_while_prerendering()
    {
        var first = RenderPage();
        first.WaitForAssertion(() => Assert.Equal(("1", "1", "3"), AfterCounts(first)), Patience);
        first.WaitForAssertion(() => Assert.Empty(first.FindAll(".hd-loading")), Patience);
        var backtest = first.Find(".me-backtest").TextContent;
        await DisposeComponentsAsync();

        // The next opening's prerender (no circuit yet): the kept preview and backtest of the unchanged saved model.
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var prerendered = RenderPage();

        Assert.Empty(prerendered.FindAll(".hd-loading"));
        Assert.Equal(("1", "1", "3"), AfterCounts(prerendered));
        Assert.Equal(backtest, prerendered.Find(".me-backtest").TextContent);
    }

    [Fact]
    public async Task A_change_updates_the_preview_band_counts_without_touching_the_database()
    {
        var before = await Test.RowCountsAsync();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(("1", "1", "3"), AfterCounts(page)), Patience);

        SetNumber(page, "#weight-Recency", "40");

        page.WaitForAssertion(() => Assert.Equal(("2", "1", "2"), AfterCounts(page)), Patience);
        Assert.Equal("2", page.Find("[data-figure='moved-up'] .me-impact-value").TextContent);
        Assert.Equal("0", page.Find("[data-figure='moved-down'] .me-impact-value").TextContent);
        Assert.Equal(("1", "1", "3"), BeforeCounts(page));
        Assert.Equal(before, await Test.RowCountsAsync());
        page.WaitForAssertion(() => Assert.Equal("1", page.Find(".me-tab-badge").TextContent), Patience);
    }

    [Fact]
    public void An_invalid_value_shows_its_message_next_to_the_field_and_blocks_save_and_preview()
    {
        var page = RenderPage();

        SetNumber(page, "#weight-Breadth", "-1");

        var message = page.WaitForElement("[data-indicator='Breadth'] .me-field-error", Patience);
        Assert.Equal("Breadth weight must be between 0 and 100 (got -1).", message.TextContent);
        Assert.True(page.Find("button.me-save").HasAttribute("disabled"));
        var paused = page.WaitForElement("[data-preview='paused']", Patience);
        Assert.Contains("Preview paused", paused.TextContent, StringComparison.Ordinal);
        Assert.Contains("Fix the 1 highlighted field and the preview follows", paused.TextContent, StringComparison.Ordinal);
        // The last valid figures are not shown as if they were the draft's.
        Assert.Empty(page.FindAll("[data-figure]"));
        Assert.Empty(page.FindAll(".me-bands-table"));

        SetNumber(page, "#weight-Breadth", "20");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-figure='moved-up']")), Patience);
        Assert.Empty(page.FindAll("[data-preview='paused']"));
    }

    [Theory]
    [InlineData("A", "60", "B", "Thresholds must increase strictly: C < B < A (got C 40, B 70, A 60).")]
    [InlineData("B", "90", "A", "Thresholds must increase strictly: C < B < A (got C 40, B 90, A 85).")]
    public void Thresholds_out_of_order_mark_the_edited_field_not_its_neighbour(string edited, string value, string neighbour, string message)
    {
        var page = RenderPage();

        SetNumber(page, $"#threshold-{edited}", value);

        var error = page.WaitForElement("[data-field='Thresholds']", Patience);
        Assert.Equal(message, error.TextContent);
        Assert.Single(page.FindAll("[data-field='Thresholds']"));
        Assert.NotNull(Threshold(page, edited).QuerySelector("[data-field='Thresholds']"));
        Assert.NotNull(Threshold(page, edited).QuerySelector(".me-invalid"));
        Assert.Null(Threshold(page, neighbour).QuerySelector(".me-invalid"));
    }

    [Fact]
    public void A_draft_kept_in_the_browser_comes_back_after_a_reload_and_every_edit_is_kept_again()
    {
        var module = JSInterop.SetupModule(ModelEditorBrowser.ModulePath);
        module.Setup<KeptDraft?>("loadDraft").SetResult(new KeptDraft(1, (TestPortfolio.Model() with { Curvature = 5 }).ToJson()));

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal("5", page.Find("#curvature-value").GetAttribute("value")), Patience);
        Assert.Equal("1", page.Find(".me-tab-badge").TextContent);
        Assert.Contains("Your unsaved draft, kept in this browser", page.Find(".me-origin").TextContent, StringComparison.Ordinal);

        SetNumber(page, "#window-value", "20");

        page.WaitForAssertion(() =>
        {
            var kept = module.Invocations["saveDraft"][^1];
            Assert.Equal(1, kept.Arguments[0]);
            var model = ScoringModel.FromJson((string)kept.Arguments[1]!);
            Assert.Equal((5.0, 20), (model.Curvature, model.WindowDays));
        }, Patience);
    }

    [Fact]
    public async Task A_discarded_draft_is_forgotten_by_the_browser_too()
    {
        var module = JSInterop.SetupModule(ModelEditorBrowser.ModulePath);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        SetNumber(page, "#curvature-value", "5");
        page.WaitForAssertion(() => Assert.Contains(module.Invocations["saveDraft"], i => i.Arguments[1] is not null), Patience);

        page.Find("button.me-discard").Click();
        await dialogs.WaitForElement(".mud-message-box__yes-button, .mud-dialog-actions button:last-child", Patience).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Null(module.Invocations["saveDraft"][^1].Arguments[1]), Patience);
    }

    [Fact]
    public async Task Leaving_for_another_page_with_a_draft_asks_first_and_staying_keeps_the_page()
    {
        var dialogs = Render<MudDialogProvider>();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = RenderPage();
        SetNumber(page, "#curvature-value", "5");
        page.WaitForAssertion(() => Assert.Equal("1", page.Find(".me-tab-badge").TextContent), Patience);

        // The history tab belongs to the editor: no question.
        await page.InvokeAsync(() => navigation.NavigateTo("model/versions"));
        page.WaitForAssertion(() => Assert.EndsWith("/model/versions", navigation.Uri, StringComparison.Ordinal), Patience);
        await page.InvokeAsync(() => navigation.NavigateTo("model"));
        page.WaitForAssertion(() => Assert.EndsWith("/model", navigation.Uri, StringComparison.Ordinal), Patience);

        // Not awaited by the navigation: the handler waits for the answer.
        _ = page.InvokeAsync(() => navigation.NavigateTo("accounts"));
        var box = dialogs.WaitForElement(".mud-dialog", Patience);
        Assert.Contains("Leave with unsaved changes?", box.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 unsaved change is not a version yet", box.TextContent, StringComparison.Ordinal);
        await dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Contains("Stay", StringComparison.Ordinal)).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")), Patience);
        Assert.EndsWith("/model", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_who_is_not_an_admin_sees_the_model_read_only_and_cannot_save()
    {
        SignInAs("leo", HealthDashboard.Identity.Roles.ProductManager);
        var page = RenderPage();
        page.WaitForElement(".me-readonly", Patience);
        SetNumber(page, "#weight-Recency", "40");
        page.WaitForAssertion(() => Assert.False(page.Find("button.me-discard").HasAttribute("disabled")), Patience);
        Assert.True(page.Find("button.me-save").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Save_stays_disabled_without_a_comment_and_then_creates_the_next_version()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        SetNumber(page, "#weight-Recency", "40");
        page.WaitForAssertion(() => Assert.False(page.Find("button.me-save").HasAttribute("disabled")), Patience);

        // Not awaited: the handler waits for the dialog to close.
        page.Find("button.me-save").Click();
        var submit = dialogs.WaitForElement("button.me-save-submit", Patience);
        Assert.True(submit.HasAttribute("disabled"));
        Assert.Contains("Recency weight", dialogs.Find(".me-diff-table").TextContent, StringComparison.Ordinal);

        dialogs.Find("#save-comment").Input("ok");
        Assert.True(dialogs.Find("button.me-save-submit").HasAttribute("disabled"));
        dialogs.Find("#save-comment").Input("Recency matters more");
        // Saved by the signed-in member, not a typed name.
        Assert.Equal("maya", dialogs.Find("#save-name").GetAttribute("value"));
        Assert.True(dialogs.Find("#save-name").HasAttribute("readonly"));
        // The text field hands its value on asynchronously: on a busy machine the dialog re-renders a moment later.
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("button.me-save-submit").HasAttribute("disabled")), Patience);
        await dialogs.Find("button.me-save-submit").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("v2", page.Find(".me-version-chip").TextContent, StringComparison.Ordinal), Patience);
        var saved = (await Test.Store.GetAsync(2))!;
        Assert.Equal(("maya", "Recency matters more"), (saved.Info.SavedBy, saved.Info.Comment));
        Assert.Equal(40, saved.Model.IndicatorWeights.Recency);
        page.WaitForAssertion(() => Assert.Equal(2, Test.Board.Current!.ModelVersion), Patience);
        Assert.Empty(page.FindAll(".me-tab-badge"));
    }

    [Fact]
    public async Task A_stale_save_is_refused_with_a_clear_message_and_the_draft_is_kept_and_can_be_rebased()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        SetNumber(page, "#weight-Recency", "40");
        page.WaitForAssertion(() => Assert.False(page.Find("button.me-save").HasAttribute("disabled")), Patience);
        // Someone else saves version 2 (a flatter curve) behind the page's back.
        await InsertVersionAsync(2, "liam", TestPortfolio.Model() with { Curvature = 2 });

        // Not awaited: the handler waits for the dialog to close.
        // Not awaited: the handler waits for the dialog to close.
        page.Find("button.me-save").Click();
        dialogs.WaitForElement("#save-comment", Patience).Input("Recency matters more");
        await dialogs.Find("button.me-save-submit").ClickAsync(new());

        var alert = page.WaitForElement("[data-alert='stale']", Patience);
        Assert.Contains("Version 2 was saved by liam at 2026-06-30 13:00 UTC while you were editing; your draft is kept", alert.TextContent, StringComparison.Ordinal);
        Assert.Equal("40", page.Find("#weight-Recency").GetAttribute("value"));
        Assert.True(page.Find("button.me-save").HasAttribute("disabled"));
        Assert.Null(await Test.Store.GetAsync(3));

        await page.Find("[data-alert='stale'] button").ClickAsync(new());

        Assert.Contains("Your changes now sit on version 2", page.Find("[data-alert='rebased']").TextContent, StringComparison.Ordinal);
        Assert.Equal("40", page.Find("#weight-Recency").GetAttribute("value"));
        Assert.Equal("2", page.Find("#curvature-value").GetAttribute("value"));
        Assert.False(page.Find("button.me-save").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Discard_returns_to_the_saved_model()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        SetNumber(page, "#curvature-value", "5");
        page.WaitForAssertion(() => Assert.Equal("1", page.Find(".me-tab-badge").TextContent), Patience);

        page.Find("button.me-discard").Click();
        await dialogs.WaitForElement(".mud-message-box__yes-button, .mud-dialog-actions button:last-child", Patience).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("#curvature-value").GetAttribute("value")), Patience);
        Assert.Empty(page.FindAll(".me-tab-badge"));
    }

    private IRenderedComponent<ModelEditorPage> RenderPage()
    {
        var page = Render<ModelEditorPage>(p => p.Add(x => x.PreviewDelayMilliseconds, 0));
        page.WaitForElement(".me-layout", Patience);
        return page;
    }

    /// <summary>Types a value into a MudNumericField and leaves it, as a person would.</summary>
    private static void SetNumber(IRenderedComponent<ModelEditorPage> page, string selector, string value)
    {
        page.Find(selector).Change(value);
        page.Find(selector).Blur();
    }

    private static IElement Threshold(IRenderedComponent<ModelEditorPage> page, string grade) =>
        page.FindAll(".me-threshold").Single(t => t.QuerySelector($"#threshold-{grade}") is not null);

    private static (string Green, string Yellow, string Red) AfterCounts(IRenderedComponent<ModelEditorPage> page) =>
        (Cell(page, "green", "after"), Cell(page, "yellow", "after"), Cell(page, "red", "after"));

    private static (string Green, string Yellow, string Red) BeforeCounts(IRenderedComponent<ModelEditorPage> page) =>
        (Cell(page, "green", "before"), Cell(page, "yellow", "before"), Cell(page, "red", "before"));

    private static string Cell(IRenderedComponent<ModelEditorPage> page, string band, string column) =>
        page.Find($"tr[data-band='{band}'] .me-bands-{column}").TextContent;

    private async Task InsertVersionAsync(int version, string who, ScoringModel model)
    {
        await using var db = await Test.Factory.CreateDbContextAsync();
        db.ModelVersions.Add(new ScoringModelVersion
        {
            Id = version,
            SavedAt = new DateTime(2026, 6, 30, 13, 0, 0, DateTimeKind.Utc),
            SavedBy = who,
            Comment = "Flatter curve",
            ModelJson = model.ToJson(),
        });
        await db.SaveChangesAsync();
    }
}
