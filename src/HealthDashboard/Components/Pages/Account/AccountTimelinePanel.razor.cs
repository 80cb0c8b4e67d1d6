using HealthDashboard.Alerts;
using HealthDashboard.Components.Shared;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using HealthDashboard.Timeline;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// The account's timeline with its notes (issue 12): reads <see cref="AccountTimeline"/>, filters by kind, shows
/// <see cref="PageSize"/> entries at a time, and adds, edits and deletes notes through <see cref="NoteStore"/> (which
/// checks every rule again on the server). Reloads live when notes, tasks or alerts change anywhere, and when a
/// new view (an import, a model save, new snapshots) arrives.
/// </summary>
public sealed partial class AccountTimelinePanel : IDisposable
{
    /// <summary>Entries shown at first and added by "show more".</summary>
    public const int PageSize = 20;

    private static readonly TimelineKind[] Kinds = Enum.GetValues<TimelineKind>();

    private IReadOnlyList<TimelineEntry>? entries;
    private IReadOnlyList<TimelineEntry> Shown { get; set; } = [];
    private Dictionary<TimelineKind, int> counts = [];
    private IReadOnlyCollection<TimelineKind> selectedKinds = [];
    private int visible = PageSize;
    private SignedInMember member = SignedInMember.Nobody;
    private bool mayWrite;
    private string? draft;
    private string? editText;
    private int? editingId;
    private int? confirmDeleteId;
    private string? problem;
    private bool busy;
    private (string Id, PortfolioView View)? loadedFor;

    [Inject] private AccountTimeline Timeline { get; set; } = default!;

    [Inject] private NoteStore Notes { get; set; } = default!;

    [Inject] private TaskStore Tasks { get; set; } = default!;

    [Inject] private AlertNotifier AlertNotifier { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The account shown (its id, owner and the model that scores it).</summary>
    [Parameter, EditorRequired]
    public AccountSummary Account { get; set; } = default!;

    /// <summary>The view the page shows; a new one (new scores, imports, snapshots) reloads the timeline.</summary>
    [Parameter, EditorRequired]
    public PortfolioView View { get; set; } = default!;

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        Notes.Changed += OnNotesChanged;
        Tasks.Changed += OnChanged;
        AlertNotifier.Changed += OnChanged;
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (loadedFor is { } loaded && loaded.Id == Account.Id && ReferenceEquals(loaded.View, View))
        {
            return;
        }

        if (loadedFor?.Id != Account.Id)
        {
            (visible, editingId, confirmDeleteId, problem) = (PageSize, null, null, null);
        }

        loadedFor = (Account.Id, View);
        member = await SignedInMember.OfAsync(AuthenticationState);
        mayWrite = NoteStore.MayWrite(member, Account.Owner);
        await LoadAsync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Notes.Changed -= OnNotesChanged;
        Tasks.Changed -= OnChanged;
        AlertNotifier.Changed -= OnChanged;
    }

    private void OnNotesChanged(string accountId)
    {
        if (accountId == Account.Id)
        {
            OnChanged();
        }
    }

    private void OnChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    private async Task LoadAsync()
    {
        try
        {
            entries = await Timeline.ForAccountAsync(Account.Id, member, Account.ModelKey, View.AsOf);
            counts = entries.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.Count());
            Filter();
        }
        catch (Exception ex) when (ex is not OperationCanceledException && Data.DatabaseBusy.Is(ex))
        {
            // A busy database leaves the last timeline; the next change reloads it.
        }
    }

    private void Filter() =>
        Shown = entries is null ? [] : selectedKinds.Count == 0 ? entries : [.. entries.Where(e => selectedKinds.Contains(e.Kind))];

    private void FilterAsync(IReadOnlyCollection<TimelineKind>? kinds)
    {
        selectedKinds = kinds ?? [];
        visible = PageSize;
        Filter();
    }

    private async Task AddAsync()
    {
        var result = await RunAsync(() => Notes.AddAsync(Account.Id, draft, member));
        if (result)
        {
            draft = null;
        }
    }

    private void StartEdit(Data.AccountNote note) => (editingId, editText, confirmDeleteId) = (note.Id, note.Text, null);

    private async Task SaveEditAsync(Data.AccountNote note)
    {
        if (await RunAsync(() => Notes.EditAsync(note.Id, editText, member)))
        {
            editingId = null;
        }
    }

    private async Task DeleteAsync(Data.AccountNote note)
    {
        await RunAsync(() => Notes.DeleteAsync(note.Id, member));
        confirmDeleteId = null;
    }

    // The store reloads every open timeline of the account through Changed, this one included.
    private async Task<bool> RunAsync(Func<Task<NoteResult>> change)
    {
        busy = true;
        try
        {
            var result = await change();
            problem = result.Problem;
            return result.Succeeded;
        }
        catch (Exception ex) when (Data.DatabaseBusy.Is(ex))
        {
            problem = "The database is busy (an import is running?): nothing was saved; try again in a moment.";
            return false;
        }
        finally
        {
            busy = false;
        }
    }

    private static string TimeOf(TimelineEntry entry) =>
        entry.Kind == TimelineKind.Band ? Format.Date(entry.At) : entry.At.ToString("d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static string KindLabel(TimelineKind kind) => kind switch
    {
        TimelineKind.Note => "Notes",
        TimelineKind.Band => "Band changes",
        TimelineKind.Alert => "Alerts",
        TimelineKind.Task => "Tasks",
        TimelineKind.Override => "Overrides",
        TimelineKind.Model => "Model changes",
        _ => "Imports",
    };

    private static string EntryLabel(TimelineKind kind) => kind switch
    {
        TimelineKind.Note => "Note",
        TimelineKind.Band => "Band change",
        TimelineKind.Alert => "Alert",
        TimelineKind.Task => "Task",
        TimelineKind.Override => "Override",
        TimelineKind.Model => "Model change",
        _ => "Import",
    };

    private static string LinkLabel(TimelineKind kind) => kind switch
    {
        TimelineKind.Alert => "Open the alerts inbox",
        TimelineKind.Model => "See this model version",
        _ => "See the import history",
    };

    // Band moves point the way they went; the rest have their kind's icon.
    private static string IconOf(TimelineEntry entry) => entry.Kind != TimelineKind.Band ? IconOf(entry.Kind)
        : entry.Tone == TimelineTone.Good ? Icons.Material.Rounded.TrendingUp : Icons.Material.Rounded.TrendingDown;

    // Who did what the dashboard itself did.
    private static string SystemName(TimelineKind kind) => kind switch
    {
        TimelineKind.Band => "Daily snapshot",
        TimelineKind.Alert => "Alert rules",
        _ => "HealthDashboard",
    };

    private static string IconOf(TimelineKind kind) => kind switch
    {
        TimelineKind.Note => Icons.Material.Rounded.StickyNote2,
        TimelineKind.Band => Icons.Material.Rounded.ShowChart,
        TimelineKind.Alert => Icons.Material.Rounded.NotificationsActive,
        TimelineKind.Task => Icons.Material.Rounded.TaskAlt,
        TimelineKind.Override => Icons.Material.Rounded.Tune,
        TimelineKind.Model => Icons.Material.Rounded.Functions,
        _ => Icons.Material.Rounded.UploadFile,
    };
}
