using HealthDashboard.Data;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Scores;

/// <summary>
/// How much of a change in health the model caused: the model in force at the first date (<see cref="ModelBefore"/>)
/// gave <see cref="HealthBeforeAsShown"/>; scoring that date with the later model (<see cref="ModelAfter"/>) moves it
/// by <see cref="ModelEffect"/>; the customer's own change is the rest. The two add up to the total change.
/// </summary>
public sealed record ModelSplit(int ModelBefore, int ModelAfter, double HealthBeforeAsShown, double ModelEffect, double CustomerEffect)
{
    public double Total => ModelEffect + CustomerEffect;

    /// <summary>Names of the custom indicators the account's later model has and its earlier one had not.</summary>
    public IReadOnlyList<string> CustomAdded { get; init; } = [];

    /// <summary>Names of the custom indicators the account's earlier model had and its later one has not.</summary>
    public IReadOnlyList<string> CustomRemoved { get; init; } = [];
}

/// <summary>
/// "What changed" for one account between two times: the customer's change under one model, taken apart by indicator
/// (<see cref="HealthChange"/>), and the model's share when the model changed in between (<see cref="Model"/>).
/// </summary>
public sealed record AccountChangeReport(string AccountId, DateTime From, DateTime To, int ModelVersion, HealthChange Customer, ModelSplit? Model)
{
    /// <summary>Health as shown at <see cref="From"/> (with the model then in force).</summary>
    public double HealthBefore => Model?.HealthBeforeAsShown ?? Customer.HealthBefore;

    /// <summary>The whole change of health from <see cref="From"/> to <see cref="To"/>.</summary>
    public double TotalChange => Customer.HealthAfter - HealthBefore;
}

/// <summary>
/// Computes <see cref="AccountChangeReport"/>s. Both times are scored with the model in force at the later one (so
/// the indicators' impacts add up to the customer's change); when another model was in force at the earlier time,
/// that time is also scored with it for the model's share. Times the shared view already holds (its as-of time, 30
/// days before, anything within its loaded usage) are scored in memory; others load their window from the store.
/// </summary>
public sealed class AccountChanges(PortfolioLoader loader, IDbContextFactory<HealthDbContext> dbFactory)
{
    /// <summary>
    /// Compares <paramref name="accountId"/> at <paramref name="from"/> and <paramref name="to"/> (UTC; <paramref name="to"/>
    /// later). Null with a reason when the account was not scored at one of them.
    /// </summary>
    public async Task<(AccountChangeReport? Report, string? Problem)> CompareAsync(PortfolioView view, string accountId, DateTime from, DateTime to, CancellationToken cancellationToken = default)
    {
        if (from >= to)
        {
            return (null, "Pick a first date before the second.");
        }

        var versions = await ModelVersionsAsync(cancellationToken);
        var versionTo = InForce(versions, to)?.Version ?? view.ModelVersion;
        var versionFrom = InForce(versions, from)?.Version ?? versionTo;
        var modelTo = ModelsOf(view, versions, versionTo);
        var modelFrom = ModelsOf(view, versions, versionFrom);

        var after = await ScoreAsync(view, to, modelTo, cancellationToken);
        var before = await ScoreAsync(view, from, modelTo, cancellationToken);
        var (a2, a1) = (after.Aggregates.LocalAccountIndex(accountId), before.Aggregates.LocalAccountIndex(accountId));
        if (a1 < 0 || a2 < 0)
        {
            return (null, $"The account was not scored on {(a1 < 0 ? from : to):yyyy-MM-dd} (not yet a customer, or churned).");
        }

        var customer = HealthChange.Between(before.Scores, a1, after.Scores, a2);
        ModelSplit? split = null;
        if (versionFrom != versionTo)
        {
            var shown = await ScoreAsync(view, from, modelFrom, cancellationToken);
            var shownIndex = shown.Aggregates.LocalAccountIndex(accountId);
            var h = shown.Scores.Health[shownIndex];
            var (customsThen, customsNow) = (shown.Scores.ModelOf(shownIndex).CustomIndicators, before.Scores.ModelOf(a1).CustomIndicators);
            split = new ModelSplit(versionFrom, versionTo, h, customer.HealthBefore - h, customer.Change)
            {
                CustomAdded = [.. customsNow.Where(c => !customsThen.Any(t => t.Key == c.Key)).Select(c => c.Name)],
                CustomRemoved = [.. customsThen.Where(c => !customsNow.Any(t => t.Key == c.Key)).Select(c => c.Name)],
            };
        }

        return (new AccountChangeReport(accountId, from, to, versionTo, customer, split), null);
    }

    /// <summary>The saved model versions: id, when saved and the model, oldest first.</summary>
    public async Task<IReadOnlyList<(int Version, DateTime SavedAt, ScoringModel Model)>> ModelVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ModelVersions.AsNoTracking().OrderBy(v => v.Id).Select(v => new { v.Id, v.SavedAt, v.ModelJson }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.SavedAt, ScoringModel.FromJson(r.ModelJson)))];
    }

    /// <summary>The newest version saved at or before <paramref name="time"/>; the oldest when none was (history before the first save).</summary>
    private static (int Version, ScoringModel Model)? InForce(IReadOnlyList<(int Version, DateTime SavedAt, ScoringModel Model)> versions, DateTime time)
    {
        if (versions.Count == 0)
        {
            return null;
        }

        var saved = versions.LastOrDefault(v => v.SavedAt <= time);
        var pick = saved.Model is null ? versions[0] : saved;
        return (pick.Version, pick.Model);
    }

    /// <summary>
    /// The models of a version: the view's whole set (segment and onboarding models too) for the version it was scored
    /// with; an earlier saved version as the one model it was (the history of segment models is not kept apart).
    /// </summary>
    private static ScoringModelSet ModelsOf(PortfolioView view, IReadOnlyList<(int Version, DateTime SavedAt, ScoringModel Model)> versions, int version) =>
        version == view.ModelVersion ? view.Scored.Models
            : versions.FirstOrDefault(v => v.Version == version) is { Model: { } model } ? ScoringModelSet.Of(model, version)
            : view.Scored.Models;

    private async Task<ScoredPortfolio> ScoreAsync(PortfolioView view, DateTime asOf, ScoringModelSet models, CancellationToken cancellationToken)
    {
        if (models.LatestVersion == view.ModelVersion)
        {
            if (asOf == view.AsOf)
            {
                return view.Scored;
            }

            if (view.MonthAgo is { } monthAgo && monthAgo.AsOf == asOf)
            {
                return monthAgo;
            }
        }

        var loadedFrom = view.AsOf.AddDays(-ScoreBoard.LoadedUsageDays(view.Scored.Models.MaxWindowDays));
        // In memory only at instants the view's load is exact for (its edges and midnights); anything else loads.
        var exact = asOf == view.AsOf || asOf == view.AsOf.AddDays(-30) || asOf.TimeOfDay == TimeSpan.Zero;
        var data = exact && asOf <= view.AsOf && asOf.AddDays(-models.MaxWindowDays) >= loadedFrom
            ? view.Scored.Data
            : await loader.LoadAsync(asOf.AddDays(-models.MaxWindowDays), asOf, cancellationToken);
        return ScoringService.Score(data, asOf, models);
    }
}
