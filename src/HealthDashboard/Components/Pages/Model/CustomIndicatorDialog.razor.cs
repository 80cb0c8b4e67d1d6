using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The form of one custom indicator: name, key (derived from the name for a new one until typed), metric picked
/// from the metric keys the store knows, weight, scoring (direct, curve, or range with worst and best), direction
/// and maximum age. <see cref="Check"/> gives the model's own messages as it is typed; Add stays disabled while any
/// remain. Returns the <see cref="CustomIndicator"/>; the draft is changed by the caller.
/// </summary>
public sealed partial class CustomIndicatorDialog
{
    private string name = "";
    private string key = "";
    private string metric = "";
    private double weight;
    private int maxAgeDays;
    private bool higherIsBetter;
    private CustomScoring scoring;
    private double? worst;
    private double? best;
    private bool keyTyped;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The indicator to start from.</summary>
    [Parameter, EditorRequired]
    public CustomIndicator Indicator { get; set; } = default!;

    /// <summary>True when adding (the key follows the name until typed).</summary>
    [Parameter]
    public bool IsNew { get; set; }

    /// <summary>The metric keys the store knows.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<string> MetricKeys { get; set; } = [];

    /// <summary>The model's problems of a candidate (its own fields and a duplicate key).</summary>
    [Parameter, EditorRequired]
    public Func<CustomIndicator, IReadOnlyList<ModelProblem>> Check { get; set; } = default!;

    private CustomIndicator Candidate => new()
    {
        Key = key.Trim(),
        Name = name.Trim(),
        Metric = metric.Trim(),
        Weight = weight,
        MaxAgeDays = maxAgeDays,
        HigherIsBetter = scoring == CustomScoring.Range || higherIsBetter,
        Scoring = scoring,
        Worst = scoring == CustomScoring.Range ? worst : null,
        Best = scoring == CustomScoring.Range ? best : null,
    };

    private IReadOnlyList<ModelProblem> Problems => Check(Candidate);

    // The key's own problem, or a duplicate of another indicator's key.
    private string? KeyProblem => ProblemOf("Key") ?? Problems.FirstOrDefault(p => p.Field == "CustomIndicators")?.Message;

    private IEnumerable<string> MetricChoices => string.IsNullOrEmpty(Indicator.Metric) || MetricKeys.Contains(Indicator.Metric)
        ? MetricKeys
        : MetricKeys.Prepend(Indicator.Metric);

    private string ScoringHelp => scoring switch
    {
        CustomScoring.Direct => "The value is already a 0–100 score (a percentage, a rating out of 100); it is clamped to 0–100.",
        CustomScoring.Curve => "Scored like Engagement: normalised over the model's accounts that have a value, so the best get 100.",
        _ => "Scored on a straight line between the worst and the best value; put worst above best for a metric where lower is better.",
    };

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        name = Indicator.Name;
        key = Indicator.Key;
        metric = Indicator.Metric;
        weight = Indicator.Weight;
        maxAgeDays = Indicator.MaxAgeDays;
        higherIsBetter = Indicator.HigherIsBetter;
        scoring = Indicator.Scoring;
        worst = Indicator.Worst ?? 0;
        best = Indicator.Best ?? 100;
        keyTyped = !IsNew;
    }

    private string? ProblemOf(string field) => Problems.FirstOrDefault(p => p.Field.EndsWith($"].{field}", StringComparison.Ordinal))?.Message;

    private void NameChanged(string? value)
    {
        name = value ?? "";
        if (!keyTyped)
        {
            key = KeyFrom(name);
        }
    }

    private void KeyChanged(string? value)
    {
        key = value ?? "";
        keyTyped = true;
    }

    /// <summary>A key made from a name or metric: lower case, other characters as underscores, starting with a letter.</summary>
    public static string KeyFrom(string text)
    {
        var chars = text.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var key = string.Join('_', new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
        return key.Length > 0 && !char.IsAsciiLetter(key[0]) ? $"m_{key}" : key;
    }

    /// <summary>A name made from a metric key: "nps_score" gives "Nps score".</summary>
    public static string NameFrom(string metric)
    {
        var words = metric.Replace('_', ' ').Replace('-', ' ').Trim();
        return words.Length == 0 ? "" : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private void Submit()
    {
        if (Problems.Count == 0)
        {
            Dialog.Close(DialogResult.Ok(Candidate));
        }
    }

    private void Cancel() => Dialog.Cancel();
}
