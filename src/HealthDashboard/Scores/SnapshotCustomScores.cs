using System.Buffers;
using System.Text;
using System.Text.Json;
using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>
/// The custom indicators of one snapshot row, as the <c>Snapshots.CustomScores</c> text column holds them on both
/// engines: a JSON object keyed by indicator key, in the account's model's order, each entry
/// <c>[score, metric value, metric time in ticks]</c>, or <c>null</c> when the indicator was missing (no metric row
/// within its maximum age). A row whose model had no custom indicator stores SQL NULL, so the column costs nothing
/// without them. One text column rather than a child table: the back-fill writes it in the same bulk statement as
/// the rest of the row (a child table would add a row per indicator per account per day), and readers only ever
/// want a row's indicators together.
/// </summary>
public static class SnapshotCustomScores
{
    private static readonly IReadOnlyDictionary<string, StoredCustomScore> None = new Dictionary<string, StoredCustomScore>();

    /// <summary>A row without custom indicators.</summary>
    public static IReadOnlyDictionary<string, StoredCustomScore> Empty => None;

    /// <summary>Local account <paramref name="account"/>'s custom indicators in its model's order (empty when its model has none).</summary>
    public static IReadOnlyDictionary<string, StoredCustomScore> Of(PortfolioScores scores, int account)
    {
        var group = scores.GroupOf(account);
        var customs = group.Model.CustomIndicators;
        if (customs.Count == 0)
        {
            return None;
        }

        var result = new Dictionary<string, StoredCustomScore>(customs.Count, StringComparer.Ordinal);
        for (var i = 0; i < customs.Count; i++)
        {
            var column = group.CustomColumns[i];
            result[customs[i].Key] = new StoredCustomScore(scores.CustomValue(account, column), scores.CustomReading(account, column));
        }

        return result;
    }

    /// <summary>
    /// The column's text for local account <paramref name="account"/>, null when its model has no custom indicator.
    /// <paramref name="buffer"/> is scratch space the caller keeps between rows (the back-fill writes a row per
    /// account per day).
    /// </summary>
    public static string? Write(PortfolioScores scores, int account, ArrayBufferWriter<byte> buffer) =>
        WriteUtf8(scores, account, buffer) ? Encoding.UTF8.GetString(buffer.WrittenSpan) : null;

    /// <summary>
    /// Like <see cref="Write"/>, the text left in UTF-8 in <paramref name="buffer"/> (its written span) for a bind
    /// that takes bytes; false (and nothing written) when the account's model has no custom indicator.
    /// </summary>
    public static bool WriteUtf8(PortfolioScores scores, int account, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        var group = scores.GroupOf(account);
        var customs = group.Model.CustomIndicators;
        if (customs.Count == 0)
        {
            return false;
        }

        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            var columns = scores.CustomKeys.Count;
            for (var i = 0; i < customs.Count; i++)
            {
                json.WritePropertyName(customs[i].Key);
                var cell = (account * columns) + group.CustomColumns[i];
                var (value, metric) = (scores.CustomValues[cell], scores.CustomRaw[cell]);
                if (double.IsNaN(value) && double.IsNaN(metric))
                {
                    json.WriteNullValue();
                    continue;
                }

                json.WriteStartArray();
                WriteNumberOrNull(json, value);
                WriteNumberOrNull(json, metric);
                json.WriteNumberValue(scores.CustomTicks[cell]);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return true;
    }

    /// <summary>
    /// The custom indicators of a stored row's column. NULL (a row of a model without them, or stored before they were
    /// kept) reads as none; so does text this class did not write (a hand-edited database), rather than failing the
    /// page or export that reads the row. Entries that are not numbers, or are not finite, read as missing.
    /// </summary>
    public static IReadOnlyDictionary<string, StoredCustomScore> Read(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return None;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return None;
            }

            var result = new Dictionary<string, StoredCustomScore>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = ReadEntry(property.Value);
            }

            return result;
        }
        catch (JsonException)
        {
            return None;
        }
    }

    private static StoredCustomScore ReadEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 3)
        {
            return new StoredCustomScore(null, null);
        }

        var value = NumberOrNull(entry[0]);
        var metric = NumberOrNull(entry[1]);
        var ticks = entry[2].ValueKind == JsonValueKind.Number && entry[2].TryGetInt64(out var t) && t >= DateTime.MinValue.Ticks && t <= DateTime.MaxValue.Ticks ? t : (long?)null;
        return new StoredCustomScore(value, metric is { } m && ticks is { } at ? new MetricReading(m, new DateTime(at, DateTimeKind.Utc)) : null);
    }

    private static double? NumberOrNull(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var x) && double.IsFinite(x) ? x : null;

    private static void WriteNumberOrNull(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
