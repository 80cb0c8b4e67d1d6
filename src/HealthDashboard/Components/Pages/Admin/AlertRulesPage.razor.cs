using HealthDashboard.Alerts;
using HealthDashboard.Data;
using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Admin;

/// <summary>Admins define alert rules (condition, optional webhook), turn them on and off, and test their webhooks.</summary>
public sealed partial class AlertRulesPage
{
    private IReadOnlyList<AlertRule>? rules;
    private AlertRule draft = NewRule();
    private IReadOnlyList<string> problems = [];
    private string? testResult;

    [Inject]
    private AlertService Alerts { get; set; } = default!;

    [Inject]
    private WebhookSender Webhooks { get; set; } = default!;

    /// <summary>The signed-in admin.</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>A condition in words, for the picker.</summary>
    public static string KindLabel(AlertKind kind) => kind switch
    {
        AlertKind.InBand => "Enters a band",
        AlertKind.HealthDrop => "Health drops N points within D days",
        AlertKind.RenewalAtRisk => "Renews within N days while yellow or red",
        AlertKind.NoUsage => "No usage for N days",
        _ => "An indicator falls below N",
    };

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private static AlertRule NewRule() => new() { Name = "", CreatedBy = "", Kind = AlertKind.InBand, Band = (byte)Scoring.Band.Red, Days = 30, Threshold = 10 };

    private async Task LoadAsync() => rules = await Alerts.RulesAsync();

    private void NewDraft()
    {
        draft = NewRule();
        problems = [];
    }

    private void Edit(AlertRule rule)
    {
        draft = new AlertRule
        {
            Id = rule.Id, Name = rule.Name, Kind = rule.Kind, Band = rule.Band, Threshold = rule.Threshold, Days = rule.Days, Indicator = rule.Indicator,
            Enabled = rule.Enabled, CreatedAt = rule.CreatedAt, CreatedBy = rule.CreatedBy, WebhookUrl = rule.WebhookUrl, WebhookSecret = rule.WebhookSecret,
            LastDeliveryAt = rule.LastDeliveryAt, LastDeliveryResult = rule.LastDeliveryResult, LastDeliveryFailed = rule.LastDeliveryFailed,
        };
        problems = [];
    }

    private async Task SaveAsync()
    {
        var who = (await SignedInMember.OfAsync(AuthenticationState)).Name;
        problems = await Alerts.SaveRuleAsync(draft, who);
        if (problems.Count == 0)
        {
            NewDraft();
            await LoadAsync();
        }
    }

    private async Task ToggleAsync(AlertRule rule)
    {
        Edit(rule);
        draft.Enabled = !rule.Enabled;
        await SaveAsync();
    }

    private async Task DeleteAsync(AlertRule rule)
    {
        await Alerts.DeleteRuleAsync(rule.Id);
        await LoadAsync();
    }

    private async Task SendTestAsync(AlertRule rule)
    {
        testResult = $"Sending a test to {rule.WebhookUrl}…";
        testResult = await Webhooks.SendTestAsync(rule);
        await LoadAsync();
    }
}
