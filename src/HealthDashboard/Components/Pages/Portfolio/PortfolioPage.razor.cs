using HealthDashboard.Components.Shared;
using HealthDashboard.Scores;

namespace HealthDashboard.Components.Pages.Portfolio;

/// <summary>
/// The home page: how the whole portfolio is doing. Reads the shared <see cref="ScoreBoard"/> view
/// (through <see cref="ScoreBoardPage"/>) and recomputes the small <see cref="PortfolioFigures"/> it
/// shows whenever a new view is published.
/// </summary>
public sealed partial class PortfolioPage
{
    private PortfolioFigures? figures;

    private string Subtitle => figures is null
        ? "How your customers are doing"
        : $"How your customers are doing as of {Format.Date(figures.AsOf)} · {Format.Count(figures.AccountCount)} accounts · {Format.Count(figures.UserCount)} users";

    /// <inheritdoc />
    protected override Task ShowViewAsync(PortfolioView view)
    {
        figures = PortfolioFigures.From(view);
        return Task.CompletedTask;
    }
}
