using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// A URL-bound page over the Accounts filter (Accounts, Renewals): a CS manager starts on their own accounts, the
/// "My accounts | All accounts" switch keeps its choice through "clear filters", and the filter bar's options and the
/// member's account count follow each view.
/// </summary>
/// <typeparam name="TRow">The page's row type.</typeparam>
public abstract class AccountScopePage<TRow> : UrlGridPage<AccountFilter, AccountSort, TRow>
{
    /// <summary>Every account's tags: the filter's <c>tag=</c> is tested against it, the grid shows its chips.</summary>
    protected AccountTagMap TagMap { get; private set; } = AccountTagMap.Empty;

    /// <summary>The tags (read beside the scores, which do not hold them).</summary>
    [Inject]
    protected TagStore TagStore { get; set; } = default!;

    /// <summary>The filter bar's segments, owners and plans of the current view.</summary>
    protected AccountFilterOptions Options { get; private set; } = new([], [], []);

    /// <summary>How many accounts of the current view the member owns; null before the first view.</summary>
    protected int? OwnedCount { get; private set; }

    /// <summary>CS managers always get the scope switch; anyone else once they own an account.</summary>
    protected bool ShowScope => Member.Owner.IsCsManager || OwnedCount > 0;

    /// <summary>The URL's filter for this member: no <c>mine</c> in the URL means the role's default (a CS manager's own accounts).</summary>
    protected override AccountFilter FilterOf(string? query) => AccountFilter.FromQuery(query).For(Member.Owner) with { TagMap = TagMap };

    /// <summary>Every filter off; the scope (mine or all) stays as the member chose it.</summary>
    protected override Task ClearFiltersAsync() =>
        ApplyFilterAsync(new AccountFilter { Mine = Filter.Mine, Me = Member.Owner, HiddenColumns = Filter.HiddenColumns, TagMap = TagMap });

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        // Before the base reads the URL's filter, which needs the tags.
        TagMap = await TagStore.MapAsync();
        TagStore.Changed += OnTagsChanged;
        await base.OnInitializedAsync();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        TagStore.Changed -= OnTagsChanged;
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A tag was added or removed (here or by anyone): the chips and the tag filter follow.</summary>
    private void OnTagsChanged() => _ = InvokeAsync(async () =>
    {
        TagMap = await TagStore.MapAsync();
        Filter = Filter with { TagMap = TagMap };
        if (View is not null)
        {
            ShowRows(View);
        }

        StateHasChanged();
    });

    /// <summary>The switch: only the member's accounts (true) or all.</summary>
    protected Task ShowScopeAsync(bool mine) => ApplyFilterAsync(Filter with { Mine = mine });

    /// <summary>A new view: the filter options, the member's count and the rows.</summary>
    protected override Task ShowViewAsync(PortfolioView view)
    {
        Options = AccountQuery.Options(view);
        OwnedCount = view.Accounts.Count(a => Member.Owner.Owns(a.Owner));
        ShowRows(view);
        return Task.CompletedTask;
    }
}
