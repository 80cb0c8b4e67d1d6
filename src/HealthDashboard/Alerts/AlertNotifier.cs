namespace HealthDashboard.Alerts;

/// <summary>
/// Tells every open circuit that alerts changed (opened, cleared, acknowledged, snoozed), so app-bar badges and
/// inboxes refresh without a reload. Singleton; subscribers re-render through <c>InvokeAsync</c> and unsubscribe in
/// <c>Dispose</c>.
/// </summary>
public sealed class AlertNotifier
{
    /// <summary>Raised after alerts changed (from any thread).</summary>
    public event Action? Changed;

    /// <summary>Raises <see cref="Changed"/>.</summary>
    public void Notify() => Changed?.Invoke();
}
