using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CsCheck;

namespace HealthDashboard.FuzzTests;

/// <summary>
/// <c>POST /api/events</c> of the whole app fed the hostile corpus and mutations of it: never a 500; a
/// success, or RFC 9457 problem details whose every error names where (<c>body:</c>, <c>events[i]</c>,
/// <c>batch:</c>); and a refused batch leaves the stored data exactly as it was.
/// </summary>
public sealed class ApiBatchFuzzTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly IReadOnlyList<(string Name, byte[] Bytes)> Corpus = Fuzz.Corpus("api");

    // Written in the background whatever the batch: snapshots and their day stamps, the alerts they raise, key use.
    private static readonly string[] DerivedTables = ["Snapshots", "SnapshotDays", "Alerts", "ApiKeys"];

    [Fact]
    public async Task Hostile_and_mutated_batches_are_accepted_or_refused_with_located_problems_and_nothing_stored()
    {
        using var http = host.Client(host.IngestKey);

        await Fuzz.Mutated(Corpus).SampleAsync(async bytes =>
        {
            // The score cache is written by the app's own background scorer, and a key's last-used time by every
            // call, refused or not; the snapshot back-fill and the alerts it raises run in the background: compare the data only.
            var before = await DatabaseChecksum.OfFileAsync(host.DatabaseFile, DerivedTables);
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

            using var response = await http.PostAsync("/api/events", content);

            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
            if (problem.TryGetProperty("errors", out var errors))
            {
                Assert.NotEqual(0, errors.GetArrayLength());
                Assert.All(errors.EnumerateArray(), e =>
                {
                    var error = e.GetString()!;
                    Assert.True(error.StartsWith("body: ", StringComparison.Ordinal) || error.StartsWith("events[", StringComparison.Ordinal)
                        || error.StartsWith("batch: ", StringComparison.Ordinal), error);
                });
            }

            Assert.Equal(before, await DatabaseChecksum.OfFileAsync(host.DatabaseFile, DerivedTables));
        }, iter: Fuzz.Iterations, threads: 1, seed: Fuzz.Seed, print: b => Convert.ToHexString(b.AsSpan(0, Math.Min(b.Length, 200))));
    }
}
