using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The preview's orchestration: every new draft (or new saved scores) asks <see cref="ModelPreview"/> for a
/// re-score on a <see cref="LatestWinsScheduler{TInput,TResult}"/>, so a slider dragged across many values
/// computes only the last; the outcome is shown by <see cref="PreviewPanel"/> and reported to the page (the
/// save dialog shows its impact). While the draft is invalid nothing is computed and the panel says why.
/// </summary>
public sealed partial class DraftPreview : IDisposable
{
    private LatestWinsScheduler<PreviewInput, ModelPreviewResult>? scheduler;
    private ModelPreviewResult? result;
    private TimeSpan? elapsed;
    private string? error;
    private bool busy;
    private PreviewInput? requested;
    private bool disposed;

    [Inject] private ModelPreview Preview { get; set; } = default!;
    [Inject] private ILogger<DraftPreview> Logger { get; set; } = default!;

    /// <summary>The saved scores the draft is compared with.</summary>
    [Parameter, EditorRequired]
    public ScoredPortfolio Saved { get; set; } = default!;

    /// <summary>The draft to preview.</summary>
    [Parameter, EditorRequired]
    public ScoringModel Draft { get; set; } = default!;

    /// <summary>The model the draft replaces: only its accounts are compared (the default's alone when no other model is saved).</summary>
    [Parameter]
    public ModelKey Key { get; set; } = ModelKey.Default;

    /// <summary>Why the preview is paused (an invalid draft); null when it follows the draft.</summary>
    [Parameter]
    public string? Paused { get; set; }

    /// <summary>
    /// How long a change waits for the next before the preview recomputes (the slider fires on every
    /// pixel); later changes replace earlier ones, so stale work never queues. Tests set 0.
    /// </summary>
    [Parameter]
    public int DelayMilliseconds { get; set; } = 120;

    /// <summary>Raised with each computed preview (for the save dialog's impact line).</summary>
    [Parameter]
    public EventCallback<ModelPreviewResult> OnComputed { get; set; }

    /// <inheritdoc />
    protected override void OnInitialized() =>
        scheduler = new LatestWinsScheduler<PreviewInput, ModelPreviewResult>(
            input => Preview.Compute(input.Saved, input.Key, input.Draft),
            ApplyAsync,
            TimeSpan.FromMilliseconds(DelayMilliseconds));

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        // On opening, a preview already computed over these scores (the saved model unchanged, on every opening after
        // the first) is shown at once, in the prerender and the circuit's first render, instead of a spinner.
        if (requested is null && result is null && Paused is null && Preview.Kept(Saved, Key, Draft) is { } kept)
        {
            result = kept;
            if (RendererInfo.IsInteractive)
            {
                requested = new PreviewInput(Saved, Key, Draft);
                await OnComputed.InvokeAsync(kept);
            }

            return;
        }

        // Otherwise prerendering shows the loading state; the interactive render computes the preview.
        if (!RendererInfo.IsInteractive || scheduler is null)
        {
            return;
        }

        if (Paused is not null)
        {
            busy = false;
            requested = null;
            return;
        }

        var input = new PreviewInput(Saved, Key, Draft);
        if (requested is not null && ReferenceEquals(requested.Saved, Saved) && ReferenceEquals(requested.Draft, Draft) && requested.Key == Key)
        {
            return;
        }

        // The page's first preview is computed at once: there is no slider movement to gather yet.
        var first = requested is null && result is null;
        requested = input;
        busy = true;
        scheduler.Request(input, atOnce: first);
    }

    private Task ApplyAsync(LatestWinsScheduler<PreviewInput, ModelPreviewResult>.Outcome outcome) => InvokeAsync(async () =>
    {
        if (disposed)
        {
            return;
        }

        if (outcome.Error is { } failure)
        {
            Logger.LogError(failure, "The model preview failed");
            error = failure.Message;
        }
        else
        {
            result = outcome.Result;
            elapsed = outcome.Elapsed;
            error = null;
        }

        // Still busy while a newer draft (or newer scores) is on its way.
        busy = requested is not null && !ReferenceEquals(outcome.Input, requested);
        StateHasChanged();
        if (outcome.Result is { } computed && !busy)
        {
            await OnComputed.InvokeAsync(computed);
        }
    });

    /// <inheritdoc />
    public void Dispose()
    {
        disposed = true;
        scheduler?.Dispose();
    }

    /// <summary>What one preview computes from: the saved scores, the model the draft replaces and the draft.</summary>
    private sealed record PreviewInput(ScoredPortfolio Saved, ModelKey Key, ScoringModel Draft);
}
