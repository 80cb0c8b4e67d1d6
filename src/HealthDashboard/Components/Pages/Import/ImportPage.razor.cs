using Microsoft.AspNetCore.Components.Authorization;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Import;
using HealthDashboard.Scoring;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace HealthDashboard.Components.Pages.Import;

/// <summary>
/// Upload of CSV exports through the shared <see cref="FolderImporter"/>: the same all-or-nothing
/// import as the command line, with its problem list shown here. After a successful import the
/// score board re-scores (with history) and every open page updates.
/// </summary>
public sealed partial class ImportPage
{
    /// <summary>Largest file accepted from the browser.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    private const int MaxFiles = 10;

    private List<IBrowserFile> selected = [];
    private ImportResult? result;
    private string? selectionError;
    private bool importing;
    private bool dragging;
    private int historyVersion;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private FolderImporter Importer { get; set; } = default!;

    [Inject]
    private ILogger<ImportPage> Logger { get; set; } = default!;

    private void OnFilesSelected(InputFileChangeEventArgs args)
    {
        dragging = false;
        result = null;
        selectionError = null;
        if (args.FileCount > MaxFiles)
        {
            selectionError = $"Choose at most {MaxFiles} files at a time (you chose {args.FileCount}).";
            selected = [];
            return;
        }

        selected = args.GetMultipleFiles(MaxFiles).ToList();
        var tooLarge = selected.FirstOrDefault(f => f.Size > MaxFileBytes);
        if (tooLarge is not null)
        {
            selectionError = $"{tooLarge.Name} is larger than {SizeOf(MaxFileBytes)}: import it with the command line (import DIR).";
            selected = [];
        }
    }

    private void Clear()
    {
        selected = [];
        selectionError = null;
    }

    private async Task ImportAsync()
    {
        importing = true;
        // Names as given: the importer tells "Usage.csv and usage.csv" apart and names both in its refusal.
        var streams = new Dictionary<string, Stream>(StringComparer.Ordinal);
        try
        {
            foreach (var file in selected.Where(f => ImportFiles.Find(f.Name) is not null))
            {
                streams[file.Name] = file.OpenReadStream(MaxFileBytes);
            }

            if (streams.Count == 0)
            {
                selectionError = "None of the chosen files is an import file (see Expected files).";
                return;
            }

            result = await Importer.ImportStreamsAsync(streams, "upload", (await SignedInMember.OfAsync(AuthenticationState)).Actor);
            if (result.Succeeded)
            {
                selected = [];
                historyVersion++;
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

    private static string SizeOf(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / 1024.0 / 1024.0:0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} B",
    };
}
