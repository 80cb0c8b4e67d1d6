using System.Globalization;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>Edits the window W (1-365 days) and the grade thresholds, and draws the grade scale they make.</summary>
public sealed partial class WindowGradesEditor
{
    private static readonly GradeField[] Grades =
    [
        new("A", Band.Green, t => t.A, (t, v) => t with { A = v }),
        new("B", Band.Green, t => t.B, (t, v) => t with { B = v }),
        new("C", Band.Yellow, t => t.C, (t, v) => t with { C = v }),
    ];

    private string? lastEdited;

    /// <summary>The draft's window.</summary>
    [Parameter, EditorRequired]
    public int WindowDays { get; set; }

    /// <summary>The saved window.</summary>
    [Parameter, EditorRequired]
    public int SavedWindowDays { get; set; }

    /// <summary>The draft's thresholds.</summary>
    [Parameter, EditorRequired]
    public GradeThresholds Thresholds { get; set; } = default!;

    /// <summary>The saved thresholds.</summary>
    [Parameter, EditorRequired]
    public GradeThresholds SavedThresholds { get; set; } = default!;

    /// <summary>Days of usage in memory; a longer window is previewed on these only (the page says so).</summary>
    [Parameter, EditorRequired]
    public int LoadedUsageDays { get; set; }

    /// <summary>The validation message of a field path, or null.</summary>
    [Parameter, EditorRequired]
    public Func<string, string?> ProblemOf { get; set; } = default!;

    /// <summary>Raised when W changes.</summary>
    [Parameter]
    public EventCallback<int> OnWindowChanged { get; set; }

    /// <summary>Raised when a threshold changes.</summary>
    [Parameter]
    public EventCallback<GradeThresholds> OnThresholdsChanged { get; set; }

    /// <summary>The grade segments of 0-100, or null while the thresholds are invalid.</summary>
    private List<ScaleSegment>? Scale
    {
        get
        {
            var t = Thresholds;
            if (!(t.C < t.B && t.B < t.A && t.C >= 1 && t.A <= 100))
            {
                return null;
            }

            return
            [
                new(Grade.D, Band.Red, 0, t.C),
                new(Grade.C, Band.Yellow, t.C, t.B),
                new(Grade.B, Band.Green, t.B, t.A),
                new(Grade.A, Band.Green, t.A, 100),
            ];
        }
    }

    private string ScaleLabel => Scale is { } s
        ? "Grade scale: " + string.Join(", ", s.Select(x => $"{x.Grade} {Range(x)}"))
        : "";

    private Task WindowChangedAsync(int days) => OnWindowChanged.InvokeAsync(days);

    private Task ThresholdChangedAsync(string letter, double value)
    {
        lastEdited = letter;
        return OnThresholdsChanged.InvokeAsync(Grades.Single(g => g.Letter == letter).With(Thresholds, value));
    }

    /// <summary>
    /// The "thresholds must increase" message when it belongs under grade <paramref name="letter"/>: under the
    /// threshold last edited here (the one the person just moved out of order, not its neighbour); after a
    /// reload, under each threshold that differs from the saved model (all of them when none does).
    /// </summary>
    private string? OrderProblemAt(string letter)
    {
        if (ProblemOf(ModelFields.Thresholds) is not { } problem)
        {
            return null;
        }

        if (lastEdited is not null)
        {
            return lastEdited == letter ? problem : null;
        }

        var changed = Grades.Where(g => g.Value(Thresholds) != g.Value(SavedThresholds)).Select(g => g.Letter).ToList();
        return changed.Count == 0 || changed.Contains(letter) ? problem : null;
    }

    private static string Range(ScaleSegment s) => s.Grade switch
    {
        Grade.D => $"< {Num(s.To)}",
        Grade.A => $"≥ {Num(s.From)}",
        _ => $"{Num(s.From)}–{Num(s.To)}",
    };

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Svg(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private sealed record GradeField(string Letter, Band Band, Func<GradeThresholds, double> Value, Func<GradeThresholds, double, GradeThresholds> With);

    private sealed record ScaleSegment(Grade Grade, Band Band, double From, double To);
}
