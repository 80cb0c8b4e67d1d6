using HealthDashboard.Scoring;

namespace HealthDashboard.Components.Pages.Model;

/// <summary>
/// The model pages' addresses: which model is edited is in the URL (<c>?model=segment:Enterprise</c>), so a link,
/// a reload or the back button keeps it; the default model has no query.
/// </summary>
public static class ModelLinks
{
    /// <summary>The query parameter naming the model (<see cref="ModelKey.ToString"/>'s form).</summary>
    public const string Query = "model";

    /// <summary>The model a query value names: the default when absent or not a model name.</summary>
    public static ModelKey KeyOf(string? query) => ModelKey.TryParse(query, out var key) ? key : ModelKey.Default;

    /// <summary>The editor of one model.</summary>
    public static string Editor(ModelKey key) => "model" + Suffix(key, first: true);

    /// <summary>The version history of one model, at <paramref name="version"/> when given.</summary>
    public static string Versions(ModelKey key, int? version = null, int? comparedWith = null)
    {
        var path = version is { } v ? $"model/versions/{v}" : "model/versions";
        var query = Suffix(key, first: true);
        if (comparedWith is { } other)
        {
            query += (query.Length == 0 ? "?" : "&") + $"with={other}";
        }

        return path + query;
    }

    private static string Suffix(ModelKey key, bool first) =>
        key.Kind == ModelKind.Default ? "" : $"{(first ? "?" : "&")}{Query}={Uri.EscapeDataString(key.ToString())}";
}
