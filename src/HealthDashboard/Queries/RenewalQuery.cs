using System.Globalization;
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
/// <param name="BandCounts">
/// How many accounts the report would hold for each band with every other filter kept: the counts beside the
/// band chips (made in the same pass as the report).
/// </param>
public sealed record RenewalReport(IReadOnlyList<RenewalPeriod> Quarters, IReadOnlyList<RenewalPeriod> Months, IReadOnlyDictionary<Band, int> BandCounts)
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
    /// <remarks>
    /// One pass over the view (the Renewals page runs this on every change at 10,000 accounts): the cheap date test
    /// first, the filters without the band next (for the chips' counts), the band last; each renewing account then
    /// lands in its quarter and month by index instead of every period scanning the list.
    /// </remarks>
    public static RenewalReport Run(PortfolioView view, AccountFilter filter)
    {
        var today = view.AsOf.Date;
        var firstQuarter = new DateTime(today.Year, (today.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = firstQuarter.AddMonths(3 * QuarterCount);
        var anyBand = filter with { Bands = [] };
        var bandCounts = new Dictionary<Band, int> { [Band.Red] = 0, [Band.Yellow] = 0, [Band.Green] = 0 };
        var renewing = new List<AccountSummary>();
        foreach (var account in view.Accounts)
        {
            if (account.RenewalDate is not { } renewal || renewal.Date >= end || !AccountQuery.Matches(account, anyBand, view.AsOf))
            {
                continue;
            }

            bandCounts[account.Band]++;
            if (filter.Bands.Count == 0 || filter.Bands.Contains(account.Band))
            {
                renewing.Add(account);
            }
        }

        renewing.Sort(SoonestFirst);
        var overdue = new List<AccountSummary>();
        var byMonth = new List<AccountSummary>[3 * QuarterCount];
        for (var m = 0; m < byMonth.Length; m++)
        {
            byMonth[m] = [];
        }

        foreach (var account in renewing)
        {
            var day = account.RenewalDate!.Value.Date;
            if (day < today)
            {
                overdue.Add(account);
            }
            else
            {
                byMonth[(day.Year - firstQuarter.Year) * 12 + day.Month - firstQuarter.Month].Add(account);
            }
        }

        var quarters = new List<RenewalPeriod> { new("overdue", "Overdue", null, null, overdue) };
        var months = new List<RenewalPeriod>();
        for (var q = 0; q < QuarterCount; q++)
        {
            var start = firstQuarter.AddMonths(3 * q);
            var number = (start.Month - 1) / 3 + 1;
            quarters.Add(new($"{start.Year}-Q{number}", $"Q{number} {start.Year}", start, start.AddMonths(3), [.. byMonth.Skip(3 * q).Take(3).SelectMany(m => m)]));
            for (var m = 0; m < 3; m++)
            {
                var month = start.AddMonths(m);
                months.Add(new(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), month.ToString("MMM yyyy", CultureInfo.InvariantCulture),
                    month, month.AddMonths(1), byMonth[3 * q + m]));
            }
        }

        return new RenewalReport(quarters, months, bandCounts);
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

    // Soonest first, riskiest first on the same day, then the bigger MRR; the id makes the order total.
    private static int SoonestFirst(AccountSummary x, AccountSummary y)
    {
        var c = x.RenewalDate!.Value.Date.CompareTo(y.RenewalDate!.Value.Date);
        if (c == 0)
        {
            c = x.RiskRank.CompareTo(y.RiskRank);
        }

        if (c == 0)
        {
            c = y.Mrr.CompareTo(x.Mrr);
        }

        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }
}
