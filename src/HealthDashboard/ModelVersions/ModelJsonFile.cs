using System.Text.Json;
using System.Text.Json.Nodes;
using HealthDashboard.Scoring;

namespace HealthDashboard.ModelVersions;

/// <summary>
/// The model export file: the model as <see cref="ScoringModel.ToJson"/> writes it, wrapped with the
/// version's metadata, indented and ordered so two exports diff like code. Import reads that file or a
/// bare model.
/// </summary>
/// <example>
/// <code>
/// { "format": "healthdashboard-scoring-model", "version": 3, "savedAt": "...", "savedBy": "admin",
///   "comment": "...", "restoredFrom": null, "model": { "eventTypes": { ... }, ... } }
/// </code>
/// </example>
public static class ModelJsonFile
{
    /// <summary>The <c>format</c> marker of an export.</summary>
    public const string Format = "healthdashboard-scoring-model";

    /// <summary>
    /// The file format's version this program writes and the newest it reads: 2 added segment and onboarding
    /// models (<c>modelKey</c>, <c>onboardingDays</c>). A file without one is version 1.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>Largest file the import reads.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string[] ModelProperties = ["eventTypes", "indicatorWeights", "curvature", "windowDays", "thresholds", "onboardingDays"];

    /// <summary>A saved version as an export file.</summary>
    public static string Export(ModelVersionDetail version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var info = version.Info;
        return Write(version.Model, new JsonObject
        {
            ["modelKey"] = info.Key.ToString(),
            ["version"] = info.Version,
            ["savedAt"] = info.SavedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["savedBy"] = info.SavedBy,
            ["comment"] = info.Comment,
            ["restoredFrom"] = info.RestoredFrom,
        });
    }

    /// <summary>An unsaved draft as an export file (no version of its own; <c>basedOn</c> names the version it was edited from).</summary>
    public static string ExportDraft(ScoringModel draft, int baseVersion)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return Write(draft, new JsonObject { ["version"] = null, ["basedOn"] = baseVersion, ["comment"] = "Unsaved draft" });
    }

    /// <summary>Reads an export file or a bare model. Never throws on bad input: the result says what is wrong.</summary>
    public static ModelImport Import(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Fail("The file is empty.");
        }

        JsonNode? root;
        try
        {
            // A name given twice would make the node throw on first access (not a JsonException): refuse it here.
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            return Fail($"The file is not valid JSON: {ex.Message}");
        }

        if (root is not JsonObject file)
        {
            return Fail("The file does not hold a JSON object.");
        }

        if (file["formatVersion"] is JsonNode formatNode)
        {
            if (formatNode is not JsonValue formatValue || !formatValue.TryGetValue<int>(out var format) || format < 1)
            {
                return Fail("formatVersion must be a whole number (1 or more).");
            }

            if (format > FormatVersion)
            {
                return Fail($"The file is format version {format}, newer than this HealthDashboard reads (up to {FormatVersion}): upgrade HealthDashboard to import it.");
            }
        }

        int? sourceVersion = null;
        var modelNode = file;
        if (file["model"] is JsonObject wrapped)
        {
            modelNode = wrapped;
            if (file["version"] is JsonValue version && version.TryGetValue<int>(out var number))
            {
                sourceVersion = number;
            }
        }

        if (!ModelProperties.Any(p => modelNode.ContainsKey(p)))
        {
            return Fail("The file holds no scoring model (expected eventTypes, indicatorWeights, curvature, windowDays or thresholds).");
        }

        if (modelNode["eventTypes"] is JsonObject events && events.FirstOrDefault(e => e.Value is not JsonObject) is { Key: { } badKey })
        {
            return Fail($"Event type '{badKey}' has no settings object.");
        }

        ScoringModel model;
        try
        {
            model = ScoringModel.FromJson(modelNode.ToJsonString());
        }
        catch (JsonException ex)
        {
            return Fail($"The model could not be read: {ex.Message}");
        }

        return new ModelImport(model, model.Validate(), null, sourceVersion);
    }

    private static string Write(ScoringModel model, JsonObject header)
    {
        var file = new JsonObject { ["format"] = Format, ["formatVersion"] = FormatVersion };
        foreach (var (key, value) in header)
        {
            file[key] = value?.DeepClone();
        }

        file["model"] = JsonNode.Parse(model.ToJson());
        return file.ToJsonString(Indented);
    }

    private static ModelImport Fail(string error) => new(null, [], error, null);
}
