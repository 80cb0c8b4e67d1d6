using HealthDashboard.Scoring;
using Microsoft.JSInterop;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>A draft kept in the browser: the model (as <see cref="ScoringModel.ToJson"/> wrote it) and the version it was edited from.</summary>
/// <param name="BaseVersion">The saved version the draft was edited from.</param>
/// <param name="Model">The draft model's JSON.</param>
public sealed record KeptDraft(int BaseVersion, string Model);

/// <summary>
/// The scoring model pages' browser side (the collocated <c>ModelEditorPage.razor.js</c> module): downloads,
/// the remembered name, and the unsaved draft kept in localStorage. Every call tolerates a browser that is
/// gone (the circuit closing): it then does nothing and reads nothing.
/// </summary>
public sealed class ModelEditorBrowser(IJSRuntime js) : IAsyncDisposable
{
    /// <summary>Path of the module.</summary>
    public const string ModulePath = "./Components/Pages/Model/ModelEditorPage.razor.js";

    private IJSObjectReference? module;

    /// <summary>Offers text as a file download.</summary>
    public Task DownloadAsync(string fileName, string text) => CallAsync("downloadText", fileName, text, "application/json");

    /// <summary>The name saves were last made under in this browser, or null.</summary>
    public Task<string?> LoadNameAsync() => ReadAsync<string?>("loadName");

    /// <summary>Remembers the name saves are made under.</summary>
    public Task SaveNameAsync(string name) => CallAsync("saveName", name);

    /// <summary>The draft kept in this browser, or null.</summary>
    public Task<KeptDraft?> LoadDraftAsync() => ReadAsync<KeptDraft?>("loadDraft");

    /// <summary>Keeps the draft edited from <paramref name="baseVersion"/> (replacing any other), or forgets it when null.</summary>
    public Task SaveDraftAsync(int baseVersion, ScoringModel? draft) => CallAsync("saveDraft", baseVersion, draft?.ToJson());

    /// <summary>Sets the editor's <c>data-leave-guarded</c> attribute (see the page's MarkLeaveGuardedAsync).</summary>
    public Task MarkLeaveGuardedAsync(bool guarded) => CallAsync("markLeaveGuarded", guarded);

    private async Task CallAsync(string function, params object?[] args)
    {
        try
        {
            module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
            await module.InvokeVoidAsync(function, args);
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; nothing to do there any more.
        }
    }

    private async Task<T?> ReadAsync<T>(string function)
    {
        try
        {
            module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
            return await module.InvokeAsync<T>(function);
        }
        catch (JSDisconnectedException)
        {
            return default;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (module is not null)
        {
            try
            {
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone with the module.
            }
        }
    }
}
