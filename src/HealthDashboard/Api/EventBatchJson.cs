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

    private static readonly string[] TextFields = ["account_id", "user_id", "event_type", "timestamp"];
    private const string CountField = "count";

    /// <summary>The outcome: the events, or the located problems (the first <see cref="MaxErrors"/> and a count).</summary>
    public sealed record Outcome(IReadOnlyList<ApiUsageEvent> Events, IReadOnlyList<string> Errors, int ErrorCount)
    {
        public bool Ok => ErrorCount == 0;
    }

    /// <summary>Problems listed in a refusal; more are counted.</summary>
    public const int MaxErrors = 100;

    /// <summary>Parses a whole body.</summary>
    public static Outcome Parse(ReadOnlySpan<byte> body)
    {
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
            return Read(document.RootElement);
        }
    }

    private static Outcome Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return Refused($"body: must be a JSON array of usage rows, not {Describe(root)}");
        }

        var events = new List<ApiUsageEvent>(root.GetArrayLength());
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
            var at = $"events[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error($"{at}: must be an object with the fields of usage.csv, not {Describe(element)}");
                continue;
            }

            var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
            long? count = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var name = property.Name;
                var value = property.Value;
                if (!seen.Add(name))
                {
                    Error($"{at}.{Shorten(name)}: the field appears twice");
                }
                else if (TextFields.Contains(name))
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
                else if (name == CountField)
                {
                    if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var whole))
                    {
                        count = whole;
                    }
                    else if (value.ValueKind == JsonValueKind.Number)
                    {
                        Error($"{at}.count: must be a whole number, not {Shorten(value.GetRawText())}");
                    }
                    else if (value.ValueKind != JsonValueKind.Null)
                    {
                        Error($"{at}.count: must be a whole number, not {Describe(value)}");
                    }
                }
                else
                {
                    Error($"{at}.{Shorten(name)}: not a field of usage.csv (account_id, user_id, event_type, timestamp, count)");
                }
            }

            events.Add(new ApiUsageEvent(
                texts.GetValueOrDefault("account_id"), texts.GetValueOrDefault("user_id"), texts.GetValueOrDefault("event_type"),
                texts.GetValueOrDefault("timestamp"), count));
        }

        return new Outcome(errorCount == 0 ? events : [], errors, errorCount);
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

    private static Outcome Refused(string message) => new([], [message], 1);

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
