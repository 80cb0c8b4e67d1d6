using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Admin;

/// <summary>The audit trail (Admin): filters by action, who, text and dates; the same filter exports as CSV.</summary>
public sealed partial class AuditPage
{
    private IReadOnlyList<AuditEntry>? entries;
    private string? action;
    private string? actor;
    private string? text;
    private DateTime? from;
    private DateTime? to;

    [Inject]
    private AuditLog Audit { get; set; } = default!;

    private AuditFilter Filter => new(action, string.IsNullOrWhiteSpace(actor) ? null : actor.Trim(),
        string.IsNullOrWhiteSpace(text) ? null : text.Trim(), from, to);

    private string ExportUrl => "export/audit.csv" + QueryString.Create(new Dictionary<string, string?>
    {
        ["action"] = action, ["actor"] = actor, ["q"] = text, ["from"] = from?.ToString("yyyy-MM-dd"), ["to"] = to?.ToString("yyyy-MM-dd"),
    }.Where(p => !string.IsNullOrWhiteSpace(p.Value)));

    /// <inheritdoc />
    protected override async Task OnInitializedAsync() => entries = await Audit.QueryAsync(Filter);

    private async Task SetAsync(Action set)
    {
        set();
        entries = await Audit.QueryAsync(Filter);
    }
}
