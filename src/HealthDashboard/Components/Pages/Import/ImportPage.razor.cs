using HealthDashboard.Identity;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;

namespace HealthDashboard.Components.Pages.Import;

/// <summary>A chosen file and the table the importer takes it for (<see cref="ImportFiles.Find"/>); null: not an import file.</summary>
/// <param name="File">The file as the browser gave it.</param>
/// <param name="Table">The import file it is read as, e.g. <c>usage.csv</c> for <c>usage-2026-11-29.csv</c>.</param>
/// <param name="SameTableAs">Another chosen file taken for the same table (the import would refuse both), else null.</param>
public sealed record ChosenFile(IBrowserFile File, ImportFileSpec? Table, string? SameTableAs);

/// <summary>
/// Upload of CSV exports through the shared <see cref="FolderImporter"/>: the same all-or-nothing
/// import as the command line, with its problem list shown here. The page says which file it takes for
/// which table before importing; after a successful import it waits for the score board's re-score and
/// says which accounts changed band.
/// </summary>
public sealed partial class ImportPage : IDisposable
{
    /// <summary>Largest file accepted from the browser.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    private const int MaxFiles = 10;

    private List<ChosenFile> selected = [];
    private ImportResult? result;
    private IReadOnlyDictionary<string, string> sourceNames = new Dictionary<string, string>();
    private ImportBandMoves? bandMoves;
    private PortfolioView? scoresBefore;
    private int? awaitedBatch;
    private string? selectionError;
    private bool importing;
    private bool dragging;
    private bool disposed;
    private int historyVersion;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private FolderImporter Importer { get; set; } = default!;

    [Inject]
    private ScoreBoard Board { get; set; } = default!;

    [Inject]
    private ILogger<ImportPage> Logger { get; set; } = default!;

    private int ImportableCount => selected.Count(f => f.Table is not null);

    private bool HasTwoFilesForOneTable => selected.Any(f => f.SameTableAs is not null);

    /// <inheritdoc />
    protected override void OnInitialized() => Board.Changed += OnBoardChanged;

    private void OnFilesSelected(InputFileChangeEventArgs args)
    {
        dragging = false;
        result = null;
        bandMoves = null;
        selectionError = null;
        if (args.FileCount > MaxFiles)
        {
            selectionError = $"Choose at most {MaxFiles} files at a time (you chose {args.FileCount}).";
            selected = [];
            return;
        }

        var files = args.GetMultipleFiles(MaxFiles);
        var tooLarge = files.FirstOrDefault(f => f.Size > MaxFileBytes);
        if (tooLarge is not null)
        {
            selectionError = $"{tooLarge.Name} is larger than {SizeOf(MaxFileBytes)}: import it with the command line (import DIR).";
            selected = [];
            return;
        }

        selected = Recognise(files);
    }

    /// <summary>Each file with its table, by the importer's own rule, and any other file taken for the same table.</summary>
    internal static List<ChosenFile> Recognise(IReadOnlyList<IBrowserFile> files)
    {
        var tables = files.Select(f => ImportFiles.Find(f.Name)).ToList();
        return files.Select((file, i) => new ChosenFile(
            file,
            tables[i],
            tables[i] is { } table ? files.Where((other, j) => j != i && tables[j] == table).Select(other => other.Name).FirstOrDefault() : null)).ToList();
    }

    private void Clear()
    {
        selected = [];
        selectionError = null;
    }

    private async Task ImportAsync()
    {
        if (HasTwoFilesForOneTable)
        {
            return;
        }

        importing = true;
        // Names as given: the importer tells "Usage.csv and usage.csv" apart and names both in its refusal.
        var streams = new Dictionary<string, Stream>(StringComparer.Ordinal);
        try
        {
            foreach (var file in selected.Where(f => f.Table is not null))
            {
                streams[file.File.Name] = file.File.OpenReadStream(MaxFileBytes);
            }

            if (streams.Count == 0)
            {
                selectionError = "None of the chosen files is an import file: their names start with accounts, users, usage, event_types, tickets, surveys or revenue (see Expected files).";
                return;
            }

            scoresBefore = Board.Current;
            sourceNames = selected.Where(f => f.Table is not null).ToDictionary(f => f.Table!.Name, f => f.File.Name, StringComparer.Ordinal);
            bandMoves = null;
            result = await Importer.ImportStreamsAsync(streams, "upload", (await SignedInMember.OfAsync(AuthenticationState)).Actor);
            historyVersion++;
            if (result is { Succeeded: true, BatchId: { } batch })
            {
                selected = [];
                // The re-score was asked for by the importer; its view tells which bands moved.
                awaitedBatch = batch;
                CheckRescored(Board.Current);
            }
        }
        catch (IOException ex)
        {
            // The browser went away or the upload broke off: nothing was committed.
            Logger.LogWarning(ex, "Upload failed");
            selectionError = $"The upload broke off ({ex.Message}); nothing was imported.";
        }
        finally
        {
            foreach (var stream in streams.Values)
            {
                await stream.DisposeAsync();
            }

            importing = false;
        }
    }

    private void OnBoardChanged(PortfolioView view) => _ = InvokeAsync(() =>
    {
        if (!disposed && CheckRescored(view))
        {
            StateHasChanged();
        }
    });

    /// <summary>Once the board has scored the awaited import, compares the bands; true when it did.</summary>
    private bool CheckRescored(PortfolioView? view)
    {
        if (awaitedBatch is not { } batch || view is null || Board.ScoredStoreVersion.ImportBatch < batch)
        {
            return false;
        }

        awaitedBatch = null;
        bandMoves = ImportBandMoves.Between(scoresBefore, view);
        scoresBefore = null;
        return true;
    }

    private static string SizeOf(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / 1024.0 / 1024.0:0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} B",
    };

    /// <inheritdoc />
    public void Dispose()
    {
        disposed = true;
        Board.Changed -= OnBoardChanged;
    }
}
