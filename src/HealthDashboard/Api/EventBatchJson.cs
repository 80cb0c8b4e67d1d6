using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace HealthDashboard.Api;

/// <summary>
/// Reads the body of <c>POST /api/events</c> strictly: a JSON array of objects whose fields are those of
/// usage.csv, ids and times as strings, <c>count</c> as a whole JSON number (not <c>"7"</c>, not <c>1.5</c>).
/// Every refusal names where the problem is (<c>events[3].count: ...</c>, or the byte offset for a
/// body that is not JSON at all). System.Text.Json does the parsing; only the shape rules are here, so
/// that a wrong type becomes a located message rather than the binder's bare 400.
/// </summary>
public static class EventBatchJson
{
    /// <summary>Largest body read (32 MiB: 100,000 rows of usage.csv with long ids fit).</summary>
    public const long MaxBodyBytes = 32L * 1024 * 1024;

    /// <summary>An array of flat objects needs depth 2; a little slack, then deeper nesting is refused unread.</summary>
    private const int MaxDepth = 4;

    /// <summary>A batch's row shape: the text fields and the one number field of its CSV file.</summary>
    /// <param name="Item">The name rows are located by in messages: <c>events</c> or <c>metrics</c>.</param>
    /// <param name="FileName">The CSV file the fields are those of.</param>
    /// <param name="TextFields">Fields sent as JSON strings (ids and times).</param>
    /// <param name="NumberField">The field sent as a JSON number.</param>
    /// <param name="WholeNumber">True when the number must be whole (usage's count).</param>
    public sealed record Shape(string Item, string FileName, IReadOnlyList<string> TextFields, string NumberField, bool WholeNumber)
    {
        /// <summary>The fields in the CSV file's order (number last).</summary>
        public IReadOnlyList<string> Fields { get; } = [.. TextFields, NumberField];
    }

    /// <summary><c>POST /api/events</c>: usage.csv rows.</summary>
    public static Shape Usage { get; } = new("events", "usage.csv", ["account_id", "user_id", "event_type", "timestamp"], "count", WholeNumber: true);

    /// <summary><c>POST /api/metrics</c>: metrics.csv rows.</summary>
    public static Shape Metrics { get; } = new("metrics", "metrics.csv", ["account_id", "metric", "time"], "value", WholeNumber: false);

    /// <summary>The outcome: the events, or the located problems (the first <see cref="MaxErrors"/> and a count).</summary>
    public sealed record Outcome(IReadOnlyList<ApiUsageEvent> Events, IReadOnlyList<string> Errors, int ErrorCount)
    {
        public bool Ok => ErrorCount == 0;
    }

    /// <summary>The outcome of a generic batch: each row's cells in <see cref="Shape.Fields"/> order (the number as invariant text), or the problems.</summary>
    public sealed record RowsOutcome(IReadOnlyList<string?[]> Rows, IReadOnlyList<string> Errors, int ErrorCount)
    {
        public bool Ok => ErrorCount == 0;
    }

    /// <summary>Problems listed in a refusal; more are counted.</summary>
    public const int MaxErrors = 100;

    /// <summary>Parses a whole body of usage rows.</summary>
    public static Outcome Parse(ReadOnlySpan<byte> body)
    {
        var rows = Parse(body, Usage);
        return new Outcome(
            rows.Rows.Select(r => new ApiUsageEvent(r[0], r[1], r[2], r[3], r[4] is { } count ? long.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : null)).ToList(),
            rows.Errors, rows.ErrorCount);
    }

    /// <summary>Parses a whole body of rows of <paramref name="shape"/>.</summary>
    public static RowsOutcome Parse(ReadOnlySpan<byte> body, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (FirstInvalidUtf8(body) is { } offset)
        {
            return Refused($"body: not valid UTF-8 at byte {offset}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            // The reader's message names the line and byte position (e.g. an unclosed array, NaN, depth).
            return Refused($"body: not valid JSON ({e.Message})");
        }

        using (document)
        {
            return Read(document.RootElement, shape);
        }
    }

    private static RowsOutcome Read(JsonElement root, Shape shape)
    {
        var fileRows = $"{Path.GetFileNameWithoutExtension(shape.FileName)} rows";
        if (root.ValueKind != JsonValueKind.Array)
        {
            return Refused($"body: must be a JSON array of {fileRows}, not {Describe(root)}");
        }

        var rows = new List<string?[]>(root.GetArrayLength());
        var errors = new List<string>();
        var errorCount = 0;
        void Error(string message)
        {
            if (errorCount++ < MaxErrors)
            {
                errors.Add(message);
            }
        }

        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var at = $"{shape.Item}[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error($"{at}: must be an object with the fields of {shape.FileName}, not {Describe(element)}");
                continue;
            }

            var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
            string? number = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var name = property.Name;
                var value = property.Value;
                if (!seen.Add(name))
                {
                    Error($"{at}.{Shorten(name)}: the field appears twice");
                }
                else if (shape.TextFields.Contains(name))
                {
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        texts[name] = value.GetString();
                    }
                    else if (value.ValueKind != JsonValueKind.Null)
                    {
                        Error($"{at}.{name}: must be a string, not {Describe(value)}");
                    }
                }
                else if (name == shape.NumberField)
                {
                    var kind = shape.WholeNumber ? "a whole number" : "a number";
                    if (value.ValueKind == JsonValueKind.Number && shape.WholeNumber && value.TryGetInt64(out var whole))
                    {
                        number = whole.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (value.ValueKind == JsonValueKind.Number && !shape.WholeNumber && value.TryGetDouble(out var real) && double.IsFinite(real))
                    {
                        number = real.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (value.ValueKind == JsonValueKind.Number)
                    {
                        Error($"{at}.{name}: must be {kind}, not {Shorten(value.GetRawText())}");
                    }
                    else if (value.ValueKind != JsonValueKind.Null)
                    {
                        Error($"{at}.{name}: must be {kind}, not {Describe(value)}");
                    }
                }
                else
                {
                    Error($"{at}.{Shorten(name)}: not a field of {shape.FileName} ({string.Join(", ", shape.Fields)})");
                }
            }

            rows.Add([.. shape.TextFields.Select(f => texts.GetValueOrDefault(f)), number]);
        }

        return new RowsOutcome(errorCount == 0 ? rows : [], errors, errorCount);
    }

    /// <summary>The byte offset of the first byte that is not part of valid UTF-8, or null when all is valid.</summary>
    internal static long? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }

        var chars = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            long offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(bytes, chars, out var read, out _, replaceInvalidSequences: false);
                offset += read;
                if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData)
                {
                    return offset;
                }

                bytes = bytes[read..];
                if (status == OperationStatus.Done)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static RowsOutcome Refused(string message) => new([], [message], 1);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Shorten(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Long values are cut, so a hostile field cannot flood the answer.</summary>
    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 40 ? oneLine : string.Concat(oneLine.AsSpan(0, 37), "...");
    }

    /// <summary>Reads the request body into memory, refusing (null) once it passes <see cref="MaxBodyBytes"/>.</summary>
    internal static async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
