using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>The account's tags (issue 16): chips, added and removed through <see cref="TagStore"/> (which checks who may).</summary>
public sealed partial class AccountTags : IDisposable
{
    private IReadOnlyList<string> tags = [];
    private SignedInMember member = SignedInMember.Nobody;
    private bool mayTag;
    private string? newTag;
    private string? problem;

    [Inject]
    private TagStore Tags { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The account shown.</summary>
    [Parameter, EditorRequired]
    public AccountSummary Account { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        Tags.Changed += OnChanged;
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        mayTag = TagStore.MayTag(member, Account.Owner);
        tags = await Tags.ForAccountAsync(Account.Id);
    }

    private void OnChanged() => _ = InvokeAsync(async () =>
    {
        tags = await Tags.ForAccountAsync(Account.Id);
        StateHasChanged();
    });

    private async Task AddAsync()
    {
        problem = await Tags.AddAsync(member, Account.Id, Account.Owner, newTag);
        if (problem is null)
        {
            newTag = null;
            tags = await Tags.ForAccountAsync(Account.Id);
        }
    }

    private async Task RemoveAsync(string tag)
    {
        problem = await Tags.RemoveAsync(member, Account.Id, Account.Owner, tag);
        tags = await Tags.ForAccountAsync(Account.Id);
    }

    /// <inheritdoc />
    public void Dispose() => Tags.Changed -= OnChanged;
}
