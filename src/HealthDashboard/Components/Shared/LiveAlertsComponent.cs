using HealthDashboard.Alerts;
using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// What the components listing alerts share (the inbox page and the account page's open alerts): reload when the
/// <see cref="AlertNotifier"/> says alerts changed, on the renderer's thread, and let go of it when they go away (a
/// component still subscribed would keep its circuit alive); acknowledge or snooze an alert as the signed-in member.
/// </summary>
public abstract class LiveAlertsComponent : ComponentBase, IDisposable
{
    /// <summary>The alert store.</summary>
    [Inject]
    protected AlertService Alerts { get; set; } = default!;

    [Inject]
    private AlertNotifier Notifier { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <summary>The signed-in member (who acknowledges).</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Now, for snoozes and "handled" marks.</summary>
    protected DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>Reads the alerts shown (again); runs on the renderer.</summary>
    protected abstract Task LoadAsync();

    /// <inheritdoc />
    protected override void OnInitialized() => Notifier.Changed += OnAlertsChanged;

    /// <summary>Marks an alert seen by the signed-in member; the notifier then reloads every list showing it.</summary>
    protected async Task AcknowledgeAsync(AlertRow alert) =>
        await Alerts.AcknowledgeAsync(alert.Id, (await SignedInMember.OfAsync(AuthenticationState)).Name);

    /// <summary>Snoozes an alert until the date picked (null: the snooze ends now).</summary>
    protected Task SnoozeAsync((AlertRow Alert, DateTime? Until) snooze) => Alerts.SnoozeAsync(snooze.Alert.Id, snooze.Until);

    /// <summary>Lets go of the notifier.</summary>
    public void Dispose()
    {
        Notifier.Changed -= OnAlertsChanged;
        GC.SuppressFinalize(this);
    }

    private void OnAlertsChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });
}
