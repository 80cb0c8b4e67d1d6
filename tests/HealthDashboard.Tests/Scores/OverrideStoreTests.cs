using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Scores;

/// <summary>SCORING.md "Overrides" through the store: who may, what is refused, what is active when, and the audit trail.</summary>
public sealed class OverrideStoreTests : IAsyncLifetime
{
    private static readonly DateTime Now = TestStore.DefaultStart.UtcDateTime;
    private TestStore database = null!;

    private static SignedInMember Csm(string name, string email) => new(name, new Actor(email, "test"), IsAdmin: false, new AccountOwner(name, email, IsCsManager: true));

    private static readonly SignedInMember Admin = new("Ada Admin", new Actor("ada@example.com", "test"), IsAdmin: true, new AccountOwner("Ada Admin", "ada@example.com", IsCsManager: false));
    private static readonly SignedInMember ProductManager = new("Pat PM", new Actor("pat@example.com", "test"), IsAdmin: false, new AccountOwner("Pat PM", "pat@example.com", IsCsManager: false));

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

    private OverrideStore Store => database.Get<OverrideStore>();

    [Fact]
    public async Task A_cs_manager_overrides_only_the_accounts_they_own_by_name_or_email()
    {
        var casey = Csm("Casey CSM", "casey@example.com");
        var robin = Csm("Robin", "ROBIN@example.com");

        var own = await Store.SetAsync("ACC-1", 80, "Champion promoted", Now.AddDays(30), null, casey);
        var other = await Store.SetAsync("ACC-2", 80, "Not mine", Now.AddDays(30), null, casey);
        var byEmail = await Store.SetAsync("ACC-2", 60, "Merger announced", Now.AddDays(30), null, robin);
        var endOther = await Store.EndAsync("ACC-1", robin);

        Assert.True(own.Succeeded, own.Message);
        Assert.False(other.Succeeded);
        Assert.Equal("You can override only the accounts you own; Beta is owned by robin@example.com.", other.Message);
        Assert.True(byEmail.Succeeded, byEmail.Message);
        Assert.False(endOther.Succeeded);
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task A_product_manager_cannot_override_at_all_and_an_admin_can_override_any_account()
    {
        var pm = await Store.SetAsync("ACC-1", 80, "I think so", Now.AddDays(5), null, ProductManager);
        var admin = await Store.SetAsync("ACC-2", 20, "Legal dispute", Now.AddDays(5), null, Admin);

        Assert.Equal("Only admins and the account's CS manager can override its health.", pm.Message);
        Assert.True(admin.Succeeded, admin.Message);
        Assert.Equal(1, await CountAsync());
    }

    [Theory]
    [InlineData(0.5, "reason", 10, "The value must be between 1 and 100 (got 0.5).")]
    [InlineData(101, "reason", 10, "The value must be between 1 and 100 (got 101).")]
    [InlineData(50, "  ", 10, "Give a reason: what does the data not show?")]
    [InlineData(50, "reason", 90.01, "An override lasts at most 90 days")]
    [InlineData(50, "reason", 0, "must be after the start")]
    public async Task Invalid_overrides_are_refused_and_nothing_is_saved(double value, string reason, double days, string message)
    {
        var result = await Store.SetAsync("ACC-1", value, reason, Now.AddDays(days), null, Admin);

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Exactly_ninety_days_is_accepted_and_an_unknown_account_is_named()
    {
        Assert.True((await Store.SetAsync("ACC-1", 50, "Quarter of onboarding", Now.AddDays(90), null, Admin)).Succeeded);
        Assert.Equal("There is no account 'NOPE'.", (await Store.SetAsync("NOPE", 50, "x", Now.AddDays(1), null, Admin)).Message);
    }

    [Fact]
    public async Task The_scores_use_the_override_only_while_active_with_the_models_thresholds_and_keep_the_models_own()
    {
        var from = Now.AddDays(-2);
        var until = Now.AddDays(5);
        Assert.True((await Store.SetAsync("ACC-1", 72, "Renewal signed verbally", until, from, Admin)).Succeeded);
        var scoring = database.Get<ScoringService>();

        var atFrom = await scoring.ScoreAtAsync(from, (ScoringModelSet?)null);
        var justBefore = await scoring.ScoreAtAsync(from.AddSeconds(-1), (ScoringModelSet?)null);
        var atUntil = await scoring.ScoreAtAsync(until, (ScoringModelSet?)null);

        var a = atFrom.Aggregates.LocalAccountIndex("ACC-1");
        Assert.True(atFrom.Scores.IsOverridden(a));
        Assert.Equal(72, atFrom.Scores.EffectiveHealth(a));
        Assert.Equal(Grade.B, atFrom.Scores.EffectiveGrade(a));
        Assert.NotEqual(72, atFrom.Scores.Health[a]);
        Assert.False(justBefore.Scores.IsOverridden(a));
        Assert.False(atUntil.Scores.IsOverridden(a));
    }

    [Fact]
    public async Task Ending_early_stops_it_now_and_both_changes_are_in_the_audit_trail()
    {
        Assert.True((await Store.SetAsync("ACC-2", 30, "Sponsor left", Now.AddDays(10), Now.AddDays(-1), Admin)).Succeeded);

        var ended = await Store.EndAsync("ACC-2", Admin);
        var again = await Store.EndAsync("ACC-2", Admin);

        Assert.True(ended.Succeeded, ended.Message);
        Assert.Equal("Beta has no active override.", again.Message);
        var scored = await database.Get<ScoringService>().ScoreAtAsync(Now, (ScoringModelSet?)null);
        Assert.False(scored.Scores.IsOverridden(scored.Aggregates.LocalAccountIndex("ACC-2")));
        await using var db = await database.DbFactory.CreateDbContextAsync();
        var actions = await db.Audit.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.OverrideSet, AuditActions.OverrideEnd], actions.Where(a => a.StartsWith("override", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pages_and_exports_show_the_effective_health_marked_overridden_and_the_filter_finds_it()
    {
        Assert.True((await Store.SetAsync("ACC-2", 12, "Customer announced a move to a competitor", Now.AddDays(20), Now.AddDays(-1), Admin)).Succeeded);
        var scored = await database.Get<ScoringService>().ScoreAtAsync(Now, (ScoringModelSet?)null);
        var view = new PortfolioView(scored, null, new Dictionary<string, IReadOnlyList<double>>(), []);

        var beta = view.FindAccount("ACC-2")!;
        var overridden = AccountQuery.Run(view, new AccountFilter { OnlyOverridden = true }).Rows;
        var csv = string.Concat(AccountsExport.Lines(view, new AccountFilter()));

        Assert.Equal((12, Grade.D, Band.Red), (beta.Health, beta.Grade, beta.Band));
        Assert.True(beta.IsOverridden);
        Assert.Equal(scored.Scores.Health[beta.Index], beta.ModelHealth);
        Assert.Equal(["ACC-2"], overridden.Select(a => a.Id));
        Assert.Contains("overridden,model_health,model", csv, StringComparison.Ordinal);
        Assert.Contains($",true,{CsvWriterTwo(beta.ModelHealth)},default", csv, StringComparison.Ordinal);
        Assert.Equal("overridden=1", new AccountFilter { OnlyOverridden = true }.ToQuery());
        Assert.True(AccountFilter.FromQuery("overridden=1").OnlyOverridden);
    }

    private static string CsvWriterTwo(double value) => HealthDashboard.Csv.CsvWriter.TwoDecimals(value);

    private async Task<int> CountAsync()
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.Overrides.CountAsync();
    }
}
