using HealthDashboard.Alerts;
using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>The open alerts of one account, reloaded when the <see cref="AlertNotifier"/> says alerts changed.</summary>
public sealed partial class AccountAlerts : IDisposable
{
    private IReadOnlyList<AlertRow>? rows;
    private string? loadedFor;

    [Inject]
    private AlertService Alerts { get; set; } = default!;

    [Inject]
    private AlertNotifier Notifier { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <summary>The account id.</summary>
    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

    /// <summary>The signed-in member (who acknowledges).</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <inheritdoc />
    protected override void OnInitialized() => Notifier.Changed += OnChanged;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (loadedFor != AccountId)
        {
            loadedFor = AccountId;
            await LoadAsync();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Notifier.Changed -= OnChanged;

    private void OnChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    private async Task LoadAsync()
    {
        try
        {
            rows = await Alerts.OpenForAccountAsync(AccountId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Alerts are an addition to the page: a busy database leaves the last list.
        }
    }

    private async Task AcknowledgeAsync(AlertRow alert) =>
        await Alerts.AcknowledgeAsync(alert.Id, (await SignedInMember.OfAsync(AuthenticationState)).Name);

    private Task SnoozeAsync((AlertRow Alert, DateTime? Until) snooze) => Alerts.SnoozeAsync(snooze.Alert.Id, snooze.Until);
}
