using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Timeline;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Timeline;

/// <summary>Notes through the store: who may write, edit and delete, the 15-minute edit window, and deletions in the audit trail.</summary>
public sealed class NoteStoreTests : IAsyncLifetime
{
    private static readonly DateTime Now = TestStore.DefaultStart.UtcDateTime;
    private static readonly SignedInMember Casey = Csm("Casey CSM", "casey@example.com");
    private static readonly SignedInMember Robin = Csm("Robin", "robin@example.com");
    private static readonly SignedInMember Admin = new("Ada Admin", new Actor("ada@example.com", "test"), IsAdmin: true, new AccountOwner("Ada Admin", "ada@example.com", IsCsManager: false));
    private static readonly SignedInMember ProductManager = new("Pat PM", new Actor("pat@example.com", "test"), IsAdmin: false, new AccountOwner("Pat PM", "pat@example.com", IsCsManager: false));
    private TestStore database = null!;

    private NoteStore Store => database.Get<NoteStore>();

    private static SignedInMember Csm(string name, string email) => new(name, new Actor(email, "test"), IsAdmin: false, new AccountOwner(name, email, IsCsManager: true));

    public async Task InitializeAsync()
    {
        database = await TestStore.CreateAsync();
        await using var db = await database.DbFactory.CreateDbContextAsync();
        db.Accounts.AddRange(
            new Account { ExternalId = "ACC-1", Name = "Alpha", Owner = "Casey CSM", CreatedAt = Now.AddDays(-400) },
            new Account { ExternalId = "ACC-2", Name = "Beta", Owner = "robin@example.com", CreatedAt = Now.AddDays(-400) });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_cs_manager_writes_on_their_own_accounts_an_admin_on_any_and_a_product_manager_on_none()
    {
        var own = await Store.AddAsync("ACC-1", "Champion moved to a new team", Casey);
        var other = await Store.AddAsync("ACC-2", "Not mine", Casey);
        var admin = await Store.AddAsync("ACC-2", "Legal review started", Admin);
        var pm = await Store.AddAsync("ACC-1", "I think so", ProductManager);
        var missing = await Store.AddAsync("ACC-9", "Nobody", Admin);

        Assert.True(own.Succeeded, own.Problem);
        Assert.Equal("You can add notes only to the accounts you own; Beta is owned by robin@example.com.", other.Problem);
        Assert.True(admin.Succeeded, admin.Problem);
        Assert.Equal("Only admins and the account's CS manager can add notes.", pm.Problem);
        Assert.Equal("There is no account 'ACC-9'.", missing.Problem);
        Assert.Equal(["Champion moved to a new team"], (await Store.ForAccountAsync("ACC-1")).Select(n => n.Text));
        Assert.Equal(["Legal review started"], (await Store.ForAccountAsync("ACC-2")).Select(n => n.Text));
    }

    [Fact]
    public async Task Empty_and_too_long_notes_are_refused_and_line_breaks_and_markup_are_kept_as_written()
    {
        var empty = await Store.AddAsync("ACC-1", "  \r\n ", Casey);
        var tooLong = await Store.AddAsync("ACC-1", new string('x', NoteStore.MaxTextLength + 1), Casey);
        var written = await Store.AddAsync("ACC-1", "  Line one\r\n<b>not bold</b> **not bold**\r\n", Casey);

        Assert.Equal("Write something first: the note is empty.", empty.Problem);
        Assert.Equal($"Keep a note under {NoteStore.MaxTextLength} characters (it has {NoteStore.MaxTextLength + 1}).", tooLong.Problem);
        Assert.True(written.Succeeded);
        var note = Assert.Single(await Store.ForAccountAsync("ACC-1"));
        Assert.Equal("Line one\n<b>not bold</b> **not bold**", note.Text);
        Assert.Equal("casey@example.com", note.AuthorEmail);
        Assert.Equal("Casey CSM", note.AuthorName);
        Assert.Equal(Now, note.CreatedAt);
    }

    [Fact]
    public async Task Only_the_author_edits_and_only_for_fifteen_minutes()
    {
        await Store.AddAsync("ACC-1", "First draft", Casey);
        var id = (await Store.ForAccountAsync("ACC-1")).Single().Id;

        var byAdmin = await Store.EditAsync(id, "Admin's words", Admin);
        database.Clock.Advance(TimeSpan.FromMinutes(NoteStore.EditMinutes) - TimeSpan.FromSeconds(1));
        var inTime = await Store.EditAsync(id, "Second draft", Casey);
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        var late = await Store.EditAsync(id, "Third draft", Casey);

        Assert.Equal("Only the author can edit a note.", byAdmin.Problem);
        Assert.True(inTime.Succeeded, inTime.Problem);
        Assert.Equal($"A note can be edited for {NoteStore.EditMinutes} minutes after it was written; add a new note instead.", late.Problem);
        var note = (await Store.ForAccountAsync("ACC-1")).Single();
        Assert.Equal("Second draft", note.Text);
        Assert.Equal(Now.AddMinutes(NoteStore.EditMinutes).AddSeconds(-1), note.EditedAt);
    }

    [Fact]
    public async Task A_deletion_by_the_author_or_an_admin_is_recorded_in_the_audit_trail_with_the_text()
    {
        await Store.AddAsync("ACC-1", "Budget cut rumour", Casey);
        await Store.AddAsync("ACC-1", "Second note", Casey);
        var notes = await Store.ForAccountAsync("ACC-1");
        var (second, first) = (notes[0].Id, notes[1].Id);

        var byOther = await Store.DeleteAsync(first, Robin);
        var byPm = await Store.DeleteAsync(first, ProductManager);
        var byAuthor = await Store.DeleteAsync(first, Casey);
        var again = await Store.DeleteAsync(first, Casey);
        var byAdmin = await Store.DeleteAsync(second, Admin);
        var editDeleted = await Store.EditAsync(first, "Back", Casey);

        Assert.Equal("Only the note's author or an admin can delete it.", byOther.Problem);
        Assert.Equal("Only the note's author or an admin can delete it.", byPm.Problem);
        Assert.True(byAuthor.Succeeded);
        Assert.False(again.Succeeded);
        Assert.True(byAdmin.Succeeded);
        Assert.False(editDeleted.Succeeded);

        var kept = await Store.ForAccountAsync("ACC-1");
        Assert.All(kept, n => Assert.Equal("", n.Text));
        Assert.Equal(["Ada Admin", "Casey CSM"], kept.Select(n => n.DeletedBy));

        await using var db = await database.DbFactory.CreateDbContextAsync();
        var audit = await db.Audit.Where(a => a.Action == AuditActions.NoteDelete).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["casey@example.com", "ada@example.com"], audit.Select(a => a.Actor));
        Assert.All(audit, a => Assert.Equal("account ACC-1", a.Target));
        Assert.Equal($"note {first} by Casey CSM (2026-11-23 10:00 UTC): Budget cut rumour", audit[0].Details);
        Assert.EndsWith(": Second note", audit[1].Details);
    }

    [Fact]
    public async Task Changes_are_announced_with_the_account_id()
    {
        var announced = new List<string>();
        Store.Changed += announced.Add;
        await Store.AddAsync("ACC-2", "Hello", Robin);
        await Store.AddAsync("ACC-1", "Refused", Robin);

        Assert.Equal(["ACC-2"], announced);
    }
}
