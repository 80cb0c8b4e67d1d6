using Bunit;
using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Timeline;

namespace HealthDashboard.Tests.Components.Pages.Account;

/// <summary>The timeline panel: notes are shown as plain text, added from the form, and read-only for product managers.</summary>
public sealed class AccountTimelinePanelTests : PageTestBase
{
    private static readonly SignedInMember Maya = new("maya", new Actor("maya", "test"), IsAdmin: true, new AccountOwner("maya", "maya", IsCsManager: false));

    public AccountTimelinePanelTests()
    {
        using var db = CreateDb();
        db.Accounts.Add(new HealthDashboard.Data.Account { ExternalId = "ACC-1", Name = "Northwind Logistics", Owner = "Maya Chen", CreatedAt = TestPortfolio.AsOf.AddDays(-400) });
        db.SaveChanges();
    }

    private IRenderedComponent<AccountTimelinePanel> RenderPanel() =>
        RenderPage<AccountTimelinePanel>(p => p.Add(x => x.Account, View.FindAccount("ACC-1")!).Add(x => x.View, View));

    [Fact]
    public async Task A_note_is_shown_as_its_plain_text_with_its_line_breaks_never_as_markup()
    {
        await Store.Get<NoteStore>().AddAsync("ACC-1", "Line one\n<b>bold?</b> <script>alert(1)</script> [link](javascript:x)", Maya);

        var panel = RenderPanel();

        var text = panel.WaitForElement("[data-testid=note-text]");
        Assert.Equal("Line one\n<b>bold?</b> <script>alert(1)</script> [link](javascript:x)", text.TextContent);
        Assert.Empty(text.Children);
        Assert.Contains("hd-tl-note", text.ClassList);
        Assert.Equal("maya", panel.Find(".hd-tl-who").TextContent);
    }

    [Fact]
    public void An_admin_adds_a_note_from_the_form_and_it_appears_newest_first_with_edit_and_delete()
    {
        var panel = RenderPanel();

        panel.Find("#note-text").Input("Renewal call booked for Friday");
        panel.Find("[data-testid=note-add] ").Click();

        panel.WaitForAssertion(() => Assert.Equal("Renewal call booked for Friday", panel.Find("[data-testid=note-text]").TextContent));
        Assert.Single(panel.FindAll("[data-testid=note-edit]"));
        Assert.Single(panel.FindAll("[data-testid=note-delete]"));
        Assert.Contains("1", panel.Find("[data-testid=timeline-chip-note]").TextContent);
    }

    [Fact]
    public async Task A_product_manager_reads_notes_but_has_no_form_and_no_edit_or_delete()
    {
        await Store.Get<NoteStore>().AddAsync("ACC-1", "Seen by everyone", Maya);
        SignInAs("pat", HealthDashboard.Identity.Roles.ProductManager);

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("Seen by everyone", panel.Find("[data-testid=note-text]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=note-add]"));
        Assert.NotNull(panel.Find("[data-testid=note-readonly]"));
        Assert.Empty(panel.FindAll("[data-testid=note-edit]"));
        Assert.Empty(panel.FindAll("[data-testid=note-delete]"));
    }
}
