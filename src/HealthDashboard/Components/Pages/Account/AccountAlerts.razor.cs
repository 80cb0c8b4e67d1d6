using HealthDashboard.Alerts;
using HealthDashboard.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>The open alerts of one account, reloaded when alerts change (<see cref="LiveAlertsComponent"/>).</summary>
public sealed partial class AccountAlerts
{
    private IReadOnlyList<AlertRow>? rows;
    private string? loadedFor;

    /// <summary>The account id.</summary>
    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

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
    protected override async Task LoadAsync()
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
}
