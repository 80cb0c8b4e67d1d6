using HealthDashboard.Components.Shared;
using HealthDashboard.Identity;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Portfolio;

/// <summary>
/// The home page: how the portfolio is doing. Reads the shared <see cref="ScoreBoard"/> view (through
/// <see cref="ScoreBoardPage"/>) and recomputes the small <see cref="PortfolioFigures"/> it shows whenever a
/// new view is published. A CS manager opens on their own accounts (<c>?mine=1</c>), one click from all of
/// them (<c>?mine=0</c>), like the Accounts page.
/// </summary>
public sealed partial class PortfolioPage
{
    private PortfolioFigures? figures;
    private SignedInMember member = SignedInMember.Nobody;
    private int ownedCount;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The scope in the URL: true my accounts, false all, null the role's default.</summary>
    [SupplyParameterFromQuery(Name = "mine")]
    public string? MineQuery { get; set; }

    private bool OnlyMine => MineQuery is not null && QueryParams.Bool(QueryParams.Parse("mine=" + Uri.EscapeDataString(MineQuery)), "mine") is { } mine
        ? mine
        : member.Owner.IsCsManager;

    // The list of the accounts the figures are of.
    private string AccountsHref => OnlyMine ? "accounts?mine=1" : "accounts?mine=0";

    // CS managers always get the switch; anyone else once they own an account.
    private bool ShowScope => member.Owner.IsCsManager || ownedCount > 0;

    private string Subtitle => figures is null
        ? "How your customers are doing"
        : $"How {(figures.OnlyMine ? "your accounts are" : "your customers are")} doing as of {Format.Date(figures.AsOf)} · {Format.Count(figures.AccountCount)} accounts · {Format.Count(figures.UserCount)} users";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        await base.OnInitializedAsync();
    }

    /// <summary>A link to <c>/</c> or <c>/?mine=...</c>: the same view, other figures.</summary>
    protected override void OnParametersSet()
    {
        // Only another scope needs new figures (the first view's were shown by ShowViewAsync just before).
        if (View is not null && figures?.OnlyMine != OnlyMine)
        {
            Show(View);
        }
    }

    /// <inheritdoc />
    protected override Task ShowViewAsync(PortfolioView view)
    {
        Show(view);
        return Task.CompletedTask;
    }

    private void Show(PortfolioView view)
    {
        ownedCount = view.Accounts.Count(a => member.Owner.Owns(a.Owner));
        figures = PortfolioFigures.From(view, OnlyMine ? member.Owner : null);
    }

    private void ChooseScope(bool mine) => Navigation.NavigateTo(mine ? "?mine=1" : "?mine=0");
}
