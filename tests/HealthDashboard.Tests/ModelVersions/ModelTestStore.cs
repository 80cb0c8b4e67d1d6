using HealthDashboard.Data;
using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace HealthDashboard.Tests.ModelVersions;

/// <summary>
/// The test kit's <see cref="TestStore"/> holding <see cref="TestPortfolio"/> with its model saved as version 1,
/// the as-of clock pinned to the test as-of time and the clock at <see cref="SaveTime"/>, scored once, with
/// the product's model store and preview over it.
/// </summary>
public sealed class ModelTestStore : IAsyncDisposable
{
    /// <summary>The time every save is stamped with.</summary>
    public static readonly DateTime SaveTime = new(2026, 6, 30, 14, 5, 0, DateTimeKind.Utc);

    private readonly TestStore store;

    private ModelTestStore(TestStore store) => this.store = store;

    public FakeTimeProvider Clock => store.Clock;
    public IDbContextFactory<HealthDbContext> Factory => store.DbFactory;
    public ScoreBoard Board => store.Get<ScoreBoard>();
    public ModelStore Store => store.Get<ModelStore>();
    public ModelPreview Preview => store.Get<ModelPreview>();
    public BacktestService Backtests => store.Get<BacktestService>();

    /// <summary>The product's services over the store (for components that inject them).</summary>
    public IServiceProvider Services => store.Services;

    /// <summary>Creates the store, seeds it and starts the score board's worker, which scores it (the "saved" view) and re-scores after each save.</summary>
    public static async Task<ModelTestStore> CreateAsync(params IInterceptor[] interceptors)
    {
        var test = new ModelTestStore(await TestStore.CreateWithAsync(
            TestPortfolio.Data(), TestPortfolio.Model(), TestPortfolio.AsOf, new DateTimeOffset(SaveTime), interceptors));
        await test.store.StartScoreBoardWorkerAsync();
        return test;
    }

    /// <summary>Row counts of every table, the newest model version and the snapshots' versions, to show that something wrote nothing.</summary>
    public async Task<string> RowCountsAsync()
    {
        await using var db = await Factory.CreateDbContextAsync();
        return string.Join(", ",
            await store.CountsAsync(),
            $"versions {await db.ModelVersions.CountAsync()}",
            $"newest {await db.ModelVersions.MaxAsync(v => v.Id)}",
            $"snapshots {await db.Snapshots.CountAsync()}",
            $"snapshot versions {string.Join('/', await db.Snapshots.Select(s => s.ModelVersion).Distinct().OrderBy(v => v).ToListAsync())}");
    }

    public ValueTask DisposeAsync() => store.DisposeAsync();
}
