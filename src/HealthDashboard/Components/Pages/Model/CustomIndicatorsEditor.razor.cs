using System.Globalization;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The custom indicators of the edited model (SCORING.md "Custom indicators"): each with its weight on a slider
/// (live, like the built-in ones), Edit and Remove; Add and Edit open <see cref="CustomIndicatorDialog"/>, which
/// checks the indicator with the model's own rules (<see cref="ScoringModel.Validate"/>, the messages of
/// <c>model import</c>). Every change goes to the page as the new list; the page puts it in the draft.
/// </summary>
public sealed partial class CustomIndicatorsEditor
{
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    /// <summary>The draft's custom indicators.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<CustomIndicator> Indicators { get; set; } = [];

    /// <summary>The saved version's custom indicators (what changed is marked).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<CustomIndicator> Saved { get; set; } = [];

    /// <summary>The metric keys the store knows (imported metrics), for the metric picker.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<string> MetricKeys { get; set; } = [];

    /// <summary>The draft's validation problems (those of custom indicators are shown at their row).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<ModelProblem> Problems { get; set; } = [];

    /// <summary>
    /// Checks a whole list of custom indicators in the draft (the page validates the draft with them), so the
    /// dialog refuses with the model's messages.
    /// </summary>
    [Parameter, EditorRequired]
    public Func<IReadOnlyList<CustomIndicator>, IReadOnlyList<ModelProblem>> Check { get; set; } = default!;

    /// <summary>Raised with the new list after every change.</summary>
    [Parameter]
    public EventCallback<IReadOnlyList<CustomIndicator>> OnChanged { get; set; }

    private List<ModelProblem> ProblemsOf(int index)
    {
        var prefix = $"CustomIndicators[{index}].";
        return Problems.Where(p => p.Field.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    /// <summary>One line about what an indicator reads and how it scores it.</summary>
    public static string Describe(CustomIndicator c) => c.Scoring switch
    {
        CustomScoring.Range => $"{c.Metric} · range: {Number(c.Worst)} scores 0, {Number(c.Best)} scores 100 · values up to {c.MaxAgeDays} d old",
        CustomScoring.Curve => $"{c.Metric} · curve over the model's accounts, {(c.HigherIsBetter ? "higher" : "lower")} is better · values up to {c.MaxAgeDays} d old",
        _ => $"{c.Metric} · direct 0–100, {(c.HigherIsBetter ? "higher" : "lower")} is better · values up to {c.MaxAgeDays} d old",
    };

    private static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "—";

    private Task SetWeightAsync(int index, double weight) => ChangeAsync(list => list[index] = list[index] with { Weight = weight });

    private Task RemoveAsync(int index) => ChangeAsync(list => list.RemoveAt(index));

    private Task UndoRemoveAsync(CustomIndicator removed) => ChangeAsync(list => list.Add(removed));

    private async Task AddAsync()
    {
        var metric = MetricKeys.FirstOrDefault(m => Indicators.All(c => c.Metric != m)) ?? (MetricKeys.Count > 0 ? MetricKeys[0] : "");
        var fresh = new CustomIndicator { Metric = metric, Weight = 10, Name = CustomIndicatorDialog.NameFrom(metric), Key = CustomIndicatorDialog.KeyFrom(metric) };
        if (await AskAsync(fresh, Indicators.Count, isNew: true) is { } added)
        {
            await ChangeAsync(list => list.Add(added));
        }
    }

    private async Task EditAsync(int index)
    {
        if (await AskAsync(Indicators[index], index, isNew: false) is { } edited)
        {
            await ChangeAsync(list => list[index] = edited);
        }
    }

    private async Task<CustomIndicator?> AskAsync(CustomIndicator start, int index, bool isNew)
    {
        var others = Indicators.ToList();
        var parameters = new DialogParameters<CustomIndicatorDialog>
        {
            { d => d.Indicator, start },
            { d => d.IsNew, isNew },
            { d => d.MetricKeys, MetricKeys },
            { d => d.Check, candidate => ProblemsWith(others, index, candidate) },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };
        var dialog = await Dialogs.ShowAsync<CustomIndicatorDialog>(null, parameters, options);
        return await dialog.Result is { Canceled: false, Data: CustomIndicator result } ? result : null;
    }

    /// <summary>The model's problems of <paramref name="candidate"/> at <paramref name="index"/> among the others (its fields and a duplicate key).</summary>
    private List<ModelProblem> ProblemsWith(List<CustomIndicator> others, int index, CustomIndicator candidate)
    {
        var list = new List<CustomIndicator>(others);
        if (index < list.Count)
        {
            list[index] = candidate;
        }
        else
        {
            list.Add(candidate);
        }

        var prefix = $"CustomIndicators[{index}].";
        return Check(list)
            .Where(p => p.Field.StartsWith(prefix, StringComparison.Ordinal)
                || (p.Field == "CustomIndicators" && p.Message.Contains($"'{candidate.Key}'", StringComparison.Ordinal)))
            .ToList();
    }

    private Task ChangeAsync(Action<List<CustomIndicator>> change)
    {
        var list = Indicators.ToList();
        change(list);
        return OnChanged.InvokeAsync(list);
    }
}
