using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Queries;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 6: the Accounts page's server-side work over the shared view, and what one circuit keeps.
/// One grid load is what AccountsPage.LoadPageAsync does: AccountQuery.Run (filter, sort, page) and
/// AccountQuery.BandCounts (the filter bar's counts); it is timed for the default state (risk order,
/// first page), a sort by name and a filter (two bands, a segment and a search text).
/// </summary>
/// <remarks>
/// Memory, measured two ways, both honest about what they are:
/// <list type="bullet">
/// <item>Allocated: GC.GetAllocatedBytesForCurrentThread around one grid load: every byte it allocates,
/// almost all of it garbage at once (the list of matching rows it sorts).</item>
/// <item>Retained per circuit: what the page component keeps after a load (its filter, the page's row
/// list, the band counts; the rows themselves are the shared view's AccountSummary objects). Measured
/// by keeping the states of 1,000 simulated circuits alive and dividing the growth of the heap after
/// full collections (GC.GetTotalMemory(true)) by 1,000, less the array that holds them.</item>
/// </list>
/// The shared view (one per process, for every circuit) is measured the same way, for scale. The
/// MudBlazor grid's own render tree is not counted here: part 7 renders the real page and measures it.
/// </remarks>
public sealed class AccountsPageBench : BenchPart
{
    private const int Circuits = 1_000;

    public override int Number => 6;

    public override string Title => "Accounts page queries";

    public override Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var (view, viewBytes) = SyntheticView.Build(SyntheticPortfolio.Generate(scale.Portfolio));

        var defaultState = new AccountFilter();
        var sortedState = defaultState with { Sort = AccountSort.Name, Descending = true };
        var filteredState = defaultState with { Bands = [Band.Red, Band.Yellow], Segment = "SMB", Search = "ar" };
        Samples TimeLoads(AccountFilter filter) => Timing.Measure(scale.Warmups, scale.Runs, _ => GridLoad(view, filter));
        var defaultLoad = TimeLoads(defaultState);
        var sortedLoad = TimeLoads(sortedState);
        var filteredLoad = TimeLoads(filteredState);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        GridLoad(view, defaultState);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var accounts = view.Accounts.Count;
        GC.KeepAlive(view);
        return Task.FromResult<IReadOnlyList<Figure>>(
        [
            new(6, $"Accounts grid load, default (risk order, first page), {accounts:N0} accounts: median", defaultLoad.Median, "ms", Target.Under(200)),
            new(6, "Accounts grid load, sorted by name descending: median", sortedLoad.Median, "ms", Target.Under(200)),
            new(6, "Accounts grid load, filtered (red+yellow, SMB, search \"ar\"): median", filteredLoad.Median, "ms", Target.Under(200)),
            new(6, "Allocated by one default grid load (mostly short-lived)", allocated / 1024.0, "KB"),
            new(6, $"Retained page state per circuit (mean over {Circuits:N0})", RetainedBytesPerCircuit(view, defaultState), "bytes"),
            new(6, "Shared PortfolioView (once per process, all circuits)", viewBytes / (1024.0 * 1024.0), "MB"),
        ]);
    }

    /// <summary>The page's work for one grid load (AccountsPage.LoadPageAsync without the rendering).</summary>
    private static (AccountPage Page, IReadOnlyDictionary<Band, int> BandCounts) GridLoad(PortfolioView view, AccountFilter filter) =>
        (AccountQuery.Run(view, filter), AccountQuery.BandCounts(view, filter));

    private static double RetainedBytesPerCircuit(PortfolioView view, AccountFilter filter)
    {
        var states = new (AccountFilter Filter, IReadOnlyList<AccountSummary> Rows, IReadOnlyDictionary<Band, int> BandCounts)[Circuits];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < Circuits; i++)
        {
            // Each circuit on its own page, as different users would be.
            var state = filter with { Page = 1 + (i % 100) };
            var (page, counts) = GridLoad(view, state);
            states[i] = (state, page.Rows, counts);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(states);
        // The states array was allocated before the first reading, so the growth is the circuits' own objects.
        return (after - before) / (double)Circuits;
    }
}
