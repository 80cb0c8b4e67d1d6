using HealthDashboard.Identity;
using HealthDashboard.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Layout;

/// <summary>
/// The navigation drawer: the pages (admin links by role) and the team's shared saved views, kept current
/// through <see cref="SavedViewStore.Changed"/> (unsubscribed on dispose so the circuit can go).
/// </summary>
public sealed partial class NavMenu : IDisposable
{
    private IReadOnlyList<SavedViewInfo> sharedViews = [];
    private SignedInMember member = SignedInMember.Nobody;

    [Inject]
    private SavedViewStore SavedViews { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        SavedViews.Changed += OnViewsChanged;
        await LoadAsync();
    }

    private async Task LoadAsync() => sharedViews = member == SignedInMember.Nobody ? [] : await SavedViews.SharedAsync(member);

    private void OnViewsChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    /// <inheritdoc />
    public void Dispose() => SavedViews.Changed -= OnViewsChanged;
}
