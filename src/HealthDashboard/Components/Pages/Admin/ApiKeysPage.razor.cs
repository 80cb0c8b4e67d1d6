using HealthDashboard.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Admin;

/// <summary>Admins create (shown once), list and revoke API keys; each change goes to the audit trail.</summary>
public sealed partial class ApiKeysPage
{
    private IReadOnlyList<ApiKeyInfo>? keys;
    private (string Title, string Secret)? secret;
    private string? newName;
    private string newScope = ApiKeyScopes.Read;
    private bool busy;

    [Inject]
    private ApiKeyStore Keys { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync() => keys = await Keys.ListAsync();

    private async Task CreateAsync()
    {
        busy = true;
        try
        {
            var created = await Keys.CreateAsync(newName ?? "", newScope, await ActorAsync());
            if (created.Secret is null)
            {
                Snackbar.Add(created.Problem!, Severity.Error);
                return;
            }

            secret = ($"API key '{created.Key!.Name}' ({created.Key.Scope})", created.Secret);
            newName = null;
            keys = await Keys.ListAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task RevokeAsync(ApiKeyInfo key)
    {
        var sure = await Dialogs.ShowMessageBoxAsync("Revoke this key?", $"Scripts using '{key.Name}' are refused from now on. This cannot be undone.",
            yesText: "Revoke", cancelText: "Cancel");
        if (sure != true)
        {
            return;
        }

        busy = true;
        try
        {
            var (revoked, message) = await Keys.RevokeAsync(key.Name, await ActorAsync());
            Snackbar.Add(message, revoked ? Severity.Success : Severity.Error);
            keys = await Keys.ListAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task<Actor> ActorAsync() => AuditLog.ActorOf((await AuthenticationState).User, null);
}
