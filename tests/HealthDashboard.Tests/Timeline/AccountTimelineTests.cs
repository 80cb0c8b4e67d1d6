using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scoring;
using HealthDashboard.Tests.Import;
using HealthDashboard.Timeline;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Timeline;

/// <summary>The account timeline: every kind of entry from its own rows, newest first, for this account only.</summary>
public sealed class AccountTimelineTests
{
    private static readonly DateTime Now = TestStore.DefaultStart.UtcDateTime;
    private static readonly SignedInMember Casey = new("Casey CSM", new Actor("casey@example.com", "test"), IsAdmin: false, new AccountOwner("Casey CSM", "casey@example.com", IsCsManager: true));
    private static readonly SignedInMember ProductManager = new("Pat PM", new Actor("pat@example.com", "test"), IsAdmin: false, new AccountOwner("Pat PM", "pat@example.com", IsCsManager: false));

    [Fact]
    public async Task Band_changes_alerts_models_overrides_tasks_and_notes_come_newest_first_in_plain_sentences()
    {
        // The clock (notes' times) an hour before the as-of time the timeline is read at.
        await using var store = await TestStore.CreateAsync(start: TestStore.DefaultStart.AddHours(-1));
        int alpha, beta;
        await using (var db = await store.DbFactory.CreateDbContextAsync())
        {
            var accounts = new[]
            {
                new Account { ExternalId = "ACC-1", Name = "Alpha", Segment = "Enterprise", Owner = "Casey CSM", CreatedAt = Now.AddDays(-400) },
                new Account { ExternalId = "ACC-2", Name = "Beta", Segment = "SMB", Owner = "Robin", CreatedAt = Now.AddDays(-400) },
            };
            db.Accounts.AddRange(accounts);
            await db.SaveChangesAsync();
            (alpha, beta) = (accounts[0].Id, accounts[1].Id);

            // Green, green, yellow, red, yellow for Alpha; Beta turns red the same day but is not Alpha's business.
            (Band Band, double Health)[] days = [(Band.Green, 80), (Band.Green, 78), (Band.Yellow, 60), (Band.Red, 35), (Band.Yellow, 55)];
            for (var i = 0; i < days.Length; i++)
            {
                db.Snapshots.Add(new ScoreSnapshot { Day = Now.Date.AddDays(i - 10), AccountId = alpha, Band = (byte)days[i].Band, Health = days[i].Health, ModelVersion = 1 });
                db.Snapshots.Add(new ScoreSnapshot { Day = Now.Date.AddDays(i - 10), AccountId = beta, Band = (byte)(i < 3 ? Band.Green : Band.Red), Health = 50, ModelVersion = 1 });
                // As the back-fill writes them: every snapshot day has its SnapshotDays row (one account's days are found through it).
                db.SnapshotDays.Add(new SnapshotDay { Day = Now.Date.AddDays(i - 10), ModelVersion = 1, Accounts = 2 });
            }

            db.ModelVersions.Add(new ScoringModelVersion { Id = 2, ModelKey = "segment:Enterprise", SavedAt = Now.AddDays(-8).AddHours(9), SavedBy = "ada@example.com", Comment = "Heavier support.", ModelJson = "{}" });
            db.ModelVersions.Add(new ScoringModelVersion { Id = 3, ModelKey = "segment:SMB", SavedAt = Now.AddDays(-8).AddHours(10), SavedBy = "ada@example.com", ModelJson = "{}" });
            var rule = new AlertRule { Name = "Red accounts", Kind = AlertKind.InBand, Band = (byte)Band.Red, CreatedBy = "ada@example.com" };
            db.AlertRules.Add(rule);
            await db.SaveChangesAsync();
            db.Alerts.Add(new Alert
            {
                RuleId = rule.Id, AccountId = alpha, OpenedAt = Now.AddDays(-7), Message = "Health 35 (red)",
                AcknowledgedAt = Now.AddDays(-7).AddHours(2), AcknowledgedBy = "Casey CSM", ClearedAt = Now.AddDays(-6),
            });
            db.Alerts.Add(new Alert { RuleId = rule.Id, AccountId = beta, OpenedAt = Now.AddDays(-7), Message = "Health 50 (red)" });
            db.Overrides.Add(new AccountOverride { AccountId = alpha, Value = 70, Reason = "Renewal signed", From = Now.AddDays(-5), Until = Now.AddDays(-2), SetBy = "casey@example.com", SetAt = Now.AddDays(-5) });
            db.Overrides.Add(new AccountOverride { AccountId = alpha, Value = 40, Reason = "Champion left", From = Now.AddDays(-1), Until = Now.AddDays(20), SetBy = "casey@example.com", SetAt = Now.AddDays(-1), EndedAt = Now.AddHours(-2), EndedBy = "casey@example.com" });
            db.Tasks.Add(new AccountTask
            {
                AccountId = "ACC-1", Title = "Call the sponsor", DueDate = Now.Date, AssigneeEmail = "casey@example.com", AssigneeName = "Casey CSM",
                CreatedBy = "casey@example.com", CreatedAt = Now.AddDays(-4), Status = AccountTaskStatus.Done, ClosedBy = "casey@example.com", ClosedAt = Now.AddDays(-3),
            });
            await db.SaveChangesAsync();
        }

        var notes = store.Get<NoteStore>();
        await notes.AddAsync("ACC-1", "Sponsor is back from leave", Casey);
        await notes.AddAsync("ACC-1", "Typo note", Casey);
        store.Clock.Advance(TimeSpan.FromMinutes(1));
        await notes.DeleteAsync((await notes.ForAccountAsync("ACC-1"))[0].Id, Casey);

        var entries = await store.Get<AccountTimeline>().ForAccountAsync("ACC-1", Casey, ModelKey.ForSegment("Enterprise"), Now);

        Assert.Equal(entries.OrderByDescending(e => e.At).Select(e => e.At), entries.Select(e => e.At));
        Assert.Equal(
            [
                "Note deleted by Casey CSM (written by Casey CSM on 23 Nov 2026; its text is kept in the audit trail).",
                "Sponsor is back from leave",
                "Override to 40 ended before 13 Dec 2026; the model's score counts again.",
                "Health overridden to 40 from 22 Nov 2026 until 13 Dec 2026: Champion left",
                "Override to 70 expired; the model's score counts again.",
                "Task \u201cCall the sponsor\u201d done.",
                "Task \u201cCall the sponsor\u201d created for Casey CSM, due 23 Nov 2026.",
                "Health overridden to 70 from 18 Nov 2026 until 21 Nov 2026: Renewal signed",
                "Alert \u201cRed accounts\u201d cleared: the condition no longer holds.",
                "Rose from red to yellow (health 55).",
                "Alert \u201cRed accounts\u201d acknowledged.",
                "Alert \u201cRed accounts\u201d raised: Health 35 (red).",
                "Fell from yellow to red (health 35).",
                "Enterprise model version 2 saved: Heavier support.",
                "Fell from green to yellow (health 60).",
            ],
            entries.Where(e => e.Kind != TimelineKind.Model || e.Text.Contains("Enterprise", StringComparison.Ordinal)).Select(e => e.Text));
        // The default model's first version counts for every account; the SMB model's saves do not concern Alpha.
        Assert.Equal(["model/versions/1", "model/versions/2"], entries.Where(e => e.Kind == TimelineKind.Model).Select(e => e.Href).Order());
        Assert.Equal("Casey CSM", entries.Single(e => e.Text == "Sponsor is back from leave").Who);
        Assert.NotNull(entries.Single(e => e.Text == "Sponsor is back from leave").Note);

        // A product manager sees no one else's tasks (as on the tasks panel), but the rest alike.
        var pmEntries = await store.Get<AccountTimeline>().ForAccountAsync("ACC-1", ProductManager, ModelKey.ForSegment("Enterprise"), Now);
        Assert.DoesNotContain(pmEntries, e => e.Kind == TimelineKind.Task);
        Assert.Equal(entries.Count - 2, pmEntries.Count);
        Assert.Empty(await store.Get<AccountTimeline>().ForAccountAsync("ACC-9", Casey, ModelKey.Default, Now));
    }

    [Fact]
    public async Task An_import_is_recorded_against_exactly_the_accounts_its_rows_named()
    {
        await using var database = await ImportTestDatabase.CreateAsync();
        var first = await database.ImportAsync(ImportData.All);
        var second = await database.ImportAsync(("usage.csv", "account_id,user_id,event_type,timestamp,count\nA2,U3,login,2026-11-05T00:00:00Z,1\n"));
        Assert.True(first.Succeeded && second.Succeeded);
        var refused = await database.ImportAsync(("usage.csv", "account_id,user_id,event_type,timestamp,count\nA1,U1,login,2026-11-05T00:00:00Z,1\nNOPE,,login,2026-11-05,1\n"));
        Assert.False(refused.Succeeded);

        await using var db = await database.DbAsync();
        var touched = await db.ImportBatchAccounts.Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { a.ExternalId, t.ImportBatchId })
            .OrderBy(t => t.ExternalId).ThenBy(t => t.ImportBatchId).Select(t => $"{t.ExternalId}:{t.ImportBatchId}").ToListAsync();
        Assert.Equal([$"A1:{first.BatchId}", $"A2:{first.BatchId}", $"A2:{second.BatchId}"], touched);
    }
}
