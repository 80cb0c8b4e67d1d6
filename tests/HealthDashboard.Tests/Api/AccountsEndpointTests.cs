using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HealthDashboard.Identity;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Api;

/// <summary>
/// <c>GET /api/accounts</c>'s filters on the API test host, each against the accounts seeded here: band, segment,
/// owner, plan, renewal, q and tag (like the Accounts page and its export), combined, sorted and paged.
/// </summary>
public sealed class AccountsEndpointTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var board = host.Services.GetRequiredService<ScoreBoard>();
        if ((await board.GetAsync()).FindAccount("T3") is not null)
        {
            return;
        }

        var import = await host.Services.GetRequiredService<FolderImporter>().ImportStreamsAsync(new Dictionary<string, Stream>
        {
            ["accounts.csv"] = new MemoryStream("""
                id,name,segment,plan,mrr,owner,renewal_date,created_at
                T1,Tagged Logistics,SMB,Growth,300,Maya Chen,2026-12-01,2025-01-01
                T2,Tagged Foods,Enterprise,Business,900,Liam Ortiz,2027-06-01,2025-01-01
                T3,Plain Works,SMB,Business,500,Maya Chen,,2025-01-01

                """u8.ToArray()),
        }, "test");
        Assert.True(import.Succeeded, string.Join("; ", import.Problems));
        var tags = host.Services.GetRequiredService<TagStore>();
        Assert.Null(await tags.AddAsync(SignedInMember.CommandLine, "T1", "Maya Chen", "Expansion"));
        Assert.Null(await tags.AddAsync(SignedInMember.CommandLine, "T2", "Liam Ortiz", "expansion"));
        Assert.Null(await tags.AddAsync(SignedInMember.CommandLine, "T3", "Maya Chen", "champion left"));
        // The import asked for a re-score; wait until the board has the new accounts.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await board.GetAsync()).FindAccount("T3") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The score board never showed the seeded accounts.");
            await Task.Delay(50);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    // Sorted by name: Plain Works (T3), Tagged Foods (T2), Tagged Logistics (T1).
    [InlineData("tag=expansion", "T2,T1")]
    [InlineData("tag=EXPANSION&segment=SMB", "T1")]
    [InlineData("tag=champion%20left", "T3")]
    [InlineData("tag=nobody-has-this", "")]
    [InlineData("segment=SMB", "T3,T1")]
    [InlineData("owner=maya%20chen", "T3,T1")]
    [InlineData("plan=Business", "T3,T2")]
    [InlineData("q=tagged", "T2,T1")]
    [InlineData("renewal=30", "T1")]
    public async Task Each_filter_narrows_the_list_to_the_matching_accounts(string query, string expected)
    {
        var ids = (await ListAsync($"{query}&sort=name")).Items.Select(a => a.GetProperty("id").GetString()).Where(id => id!.StartsWith('T'));

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), ids);
    }

    [Fact]
    public async Task The_band_filter_returns_exactly_the_accounts_of_that_band()
    {
        var all = (await ListAsync("size=100")).Items;
        foreach (var band in new[] { "red", "yellow", "green" })
        {
            var filtered = await ListAsync($"band={band}&size=100");
            Assert.Equal(all.Where(a => a.GetProperty("band").GetString() == band).Select(Id).Order(), filtered.Items.Select(Id).Order());
            Assert.Equal(filtered.Items.Count, filtered.Total);
        }
    }

    [Fact]
    public async Task Tag_filtered_results_are_sorted_and_paged_like_any_other()
    {
        var first = await ListAsync("tag=expansion&sort=mrr&desc=true&size=10&page=1");

        Assert.Equal(2, first.Total);
        Assert.Equal(["T2", "T1"], first.Items.Select(Id));
        // A page past the end is the last page, as on the Accounts page.
        using var http = host.Client(host.ReadKey);
        var past = await http.GetFromJsonAsync<JsonElement>("/api/accounts?tag=expansion&size=10&page=2");
        Assert.Equal((1, 2), (past.GetProperty("page").GetInt32(), past.GetProperty("items").GetArrayLength()));
    }

    [Theory]
    [InlineData("tag=", "tag: not a tag (1 to 40 characters)")]
    [InlineData("tag=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "tag: not a tag (1 to 40 characters)")]
    [InlineData("tag=a&tag=b", "tag: given 2 times; give it once")]
    public async Task A_bad_tag_is_answered_400_with_what_is_wrong(string query, string expected)
    {
        using var http = host.Client(host.ReadKey);

        var response = await http.GetAsync($"/api/accounts?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Select(e => e.GetString());
        Assert.Contains(expected, errors);
    }

    private static string Id(JsonElement account) => account.GetProperty("id").GetString()!;

    private async Task<(int Total, IReadOnlyList<JsonElement> Items)> ListAsync(string query)
    {
        using var http = host.Client(host.ReadKey);
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/accounts?{query}");
        return (page.GetProperty("total").GetInt32(), [.. page.GetProperty("items").EnumerateArray()]);
    }
}
