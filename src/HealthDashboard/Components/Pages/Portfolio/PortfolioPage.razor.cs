using HealthDashboard.Scores;
using HealthDashboard.Components.Shared;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Portfolio;

/// <summary>
/// The home page: how the whole portfolio is doing. Reads the shared <see cref="ScoreBoard"/> view,
/// keeps only the small <see cref="PortfolioFigures"/> of it, and recomputes them whenever a new
/// view is published.
/// </summary>
public sealed partial class PortfolioPage : IDisposable
{
    private PortfolioFigures? figures;
    private string? loadError;

    [Inject]
    private ScoreBoard Board { get; set; } = default!;

    private string Subtitle => figures is null
        ? "How your customers are doing"
        : $"How your customers are doing as of {Format.Date(figures.AsOf)} · {Format.Count(figures.AccountCount)} accounts · {Format.Count(figures.UserCount)} users";

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        Board.Changed += OnBoardChanged;
        Board.Failed += OnBoardFailed;
        if (Board.Current is { } view)
        {
            figures = PortfolioFigures.From(view);
        }
        else
        {
            loadError = Board.LastError;
        }
    }

    private void OnBoardChanged(PortfolioView view)
    {
        // Raised on the refreshing thread: compute there, then hop onto the renderer.
        var changed = PortfolioFigures.From(view);
        _ = InvokeAsync(() =>
        {
            figures = changed;
            loadError = null;
            StateHasChanged();
        });
    }

    private void OnBoardFailed(string error) => _ = InvokeAsync(() =>
    {
        // Keep showing the last good figures; only a page still waiting for its first view shows the error.
        loadError = error;
        StateHasChanged();
    });

    /// <inheritdoc />
    public void Dispose()
    {
        Board.Changed -= OnBoardChanged;
        Board.Failed -= OnBoardFailed;
    }
}
