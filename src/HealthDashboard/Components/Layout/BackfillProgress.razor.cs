using HealthDashboard.Components.Shared;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Layout;

/// <summary>
/// Shows <see cref="SnapshotStore.Status"/> live. The store reports every day scored and written (hundreds a run);
/// this circuit re-renders at most every <see cref="RenderIntervalMs"/> milliseconds, and always when a run starts,
/// ends or fails.
/// </summary>
public sealed partial class BackfillProgress : IDisposable
{
    private const long RenderIntervalMs = 500;

    private BackfillStatus status = BackfillStatus.Idle;
    private long lastRender;

    [Inject] private SnapshotStore Snapshots { get; set; } = default!;

    private string RunningText
    {
        get
        {
            var step = status.Day is { } day
                ? $" · {(status.Phase == BackfillPhase.Writing ? "writing" : "scoring")} {Format.Date(day)}"
                : "";
            return $"Back-filling the daily history: {status.DaysDone} of {status.DaysToDo} days ({Format.Percent(status.Fraction)}){step}. Pages keep working meanwhile.";
        }
    }

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        status = Snapshots.Status;
        Snapshots.StatusChanged += OnStatusChanged;
    }

    /// <inheritdoc />
    public void Dispose() => Snapshots.StatusChanged -= OnStatusChanged;

    private void OnStatusChanged(BackfillStatus next)
    {
        var now = Environment.TickCount64;
        var shown = status;
        if (next.Running == shown.Running && next.Error == shown.Error && now - Interlocked.Read(ref lastRender) < RenderIntervalMs)
        {
            return;
        }

        Interlocked.Exchange(ref lastRender, now);
        _ = InvokeAsync(() =>
        {
            // The newest status when this circuit gets to it, not the one that woke it.
            status = Snapshots.Status;
            StateHasChanged();
        });
    }
}
