using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HealthDashboard.Api;
using HealthDashboard.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Api;

/// <summary>
/// <c>POST /api/events</c> against the whole app: every malformed body is a located RFC 9457 refusal
/// (never a 500 or a bare 400), the key is checked before the body is read, the size limit holds
/// before the body is read whole, a retried batch with an Idempotency-Key is stored once, and a
/// locked database is a 503 with Retry-After.
/// </summary>
public sealed class EventsEndpointTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string GoodRow = """{"account_id":"A1","event_type":"login","timestamp":"2024-01-05T10:00:00Z"}""";

    public static TheoryData<string, string> BadBodies => new()
    {
        { "[null]", "events[0]: must be an object with the fields of usage.csv, not null" },
        { "[1]", "events[0]: must be an object with the fields of usage.csv, not the number 1" },
        { "{}", "body: must be a JSON array of usage rows, not an object" },
        { "\"events\"", "body: must be a JSON array of usage rows, not the string \"events\"" },
        { "null", "body: must be a JSON array of usage rows, not null" },
        { $"[{GoodRow},[]]", "events[1]: must be an object with the fields of usage.csv, not an array" },
        { """[{"account_id":"A1","event_type":"login","timestamp":"2024-01-05","count":"7"}]""", "events[0].count: must be a whole number, not the string \"7\"" },
        { """[{"account_id":"A1","event_type":"login","timestamp":"2024-01-05","count":1.5}]""", "events[0].count: must be a whole number, not 1.5" },
        { """[{"account_id":"A1","event_type":"login","timestamp":"2024-01-05","count":1e309}]""", "events[0].count: must be a whole number, not 1e309" },
        { """[{"account_id":"A1","event_type":"login","timestamp":"2024-01-05","count":true}]""", "events[0].count: must be a whole number, not the boolean true" },
        { """[{"account_id":7,"event_type":"login","timestamp":"2024-01-05"}]""", "events[0].account_id: must be a string, not the number 7" },
        { """[{"account_id":"A1","event_type":{"a":1},"timestamp":"2024-01-05"}]""", "events[0].event_type: must be a string, not an object" },
        { """[{"account_id":"A1","event_type":"login","timestamp":"2024-01-05","colour":"red"}]""", "events[0].colour: not a field of usage.csv" },
        { """[{"account_id":"A1","account_id":"A2","event_type":"login","timestamp":"2024-01-05"}]""", "events[0].account_id: the field appears twice" },
        { """[{"account_id":"A1","event_type":"login","timestamp":"2024-01-05","count":NaN}]""", "body: not valid JSON" },
        { "[" + new string('[', 100) + new string(']', 100) + "]", "body: not valid JSON" },
        { "[{\"account_id\":\"A1\"", "body: not valid JSON" },
        { "", "body: not valid JSON" },
        { """[{"account_id":"A404","event_type":"login","timestamp":"2024-01-05"}]""", "events[0].account_id: unknown account 'A404'" },
        { """[{"account_id":"A1","event_type":"login","timestamp":"2024-01-05","count":0}]""", "events[0].count: '0' is out of range" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_body_is_refused_with_problem_details_naming_the_element_and_field(string body, string expected)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = await ErrorsAsync(response);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_at_its_byte_offset()
    {
        var bytes = Encoding.UTF8.GetBytes("[{\"account_id\":\"A\u00e91\",\"event_type\":\"login\",\"timestamp\":\"2024-01-05\"}]");
        var offset = Array.IndexOf(bytes, (byte)0xC3);
        bytes[offset] = 0xFF;

        var response = await PostAsync(new ByteArrayContent(bytes));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"body: not valid UTF-8 at byte {offset}", await ErrorsAsync(response));
    }

    [Fact]
    public async Task A_body_declared_over_the_limit_is_answered_413_without_being_read()
    {
        var body = new CountingStream(EventBatchJson.MaxBodyBytes + 1);
        var content = new StreamContent(body);
        content.Headers.ContentLength = EventBatchJson.MaxBodyBytes + 1;

        var response = await PostAsync(content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(body.BytesRead < EventBatchJson.MaxBodyBytes / 2, $"{body.BytesRead} bytes were read");
    }

    [Fact]
    public async Task A_chunked_body_is_cut_off_with_413_once_it_passes_the_limit()
    {
        var body = new CountingStream(EventBatchJson.MaxBodyBytes * 4);

        var response = await PostAsync(new StreamContent(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(body.BytesRead < EventBatchJson.MaxBodyBytes * 2, $"{body.BytesRead} bytes were read");
    }

    [Fact]
    public async Task Without_a_key_the_answer_is_401_before_the_body_is_read()
    {
        var body = new CountingStream(EventBatchJson.MaxBodyBytes * 4);
        using var http = host.Client(null);
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await http.PostAsync("/api/events", content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(body.BytesRead < EventBatchJson.MaxBodyBytes / 2, $"{body.BytesRead} bytes were read");
    }

    [Fact]
    public async Task A_retried_batch_with_the_same_idempotency_key_is_answered_with_the_first_result_and_stored_once()
    {
        var key = Guid.NewGuid().ToString();
        const string first = """[{"account_id":"A2","event_type":"report","timestamp":"2023-03-03T03:03:03Z","count":3},{"account_id":"A2","event_type":"login","timestamp":"2023-03-03T03:03:04Z"}]""";
        // The client re-serialised the retry: different bytes, same batch.
        const string retry = """[ {"account_id":"A2","event_type":"report","timestamp":"2023-03-03T03:03:03Z","count":3}, {"account_id":"A2","event_type":"login","timestamp":"2023-03-03T03:03:04Z","count":null} ]""";

        var accepted = await PostAsync(first, key);
        var replayed = await PostAsync(retry, key);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(2, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
        Assert.Equal(2, (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<HealthDbContext>>().CreateDbContextAsync();
        var day = new DateTime(2023, 3, 3, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(2, await db.Usage.CountAsync(u => u.Timestamp >= day.Ticks && u.Timestamp < day.AddDays(1).Ticks));
        Assert.Equal(1, await db.ImportBatches.CountAsync(b => b.IdempotencyKey == key));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("k\u00e9y")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789-too-long")]
    public async Task A_malformed_idempotency_key_is_refused(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Json($"[{GoodRow}]") };
        request.Headers.TryAddWithoutValidation(ApiEndpoints.IdempotencyHeader, key);
        using var http = host.Client(host.IngestKey);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_locked_by_another_connection_answers_503_with_retry_after_and_stores_nothing()
    {
        await using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = host.DatabaseFile, Pooling = false }.ToString());
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }

        var response = await PostAsync("""[{"account_id":"A1","event_type":"login","timestamp":"2022-02-02T02:02:02Z"}]""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(DatabaseBusy.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Contains("busy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        var retried = await PostAsync("""[{"account_id":"A1","event_type":"login","timestamp":"2022-02-02T02:02:02Z"}]""");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Theory]
    [InlineData("band=purple", "band: 'purple' is not a band")]
    [InlineData("size=-1", "size: '-1' is not a page size")]
    [InlineData("size=33", "size: '33' is not a page size")]
    [InlineData("page=-5", "page: '-5' is not a whole number of at least 1")]
    [InlineData("page=two", "page: 'two' is not a whole number")]
    [InlineData("sort=colour", "sort: 'colour' is not a sort column")]
    [InlineData("renewal=99999", "renewal: '99999' is not a whole number from 0 to 3650")]
    [InlineData("bands=red", "'bands': not a parameter of /api/accounts")]
    public async Task Bad_query_parameters_on_the_account_list_are_answered_400_with_what_is_wrong(string query, string expected)
    {
        using var http = host.Client(host.ReadKey);

        var response = await http.GetAsync($"/api/accounts?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(await ErrorsAsync(response), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Good_query_parameters_are_still_answered()
    {
        using var http = host.Client(host.ReadKey);

        var response = await http.GetAsync("/api/accounts?band=red,green&size=10&page=1&sort=mrr&desc=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? idempotencyKey = null) =>
        await PostAsync(Json(body), idempotencyKey);

    private async Task<HttpResponseMessage> PostAsync(HttpContent content, string? idempotencyKey = null)
    {
        content.Headers.ContentType ??= new MediaTypeHeaderValue("application/json");
        using var http = host.Client(host.IngestKey);
        if (idempotencyKey is not null)
        {
            http.DefaultRequestHeaders.Add(ApiEndpoints.IdempotencyHeader, idempotencyKey);
        }

        return await http.PostAsync("/api/events", content);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<List<string>> ErrorsAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>A stream of <c>[</c> bytes of the given length that counts how much of it was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)'[');
            BytesRead += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
