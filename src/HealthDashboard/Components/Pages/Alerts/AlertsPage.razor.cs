using HealthDashboard.Alerts;
using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Alerts;

/// <summary>
/// The signed-in member's alert inbox: the open alerts of their accounts (a CS manager: accounts they own; admins and
/// product managers: all), newest first, with acknowledge, snooze and a link to the account. Live: it reloads when
/// the <see cref="AlertNotifier"/> says alerts changed.
/// </summary>
public sealed partial class AlertsPage : IDisposable
{
    private IReadOnlyList<AlertRow>? rows;
    private AlertAudience? audience;
    private SignedInMember member = SignedInMember.Nobody;
    private bool showHandled;
    private string? failed;

    [Inject]
    private AlertService Alerts { get; set; } = default!;

    [Inject]
    private AlertNotifier Notifier { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <summary>The signed-in member.</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    private string Subtitle => audience?.Everyone == false
        ? "Your accounts' alerts: acknowledge what you have seen, snooze what can wait"
        : "Every account's alerts: acknowledge what you have seen, snooze what can wait";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            audience = AlertAudience.Of((await AuthenticationState).User);
            member = await SignedInMember.OfAsync(AuthenticationState);
        }

        Notifier.Changed += OnChanged;
        await LoadAsync();
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
            rows = audience is null ? [] : await Alerts.InboxAsync(audience, showHandled);
            failed = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed = ex.Message;
        }
    }

    private async Task ShowHandledChanged(bool show)
    {
        showHandled = show;
        await LoadAsync();
    }

    private Task AcknowledgeAsync(AlertRow alert) => Alerts.AcknowledgeAsync(alert.Id, member.Name);

    private Task SnoozeAsync((AlertRow Alert, DateTime? Until) snooze) => Alerts.SnoozeAsync(snooze.Alert.Id, snooze.Until);
}
