using System.Globalization;
using HealthDashboard.Components.Shared;
using HealthDashboard.Identity;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using HealthDashboard.Theme;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Pages.Backtest;

/// <summary>
/// How well a model's health predicted churn on the data's own history (SCORING.md "Backtest"): the default
/// range of month starts and 90 days' horizon, for the saved model, an earlier version or the editor's draft.
/// Admins and CS managers may also fit weights to the history and open them in the editor as a draft;
/// product managers read the figures.
/// </summary>
public sealed partial class BacktestPage
{
    private const string Saved = "saved";
    private const string Draft = "draft";

    private IReadOnlyList<ModelVersionInfo> versions = [];
    private string choice = Saved;
    private BacktestHistory? history;
    private BacktestResult? result;
    private IReadOnlyList<ChurnedAccountHistory>? churned;
    private WeightSuggestion? suggestion;
    private bool suggesting;
    private bool loading;
    private string? error;
    private bool mayFit;
    private ScoringModelSet? evaluatedModels;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The colour scheme from the layout.</summary>
    [CascadingParameter]
    public ThemeState? Theme { get; set; }

    [Inject] private BacktestService Backtests { get; set; } = default!;
    [Inject] private ModelStore Store { get; set; } = default!;
    [Inject] private ModelEditorSession Session { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<BacktestPage> Logger { get; set; } = default!;

    private bool Dark => Theme?.IsDarkMode ?? false;

    private bool CanSuggest => mayFit;

    private IEnumerable<(string Key, string Label)> Options
    {
        get
        {
            yield return (Saved, versions.Count > 0 ? $"Saved model (v{versions[0].Version})" : "Saved model");
            if (Session.IsDirty)
            {
                yield return (Draft, "The editor's draft");
            }

            foreach (var version in versions.Skip(1))
            {
                yield return ($"v{version.Version}", $"Version {version.Version} · {Format.Date(version.SavedAt)}");
            }
        }
    }

    private string Subtitle => history is { Range.Times.Count: > 0 } h
        ? $"Health at each month start from {Format.Date(h.Range.Times[0])} to {Format.Date(h.Range.Times[^1])} against churn within the next {h.Range.HorizonDays} days"
        : "Health at each month start against churn within the next 90 days";

    private string SuggestionSubtitle => suggestion is null
        ? "Weights fitted to your own churn history"
        : "Fitted on the earlier month starts, judged on the later ones";

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null && (await AuthenticationState).User is { } user)
        {
            mayFit = user.IsInRole(Roles.Admin) || user.IsInRole(Roles.CSManager);
        }

        await RunAsync();
    }

    private async Task ChooseAsync(string value)
    {
        choice = value;
        await RunAsync();
    }

    private async Task RunAsync()
    {
        loading = true;
        error = null;
        result = null;
        churned = null;
        suggestion = null;
        try
        {
            versions = await Store.ListAsync();
            // The chosen model takes the default model's place; segment and onboarding models still apply.
            var models = (await Backtests.LoadCurrentModelsAsync()).With(ModelKey.Default, await ChosenModelAsync());
            evaluatedModels = models;
            var loaded = history = await Backtests.GetDefaultHistoryAsync(models.MaxWindowDays);
            result = await Task.Run(() => loaded.Evaluate(models));
            StateHasChanged();
            churned = await Backtests.ChurnedAccountsAsync(loaded.Range, models);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "The backtest failed");
            error = ex.Message;
        }
        finally
        {
            loading = false;
        }
    }

    private async Task<ScoringModel> ChosenModelAsync()
    {
        if (choice == Draft && Session.Draft is { } draft && Session.IsValid)
        {
            return draft;
        }

        if (choice.StartsWith('v') && int.TryParse(choice.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && await Store.GetAsync(number) is { } version)
        {
            return version.Model;
        }

        choice = Saved;
        return await Backtests.LoadCurrentModelAsync();
    }

    private async Task SuggestAsync()
    {
        if (history is not { } loaded || evaluatedModels is not { } models || !mayFit)
        {
            return;
        }

        suggesting = true;
        try
        {
            suggestion = await Task.Run(() => loaded.Suggest(models));
        }
        catch (Exception ex) when (ex is ArgumentException)
        {
            error = ex.Message;
        }
        finally
        {
            suggesting = false;
        }
    }

    /// <summary>Puts the evaluated model with the suggested weights into the editor as a draft (nothing is saved) and opens it.</summary>
    private async Task OpenInEditorAsync()
    {
        if (suggestion is not { } s || result is not { } evaluated || !mayFit)
        {
            return;
        }

        if (Session.Base is null && await Store.GetLatestAsync() is { } latest)
        {
            Session.Follow(latest);
        }

        var auc = string.Create(CultureInfo.InvariantCulture, $"{s.HoldoutAuc:0.000} on hold-out against {s.CurrentHoldoutAuc:0.000} now");
        Session.Replace(s.Apply(evaluated.Model), $"Suggested weights (AUC {auc})");
        Navigation.NavigateTo("model");
    }

    private static string Percent(double? share) => share is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s * 100:0.0}%") : "—";

    private int OverriddenPairs => result?.Sample.Pairs.Count(p => p.OverrideValue is not null) ?? 0;

    private static string Auc(double? auc) => auc is { } a ? a.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary>Whether CSM judgment added to the model, in words.</summary>
    private static string EffectiveVerdict(BacktestFigures model, BacktestFigures effective) => (model.Auc, effective.Auc) switch
    {
        ({ } alone, { } with) when with > alone + 0.005 => "CSM judgment made health a better predictor of churn.",
        ({ } alone, { } with) when with < alone - 0.005 => "CSM judgment made health a worse predictor of churn than the model alone.",
        (not null, not null) => "CSM judgment did not change how well health predicted churn.",
        _ => "Not enough churns and retentions to compare.",
    };

    private static string BandAria(BacktestFigures figures) =>
        "Churn rate per band: " + string.Join(", ", figures.ByBand.Select(b => $"{BandColors.Label(b.Key)} {Percent(b.Value.Rate)}"));
}
