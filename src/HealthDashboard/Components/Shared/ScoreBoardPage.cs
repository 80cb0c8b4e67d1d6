using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// The plumbing every page that shows the score board's view shares: subscribe when shown, wait for the
/// first view (or show why there is none), take each new view on the renderer's thread, and let go of the
/// board when the page goes away (a page that stayed subscribed would keep its circuit alive).
/// </summary>
public abstract class ScoreBoardPage : ComponentBase, IDisposable
{
    /// <summary>The shared score cache.</summary>
    [Inject]
    protected ScoreBoard Board { get; set; } = default!;

    /// <summary>The view shown, null until the first one arrived.</summary>
    protected PortfolioView? View { get; private set; }

    /// <summary>Why there is no view to show (the last refresh failed before any view existed), else null.</summary>
    protected string? LoadError { get; private set; }

    /// <summary>Takes a view: the first one and each one the board publishes after it. Runs on the renderer.</summary>
    protected abstract Task ShowViewAsync(PortfolioView view);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        Board.Changed += OnBoardChanged;
        Board.Failed += OnBoardFailed;
        if (await Board.GetViewOrFailureAsync() is { } view)
        {
            View = view;
            await ShowViewAsync(view);
        }
        else
        {
            LoadError = Board.LastError;
        }
    }

    private void OnBoardChanged(PortfolioView view) => _ = InvokeAsync(async () =>
    {
        View = view;
        LoadError = null;
        await ShowViewAsync(view);
        StateHasChanged();
    });

    // A page that shows a view keeps it when a later refresh fails; only a page still waiting says why.
    private void OnBoardFailed(string error) => _ = InvokeAsync(() =>
    {
        if (View is null)
        {
            LoadError = error;
            StateHasChanged();
        }
    });

    /// <summary>Lets go of the board; pages with more to release override and call this.</summary>
    public virtual void Dispose()
    {
        Board.Changed -= OnBoardChanged;
        Board.Failed -= OnBoardFailed;
        GC.SuppressFinalize(this);
    }
}
