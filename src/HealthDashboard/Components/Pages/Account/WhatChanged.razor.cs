using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;

namespace HealthDashboard.Components.Pages.Account;

/// <summary>
/// "What changed" on the account page: two dates (default 30 days before the as-of time and the as-of time itself),
/// compared by <see cref="AccountChanges"/> and put into words by <see cref="ChangeWords"/>.
/// </summary>
public sealed partial class WhatChanged
{
    private DateTime? from;
    private DateTime? to;
    private AccountChangeReport? report;
    private IReadOnlyList<ChangeLine> lines = [];
    private string? problem;
    private string? shownFor;

    [Inject]
    private AccountChanges Changes { get; set; } = default!;

    /// <summary>The shared view the page shows (its as-of time is "today").</summary>
    [Parameter, EditorRequired]
    public PortfolioView View { get; set; } = default!;

    /// <summary>The account id.</summary>
    [Parameter, EditorRequired]
    public string AccountId { get; set; } = "";

    /// <summary>The model's and the customer's share, rounded so that they add up to the shown total.</summary>
    private double[] SplitShown => report?.Model is { } split
        ? ChangeWords.RoundToSum([split.ModelEffect, split.CustomerEffect], split.Total, 1)
        : [0, 0];

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var key = $"{AccountId}|{View.AsOf:O}|{View.ModelVersion}";
        if (key != shownFor)
        {
            shownFor = key;
            await SetAsync(from ?? View.AsOf.Date.AddDays(-30), to ?? View.AsOf.Date);
        }
    }

    /// <summary>", adding custom indicator Onboarding progress" when the model change added or removed custom indicators.</summary>
    private static string ModelChangeWords(ModelSplit split)
    {
        static string Named(string verb, IReadOnlyList<string> names) => names.Count == 0 ? ""
            : $", {verb} {Shared.Format.Noun(names.Count, "custom indicator")} {string.Join(", ", names)}";
        return Named("adding", split.CustomAdded) + Named("removing", split.CustomRemoved);
    }

    private static string ImpactClass(double impact) =>
        Shared.Format.SignedHealth(impact, 1) switch { ['+', ..] => "hd-up", ['\u2212', ..] => "hd-down", _ => "hd-flat" };

    private async Task SetAsync(DateTime? first, DateTime? second)
    {
        (from, to) = (first, second);
        if (first is not { } a || second is not { } b)
        {
            (report, problem) = (null, "Pick both dates.");
            return;
        }

        // A date is its snapshot time (00:00 UTC); the as-of date itself means the scores shown now.
        var (start, end) = (At(a), At(b));
        problem = null;
        report = null;
        try
        {
            (report, problem) = await Changes.CompareAsync(View, AccountId, start, end);
            lines = report is null ? [] : ChangeWords.Lines(report.Customer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problem = $"The comparison failed: {ex.Message}";
        }
    }

    private DateTime At(DateTime date) => date.Date == View.AsOf.Date ? View.AsOf
        : date.Date == View.AsOf.AddDays(-30).Date ? View.AsOf.AddDays(-30)
        : DateTime.SpecifyKind(date.Date, DateTimeKind.Utc);
}
