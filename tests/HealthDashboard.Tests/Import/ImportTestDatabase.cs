using System.Text;
using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace HealthDashboard.Tests.Import;

/// <summary>
/// The test kit's <see cref="TestStore"/> with helpers for import tests: write import folders into it and
/// import them with the product's <see cref="FolderImporter"/> (clock at <see cref="Start"/> until a test moves it).
/// </summary>
internal sealed class ImportTestDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = TestStore.DefaultStart;

    private readonly TestStore store;
    private int folders;

    private ImportTestDatabase(TestStore store) => this.store = store;

    public string Directory => store.Directory;

    public string DatabaseFile => store.DatabaseFile;

    public FakeTimeProvider Clock => store.Clock;

    public FolderImporter Importer => store.Get<FolderImporter>();

    public IDbContextFactory<HealthDbContext> DbFactory => store.DbFactory;

    public static async Task<ImportTestDatabase> CreateAsync(DatabaseProvider engine = DatabaseProvider.Sqlite) =>
        new(await TestStore.CreateAsync(engine, start: Start));

    /// <summary>The store underneath (its engine, the command line's arguments for it).</summary>
    public TestStore Store => store;

    /// <summary>Writes the files (name, content; "\n" line ends as written) into a new folder and returns its path.</summary>
    public string Folder(params (string Name, string Content)[] files)
    {
        var folder = Path.Combine(Directory, $"folder{++this.folders}");
        System.IO.Directory.CreateDirectory(folder);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), content, new UTF8Encoding(false));
        }

        return folder;
    }

    public Task<ImportResult> ImportAsync(params (string Name, string Content)[] files) =>
        Importer.ImportFolderAsync(Folder(files), "test");

    /// <summary>Takes the pending re-score request, if any: true when an import asked the score board to re-score.</summary>
    public Task<bool> TakeRescoreRequestAsync() => store.Get<RescoreTrigger>().WaitAsync(TimeSpan.Zero, Clock, CancellationToken.None);

    public Task<HealthDbContext> DbAsync() => store.DbAsync();

    /// <summary>Row counts of the data tables, for readable assertions.</summary>
    public Task<string> CountsAsync() => store.CountsAsync();

    /// <summary>SHA-256 over every row of every table: equal exactly when the content is equal.</summary>
    public Task<string> ChecksumAsync() => store.ChecksumAsync();

    public ValueTask DisposeAsync() => store.DisposeAsync();
}
