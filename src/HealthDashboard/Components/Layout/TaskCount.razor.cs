using HealthDashboard.Identity;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Layout;

/// <summary>
/// The member's open-task count in the app bar: re-read whenever <see cref="TaskStore.Changed"/> fires (on the
/// renderer, through InvokeAsync), unsubscribed on dispose so the circuit can go.
/// </summary>
public sealed partial class TaskCount : IDisposable
{
    private int count;
    private SignedInMember member = SignedInMember.Nobody;

    [Inject]
    private TaskStore Tasks { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    private string Label => count == 1 ? "My tasks: 1 open" : $"My tasks: {count} open";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        Tasks.Changed += OnChanged;
        count = await Tasks.MyOpenCountAsync(member);
    }

    private void OnChanged() => _ = InvokeAsync(async () =>
    {
        count = await Tasks.MyOpenCountAsync(member);
        StateHasChanged();
    });

    /// <inheritdoc />
    public void Dispose() => Tasks.Changed -= OnChanged;
}
