using Microsoft.AspNetCore.Components.Authorization;
using HealthDashboard.Identity;
using HealthDashboard.Components.Shared;
using HealthDashboard.ModelVersions;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The scoring model's history: every version with who, when and why, the field-by-field changes of any
/// version from the one before it, Restore (saves that version again as the newest), export, and
/// opening a version in the editor as a draft.
/// </summary>
public sealed partial class ModelVersionsPage : IAsyncDisposable
{
    private IReadOnlyList<ModelVersionSummary>? history;
    private ModelVersionDiff? detail;
    private int selectedVersion;
    private string? loadError;
    private string? restoreMessage;
    private bool restoring;
    private IJSObjectReference? module;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    private SignedInMember member = SignedInMember.Nobody;
    [Inject] private ModelStore Store { get; set; } = default!;
    [Inject] private ModelEditorSession Session { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<ModelVersionsPage> Logger { get; set; } = default!;

    /// <summary>The version to show (from the route); the newest when absent.</summary>
    [Parameter]
    public int? Version { get; set; }

    private int Newest => history is { Count: > 0 } h ? h[0].Info.Version : 0;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        member = await SignedInMember.OfAsync(AuthenticationState);
        restoreMessage = null;
        if (history is null)
        {
            await LoadAsync();
        }
        else
        {
            await SelectAsync();
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            loadError = null;
            history = await Store.HistoryAsync();
            await SelectAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the model history failed");
            loadError = ex.Message;
        }
    }

    private async Task SelectAsync()
    {
        selectedVersion = Version ?? Newest;
        detail = selectedVersion > 0 ? await Store.DiffAsync(selectedVersion) : null;
    }

    private static string ChangeSummary(ModelVersionSummary item) => item.ChangedFields.Count switch
    {
        0 => "no changes",
        <= 2 => string.Join(", ", item.ChangedFields),
        var n => $"{n} changes",
    };

    private async Task RestoreAsync()
    {
        if (detail is null || restoring)
        {
            return;
        }

        var version = detail.Version.Version;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Restore version {version}?",
            $"Version {version}'s model is saved again as version {Newest + 1}, and every page, export and the 90-day history are re-scored with it. Nothing is lost: version {Newest} stays in the history.",
            yesText: "Restore", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        restoring = true;
        try
        {
            member = await SignedInMember.OfAsync(AuthenticationState);
            if (!member.IsAdmin)
            {
                restoreMessage = "Only an admin can restore a version of the scoring model.";
                return;
            }

            var result = await Store.RestoreAsync(version, Newest, member.Name, comment: null, member.Actor);
            if (result.Saved is { } saved)
            {
                Snackbar.Add($"Version {version} restored as version {saved.Version}. Every page is being re-scored.", Severity.Success);
                history = null;
                // The page reloads the history when the route's version changes.
                Navigation.NavigateTo($"model/versions/{saved.Version}");
            }
            else
            {
                restoreMessage = result.Message;
                if (result.IsStale)
                {
                    history = await Store.HistoryAsync();
                }
            }
        }
        finally
        {
            restoring = false;
        }
    }

    private async Task OpenInEditorAsync()
    {
        if (detail is null || await Store.GetAsync(detail.Version.Version) is not { } version)
        {
            return;
        }

        if (Session.IsDirty)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Replace your draft?",
                $"The editor holds {Session.Changes.Count} unsaved changes. Opening version {version.Info.Version} replaces them.",
                yesText: "Replace draft", cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        // The editor edits on top of the newest version; this version's model becomes the draft.
        if (await Store.GetLatestAsync() is { } latest)
        {
            Session.Load(latest);
            if (version.Info.Version != latest.Info.Version)
            {
                Session.Replace(version.Model, $"Opened from version {version.Info.Version}");
            }
        }

        Navigation.NavigateTo("model");
    }

    private async Task ExportAsync()
    {
        if (detail is null || await Store.GetAsync(detail.Version.Version) is not { } version)
        {
            return;
        }

        try
        {
            module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModelEditorPage.ModulePath);
            await module.InvokeVoidAsync("downloadText", $"scoring-model-v{version.Info.Version}.json", ModelJsonFile.Export(version));
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone.
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
