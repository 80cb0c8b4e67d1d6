using HealthDashboard.Data;
using HealthDashboard.Identity;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Timeline;

/// <summary>The outcome of adding, editing or deleting a note: done, or refused and why (nothing saved then).</summary>
public sealed record NoteResult(bool Succeeded, string? Problem)
{
    internal static NoteResult Done { get; } = new(true, null);

    internal static NoteResult Refused(string problem) => new(false, problem);
}

/// <summary>
/// Notes on accounts (issue 12). The rules are checked here, on the server, like <see cref="Scores.OverrideStore"/>'s:
/// an admin writes on any account, a CS manager on the accounts they own (<see cref="SignedInMember.MayOverride"/>),
/// a product manager only reads. Only the author edits a note, and only for <see cref="EditMinutes"/> after writing it
/// (the wall clock, not the as-of clock: it is about people, not data). The author or an admin deletes; a deletion is
/// never silent: the audit trail keeps who, when and the text in the same save, and the note's row stays (text
/// cleared) so the timeline says who deleted it. <see cref="Changed"/> is the singleton notifier open timelines
/// listen to.
/// </summary>
public sealed class NoteStore(IDbContextFactory<HealthDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Longest note accepted.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>How long after writing it the author may still edit a note.</summary>
    public const int EditMinutes = 15;

    /// <summary>Raised after any note was added, edited or deleted (from the saving thread).</summary>
    public event Action<string>? Changed;

    /// <summary>Whether <paramref name="member"/> may write notes on an account owned by <paramref name="accountOwner"/>.</summary>
    public static bool MayWrite(SignedInMember member, string? accountOwner) => member.MayOverride(accountOwner);

    /// <summary>Whether <paramref name="member"/> wrote the note (by email, case ignored).</summary>
    public static bool IsAuthor(SignedInMember member, AccountNote note) =>
        string.Equals(member.Actor.Name.Trim(), note.AuthorEmail, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="member"/> may still edit the note at <paramref name="now"/>.</summary>
    public static bool MayEdit(SignedInMember member, AccountNote note, DateTime now) =>
        note.DeletedAt is null && IsAuthor(member, note) && now < note.CreatedAt.AddMinutes(EditMinutes);

    /// <summary>Whether <paramref name="member"/> may delete the note (its author or an admin).</summary>
    public static bool MayDelete(SignedInMember member, AccountNote note) => note.DeletedAt is null && (member.IsAdmin || IsAuthor(member, note));

    /// <summary>The wall-clock now that the edit window is measured against.</summary>
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Adds a note to the account with external id <paramref name="accountId"/>.</summary>
    public async Task<NoteResult> AddAsync(string accountId, string? text, SignedInMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (Problem(text) is { } problem)
        {
            return NoteResult.Refused(problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.ExternalId == accountId, cancellationToken);
        if (account is null)
        {
            return NoteResult.Refused($"There is no account '{accountId}'.");
        }

        if (!MayWrite(member, account.Owner))
        {
            return NoteResult.Refused(member.Owner.IsCsManager
                ? $"You can add notes only to the accounts you own; {account.Name} is owned by {account.Owner ?? "nobody"}."
                : "Only admins and the account's CS manager can add notes.");
        }

        db.Notes.Add(new AccountNote
        {
            AccountId = account.Id, Text = Clean(text!), AuthorEmail = member.Actor.Name.Trim().ToLowerInvariant(),
            AuthorName = member.Name.Length > 0 ? member.Name : member.Actor.Name, CreatedAt = Now,
        });
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke(accountId);
        return NoteResult.Done;
    }

    /// <summary>Replaces the text of a note its author wrote less than <see cref="EditMinutes"/> ago.</summary>
    public async Task<NoteResult> EditAsync(int noteId, string? text, SignedInMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (Problem(text) is { } problem)
        {
            return NoteResult.Refused(problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindAsync(db, noteId, cancellationToken);
        if (found is not { } hit)
        {
            return NoteResult.Refused("That note no longer exists.");
        }

        var (note, accountId) = hit;

        if (!IsAuthor(member, note))
        {
            return NoteResult.Refused("Only the author can edit a note.");
        }

        if (!MayEdit(member, note, Now))
        {
            return NoteResult.Refused($"A note can be edited for {EditMinutes} minutes after it was written; add a new note instead.");
        }

        note.Text = Clean(text!);
        note.EditedAt = Now;
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke(accountId);
        return NoteResult.Done;
    }

    /// <summary>Deletes a note (its author or an admin), recording its text in the audit trail in the same save.</summary>
    public async Task<NoteResult> DeleteAsync(int noteId, SignedInMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindAsync(db, noteId, cancellationToken);
        if (found is not { } hit)
        {
            return NoteResult.Refused("That note no longer exists.");
        }

        var (note, accountId) = hit;

        if (!MayDelete(member, note))
        {
            return NoteResult.Refused("Only the note's author or an admin can delete it.");
        }

        var text = note.Text;
        note.Text = "";
        note.DeletedAt = Now;
        note.DeletedBy = member.Name.Length > 0 ? member.Name : member.Actor.Name;
        db.Audit.Add(AuditLog.NewEntry(member.Actor, AuditActions.NoteDelete, $"account {accountId}",
            $"note {note.Id} by {note.AuthorName} ({note.CreatedAt:yyyy-MM-dd HH:mm} UTC): {text}", note.DeletedAt.Value));
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke(accountId);
        return NoteResult.Done;
    }

    /// <summary>The notes of an account (deleted ones too, text cleared), newest first.</summary>
    public async Task<IReadOnlyList<AccountNote>> ForAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Notes.AsNoTracking()
            .Join(db.Accounts.Where(a => a.ExternalId == accountId), n => n.AccountId, a => a.Id, (n, a) => n)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .ToListAsync(cancellationToken);
    }

    private static async Task<(AccountNote Note, string AccountId)?> FindAsync(HealthDbContext db, int noteId, CancellationToken cancellationToken)
    {
        var row = await db.Notes.Where(n => n.Id == noteId)
            .Join(db.Accounts, n => n.AccountId, a => a.Id, (n, a) => new { Note = n, a.ExternalId })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Note, row.ExternalId);
    }

    private static string? Problem(string? text)
    {
        var length = text is null ? 0 : Clean(text).Length;
        return length == 0 ? "Write something first: the note is empty."
            : length > MaxTextLength ? $"Keep a note under {MaxTextLength} characters (it has {length})."
            : null;
    }

    // Line breaks are kept (shown as written); trailing spaces and Windows line ends are not worth storing.
    private static string Clean(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
