using HealthDashboard.Scores;
using HealthDashboard.Queries;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// One account taken apart: header with the score, the indicator breakdown, engagement by event type,
/// 90 days of history, its users and its recent tickets, surveys and MRR. Reads the shared view (and a
/// few small queries for this account); re-renders when the scores change.
/// </summary>
public sealed partial class AccountPage : IDisposable
{
    private PortfolioView? view;
    private AccountSummary? account;
    private AccountBreakdown? breakdown;
    private IReadOnlyList<AccountUserRow> users = [];
    private string? loadError;

    [Inject]
    private ScoreBoard Board { get; set; } = default!;

    /// <summary>The account id (DATA.md id) from the route.</summary>
    [Parameter]
    public string Id { get; set; } = "";

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
    protected override void OnInitialized() => Board.Changed += OnBoardChanged;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (await Board.GetViewOrFailureAsync() is { } shown)
        {
            Show(shown);
        }
        else
        {
            loadError = Board.LastError;
        }
    }

    private void Show(PortfolioView shown)
    {
        view = shown;
        loadError = null;
        account = shown.FindAccount(Id);
        breakdown = account is null ? null : AccountBreakdown.For(shown, account.Index);
        users = account is null ? [] : AccountUsers.For(shown, account.Index);
    }

    private void OnBoardChanged(PortfolioView changed) => _ = InvokeAsync(() =>
    {
        Show(changed);
        StateHasChanged();
    });

    /// <inheritdoc />
    public void Dispose() => Board.Changed -= OnBoardChanged;
}
