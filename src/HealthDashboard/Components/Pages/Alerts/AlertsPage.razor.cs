using HealthDashboard.Alerts;
using HealthDashboard.Components.Shared;

namespace HealthDashboard.Components.Pages.Alerts;

/// <summary>
/// The signed-in member's alert inbox: the open alerts of their accounts (a CS manager: accounts they own; admins and
/// product managers: all), newest first, with acknowledge, snooze and a link to the account. Live: it reloads when
/// alerts change (<see cref="LiveAlertsComponent"/>).
/// </summary>
public sealed partial class AlertsPage
{
    private IReadOnlyList<AlertRow>? rows;
    private AlertAudience? audience;
    private bool showHandled;
    private string? failed;

    private string Subtitle => audience?.Everyone == false
        ? "Your accounts' alerts: acknowledge what you have seen, snooze what can wait"
        : "Every account's alerts: acknowledge what you have seen, snooze what can wait";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            audience = AlertAudience.Of((await AuthenticationState).User);
        }

        await LoadAsync();
    }

    /// <inheritdoc />
    protected override async Task LoadAsync()
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
}
