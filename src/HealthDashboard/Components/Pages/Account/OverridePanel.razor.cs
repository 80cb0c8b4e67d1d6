using HealthDashboard.Identity;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// Shows and changes an account's CSM override. Whether the form shows is the member's <see cref="SignedInMember.MayOverride"/>;
/// the store checks it again on the server, so a crafted event cannot override another owner's account.
/// </summary>
public sealed partial class OverridePanel
{
    private bool mayOverride;
    private double? value;
    private string? reason;
    private DateTime? until;
    private bool busy;
    private string? message;
    private bool succeeded;
    private SignedInMember member = SignedInMember.Nobody;

    [Inject] private OverrideStore Store { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The account shown (its active override, owner and model's own score).</summary>
    [Parameter, EditorRequired]
    public AccountSummary Account { get; set; } = default!;

    /// <summary>The as-of time of the scores shown (the override starts then; its end is at most 90 days later).</summary>
    [Parameter, EditorRequired]
    public DateTime AsOf { get; set; }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        mayOverride = member.MayOverride(Account.Owner);
        until ??= AsOf.Date.AddDays(30);
    }

    private async Task SetAsync()
    {
        if (value is not { } health || until is not { } end)
        {
            (succeeded, message) = (false, "Give the health (1-100) and the date it ends.");
            return;
        }

        busy = true;
        try
        {
            var result = await Store.SetAsync(Account.Id, health, reason, end, from: null, member);
            (succeeded, message) = (result.Succeeded, result.Message);
            if (result.Succeeded)
            {
                reason = null;
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task EndAsync()
    {
        busy = true;
        try
        {
            var result = await Store.EndAsync(Account.Id, member);
            (succeeded, message) = (result.Succeeded, result.Message);
        }
        finally
        {
            busy = false;
        }
    }
}
