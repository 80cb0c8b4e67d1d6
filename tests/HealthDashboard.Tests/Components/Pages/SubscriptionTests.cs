using System.Reflection;
using HealthDashboard.Components.Pages.Account;
using HealthDashboard.Components.Pages.Accounts;
using HealthDashboard.Components.Pages.Portfolio;
using HealthDashboard.Components.Pages.Users;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Tests.Components.Pages;

/// <summary>Each page listens to the score board while shown and lets go when disposed (no leaked circuits).</summary>
public class SubscriptionTests : PageTestBase
{
    private int Subscribers(string boardEvent = nameof(ScoreBoard.Changed)) =>
        (typeof(ScoreBoard).GetField(boardEvent, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(Board) as Delegate)?
            .GetInvocationList().Length ?? 0;

    [Fact]
    public async Task Portfolio_page_unsubscribes_on_dispose() => await AssertSubscribedWhileShownAsync<PortfolioPage>();

    [Fact]
    public async Task Accounts_page_unsubscribes_on_dispose() => await AssertSubscribedWhileShownAsync<AccountsPage>();

    [Fact]
    public async Task Users_page_unsubscribes_on_dispose() => await AssertSubscribedWhileShownAsync<UsersPage>();

    [Fact]
    public async Task Account_page_unsubscribes_on_dispose() => await AssertSubscribedWhileShownAsync<AccountPage>(p => p.Add(x => x.Id, "ACC-1"));

    private async Task AssertSubscribedWhileShownAsync<TPage>(Action<Bunit.ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        Assert.Equal(0, Subscribers());
        RenderPage(parameters);
        Assert.Equal(1, Subscribers());
        Assert.Equal(1, Subscribers(nameof(ScoreBoard.Failed)));

        await DisposeComponentsAsync();

        Assert.Equal(0, Subscribers());
        Assert.Equal(0, Subscribers(nameof(ScoreBoard.Failed)));
        Board.Publish(View); // nobody left to tell
    }
}
