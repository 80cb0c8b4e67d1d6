using HealthDashboard.Data;
using HealthDashboard.Extensions;
using HealthDashboard.Scores;
using HealthDashboard.Tests.Import;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthDashboard.Tests.Scores;

/// <summary>
/// Two app instances on one PostgreSQL database: the second hears the first's import and model save within
/// seconds (LISTEN/NOTIFY, not its 5-second store check), and reads what the first protected (shared keys).
/// </summary>
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    private TestStore first = null!;
    private ServiceProvider second = null!;

    public async Task InitializeAsync()
    {
        first = await TestStore.CreateAsync(DatabaseProvider.Postgres, start: TestStore.DefaultStart);
        second = InstanceOn(first.Database);
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task An_import_and_a_model_version_made_by_one_instance_make_the_other_rescore_at_once()
    {
        var trigger = second.GetRequiredService<RescoreTrigger>();
        using var listener = new PostgresChangeListener(first.Database, trigger, NullLogger<PostgresChangeListener>.Instance);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        listener.Notified += heard.Enqueue;
        await listener.StartAsync(CancellationToken.None);
        await listener.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(await trigger.WaitAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None));

        var imported = await first.Get<HealthDashboard.Import.FolderImporter>().ImportFolderAsync(Folder(ImportData.All), "test");
        Assert.True(imported.Succeeded, string.Join("\n", imported.Problems));
        // The listener requests the re-score before it raises Notified, so a notification seen here has requested it.
        // An import's tables are notified at its commit, one by one; a busy machine hands them over a moment later.
        await Poll.UntilAsync(() => heard.Contains("ImportBatches"), "the import's notification", TimeSpan.FromSeconds(10));
        Assert.True(await trigger.WaitAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None), "the import did not request a re-score");
        heard.Clear();

        await using (var db = await first.DbAsync())
        {
            db.ModelVersions.Add(new ScoringModelVersion
            {
                Id = 99, SavedAt = TestStore.DefaultStart.UtcDateTime, SavedBy = "someone", Comment = "from the first instance",
                ModelJson = HealthDashboard.Scoring.ScoringModel.Default.ToJson(),
            });
            await db.SaveChangesAsync();
        }

        await Poll.UntilAsync(() => heard.Contains("ModelVersions"), "the model version's notification", TimeSpan.FromSeconds(10));
        Assert.True(await trigger.WaitAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None), "the model version did not request a re-score");
        await listener.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void What_one_instance_protects_the_other_reads()
    {
        using var firstProvider = InstanceOn(first.Database);

        var token = firstProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector("sign-in").Protect("member 42");

        Assert.Equal("member 42", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("sign-in").Unprotect(token));
    }

    /// <summary>Another instance: the product's own wiring over the same database, with its own services and trigger.</summary>
    private static ServiceProvider InstanceOn(StoreOptions database)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddHealthDashboardCore(database).AddSharedDataProtection();
        return services.BuildServiceProvider();
    }

    private string Folder(params (string Name, string Content)[] files)
    {
        var folder = Path.Combine(first.Directory, "import");
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), content);
        }

        return folder;
    }
}
