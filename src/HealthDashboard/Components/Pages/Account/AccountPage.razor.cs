using HealthDashboard.Queries;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// One account taken apart: header with the score, the indicator breakdown, engagement by event type,
/// 90 days of history, its users and its recent tickets, surveys and MRR. Reads the shared view (and a
/// few small queries for this account); re-renders when the scores change or the route names another account.
/// </summary>
public sealed partial class AccountPage
{
    private AccountSummary? account;
    private AccountBreakdown? breakdown;
    private IReadOnlyList<AccountUserRow> users = [];

    /// <summary>The account id (DATA.md id) from the route.</summary>
    [Parameter]
    public string Id { get; set; } = "";

    /// <summary>The model that scores this account (its segment's, onboarding, or the default): its thresholds and window.</summary>
    private Scoring.ScoringModel Model => account is not null && View is not null ? View.Scored.ModelOf(account.Index) : View!.Model;

    private string NotFoundText =>
        $"No scored account has the id \u201c{Id}\u201d. It may never have been imported, may have churned, or may not exist yet at the as-of time.";

    private string UsersSubtitle
    {
        get
        {
            var quiet = users.Count(u => u.Status == UserStatus.GoneQuiet);
            var line = $"{users.Count} {(users.Count == 1 ? "user" : "users")}, most engaged first";
            return quiet > 0 ? $"{line} · {quiet} gone quiet (no activity in the last {UserActivity.QuietDays} days)" : line;
        }
    }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        // Another account of the same page (a link from the search box): the view is the same, the rows are not.
        if (View is { } shown && account?.Id != Id)
        {
            Show(shown);
        }
    }

    /// <inheritdoc />
    protected override Task ShowViewAsync(PortfolioView view)
    {
        Show(view);
        return Task.CompletedTask;
    }

    private void Show(PortfolioView shown)
    {
        account = shown.FindAccount(Id);
        breakdown = account is null ? null : AccountBreakdown.For(shown, account.Index);
        users = account is null ? [] : AccountUsers.For(shown, account.Index);
    }
}
