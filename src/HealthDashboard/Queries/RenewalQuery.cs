using HealthDashboard.Csv;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Queries;

/// <summary>
/// A span of renewals: the overdue ones (renewal date before the as-of day) or one calendar quarter or month,
/// with the accounts renewing in it (soonest first) and their MRR per band.
/// </summary>
/// <param name="Key">A stable key (<c>overdue</c>, <c>2026-Q4</c>, <c>2026-12</c>).</param>
/// <param name="Label">As people read it ("Overdue", "Q4 2026", "Dec 2026").</param>
/// <param name="Start">First day (null for overdue).</param>
/// <param name="End">The day after the last (null for overdue).</param>
/// <param name="Accounts">The accounts renewing in it, soonest first, riskiest first on the same day.</param>
public sealed record RenewalPeriod(string Key, string Label, DateTime? Start, DateTime? End, IReadOnlyList<AccountSummary> Accounts)
{
    /// <summary>The MRR renewing.</summary>
    public double Mrr => Accounts.Sum(a => a.Mrr);

    /// <summary>The ARR renewing (12 × MRR).</summary>
    public double Arr => 12 * Mrr;

    /// <summary>The MRR renewing in <paramref name="band"/>.</summary>
    public double MrrOf(Band band) => Accounts.Where(a => a.Band == band).Sum(a => a.Mrr);

    /// <summary>Accounts renewing in <paramref name="band"/>.</summary>
    public int CountOf(Band band) => Accounts.Count(a => a.Band == band);

    /// <summary>Revenue at risk: the MRR of yellow and red accounts.</summary>
    public double AtRiskMrr => MrrOf(Band.Yellow) + MrrOf(Band.Red);
}

/// <summary>The renewal pipeline of one filter: overdue and the next four quarters (the as-of quarter first), and the same by month.</summary>
/// <param name="Quarters">Overdue first, then the four quarters.</param>
/// <param name="Months">The twelve months of those quarters.</param>
public sealed record RenewalReport(IReadOnlyList<RenewalPeriod> Quarters, IReadOnlyList<RenewalPeriod> Months)
{
    /// <summary>Accounts in the report (each in exactly one quarter).</summary>
    public int Count => Quarters.Sum(q => q.Accounts.Count);

    /// <summary>MRR renewing across the report.</summary>
    public double Mrr => Quarters.Sum(q => q.Mrr);

    /// <summary>Revenue at risk across the report.</summary>
    public double AtRiskMrr => Quarters.Sum(q => q.AtRiskMrr);
}

/// <summary>
/// The Renewals page's numbers over the shared view: the Accounts page's filters (<see cref="AccountQuery.Matches"/>,
/// so both pages agree), then each matching account with a renewal date placed in "overdue" or one of the next four
/// calendar quarters; renewals further out and accounts without a date are left out. Sort and paging are ignored.
/// </summary>
public static class RenewalQuery
{
    /// <summary>Quarters after the overdue bucket.</summary>
    public const int QuarterCount = 4;

    /// <summary>The report of the accounts of <paramref name="view"/> matching <paramref name="filter"/>.</summary>
    public static RenewalReport Run(PortfolioView view, AccountFilter filter)
    {
        var today = view.AsOf.Date;
        var firstQuarter = new DateTime(today.Year, (today.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = firstQuarter.AddMonths(3 * QuarterCount);
        var renewing = view.Accounts
            .Where(a => a.RenewalDate is { } r && r.Date < end && AccountQuery.Matches(a, filter, view.AsOf))
            .OrderBy(a => a.RenewalDate!.Value.Date).ThenBy(a => a.RiskRank).ThenByDescending(a => a.Mrr).ThenBy(a => a.Id, StringComparer.Ordinal)
            .ToList();

        var overdue = new RenewalPeriod("overdue", "Overdue", null, null, [.. renewing.Where(a => a.RenewalDate!.Value.Date < today)]);
        var upcoming = renewing.Where(a => a.RenewalDate!.Value.Date >= today).ToList();
        var quarters = new List<RenewalPeriod> { overdue };
        var months = new List<RenewalPeriod>();
        for (var q = 0; q < QuarterCount; q++)
        {
            var start = firstQuarter.AddMonths(3 * q);
            var number = (start.Month - 1) / 3 + 1;
            quarters.Add(Period($"{start.Year}-Q{number}", $"Q{number} {start.Year}", start, start.AddMonths(3), upcoming));
            for (var m = 0; m < 3; m++)
            {
                var month = start.AddMonths(m);
                months.Add(Period(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                    month.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), month, month.AddMonths(1), upcoming));
            }
        }

        return new RenewalReport(quarters, months);
    }

    /// <summary>The export: one record per account of the report, with its quarter and month.</summary>
    public static IEnumerable<string> Lines(PortfolioView view, AccountFilter filter)
    {
        var report = Run(view, filter);
        yield return CsvWriter.Record(["quarter", "account_id", "name", "renewal_date", "days_to_renewal", "band", "health_rounded", "trend", "mrr", "arr", "owner", "segment", "plan"]);
        foreach (var quarter in report.Quarters)
        {
            foreach (var a in quarter.Accounts)
            {
                yield return CsvSafety.Record(
                [
                    quarter.Key, a.Id, a.Name, CsvWriter.Date(a.RenewalDate), CsvWriter.Whole(AccountQuery.DaysToRenewal(a, view.AsOf)), a.Band.ToKey(),
                    CsvWriter.Whole(a.HealthRounded), CsvWriter.TwoDecimals(a.Trend), CsvWriter.TwoDecimals(a.Mrr), CsvWriter.TwoDecimals(12 * a.Mrr),
                    a.Owner, a.Segment, a.Plan,
                ]);
            }
        }
    }

    private static RenewalPeriod Period(string key, string label, DateTime start, DateTime end, List<AccountSummary> upcoming) =>
        new(key, label, start, end, [.. upcoming.Where(a => a.RenewalDate!.Value.Date >= start && a.RenewalDate.Value.Date < end)]);
}
