using Bunit;
using HealthDashboard.Components.Pages.Model;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Components.Pages.Model;

public sealed class EventTypesEditorTests : BunitTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly string[] ManyKeys =
    [
        "report_created", "report_exported", "report_scheduled", "dashboard_viewed", "dashboard_shared",
        "alert_created", "alert_triggered", "login", "search", "api_call", "invite.sent", "invite.accepted", "billing_viewed",
    ];

    [Fact]
    public void A_few_event_types_are_one_flat_list()
    {
        var editor = Render<EventTypesEditor>(p => p.Add(x => x.Rows, Rows("login", "report_created", "dashboard_shared")));

        Assert.Empty(editor.FindAll(".me-group-head"));
        Assert.Equal(["login", "report_created", "dashboard_shared"], editor.FindAll(".me-event").Select(e => e.GetAttribute("data-event")));
    }

    [Fact]
    public void Many_event_types_are_grouped_by_key_prefix_with_the_rest_under_other()
    {
        var editor = Render<EventTypesEditor>(p => p.Add(x => x.Rows, Rows(ManyKeys)));

        // Prefixes shared by two or more keys make groups; api_call, billing_viewed, login and search share none.
        Assert.Equal(
            ["Alert 2", "Dashboard 2", "Invite 2", "Report 3", "Other 4"],
            editor.FindAll(".me-group-head").Select(h => $"{h.QuerySelector(".me-group-name")!.TextContent} {h.QuerySelector(".me-group-count")!.TextContent}"));
    }

    [Fact]
    public void Search_and_the_changed_filter_narrow_the_list()
    {
        var rows = Rows(ManyKeys);
        rows[1] = rows[1] with { Settings = new EventTypeSettings(4) };
        var editor = Render<EventTypesEditor>(p => p.Add(x => x.Rows, rows));

        editor.Find("#event-search").Input("dash");
        editor.WaitForAssertion(() => Assert.Equal(["dashboard_viewed", "dashboard_shared"], Keys(editor)), Patience);

        editor.Find("#event-search").Input("");
        editor.FindAll(".me-events-filters .mud-chip").Single(c => c.TextContent.StartsWith("Changed", StringComparison.Ordinal)).Click();
        editor.WaitForAssertion(() => Assert.Equal(["report_exported"], Keys(editor)), Patience);
    }

    [Fact]
    public void A_collapsed_group_keeps_its_head_and_hides_its_rows_until_a_search_matches_them()
    {
        var editor = Render<EventTypesEditor>(p => p.Add(x => x.Rows, Rows(ManyKeys)));

        editor.FindAll(".me-group-head").Single(h => h.QuerySelector(".me-group-name")!.TextContent == "Report").Click();

        editor.WaitForAssertion(() => Assert.DoesNotContain(Keys(editor), k => k!.StartsWith("report_", StringComparison.Ordinal)), Patience);
        var head = editor.FindAll(".me-group-head").Single(h => h.QuerySelector(".me-group-name")!.TextContent == "Report");
        Assert.Equal("false", head.GetAttribute("aria-expanded"));
        Assert.Equal(ManyKeys.Length - 3, Keys(editor).Count);

        editor.Find("#event-search").Input("export");
        editor.WaitForAssertion(() => Assert.Equal(["report_exported"], Keys(editor)), Patience);

        editor.Find("#event-search").Input("");
        editor.WaitForAssertion(() => Assert.Equal(ManyKeys.Length - 3, Keys(editor).Count), Patience);
        editor.FindAll(".me-group-head").Single(h => h.QuerySelector(".me-group-name")!.TextContent == "Report").Click();
        editor.WaitForAssertion(() => Assert.Equal(ManyKeys.Length, Keys(editor).Count), Patience);
    }

    [Fact]
    public async Task Moving_a_weight_or_a_flag_reports_the_new_settings()
    {
        EventTypeChange? changed = null;
        var editor = Render<EventTypesEditor>(p => p
            .Add(x => x.Rows, Rows("login", "report_created"))
            .Add(x => x.OnChanged, (EventTypeChange c) => changed = c));

        await editor.Find("[data-event='login'] .me-flag-key").ClickAsync(new());

        Assert.Equal(new EventTypeChange("login", new EventTypeSettings(1, KeyFeature: true)), changed);
    }

    [Fact]
    public void A_weight_problem_is_shown_in_its_row()
    {
        var rows = Rows("login", "search");
        rows[1] = rows[1] with { Settings = new EventTypeSettings(11), Problem = "Weight of 'search' must be between 0 and 10 (got 11)." };

        var editor = Render<EventTypesEditor>(p => p.Add(x => x.Rows, rows));

        Assert.Equal("Weight of 'search' must be between 0 and 10 (got 11).", editor.Find("[data-event='search'] .me-field-error").TextContent);
        Assert.Empty(editor.FindAll("[data-event='login'] .me-field-error"));
    }

    private static List<EventTypeRow> Rows(params string[] keys) =>
        keys.Select(k => new EventTypeRow(k, k, new EventTypeSettings(1), new EventTypeSettings(1), InData: true, Problem: null)).ToList();

    private static List<string?> Keys(IRenderedComponent<EventTypesEditor> editor) =>
        editor.FindAll(".me-event").Select(e => e.GetAttribute("data-event")).ToList();
}
