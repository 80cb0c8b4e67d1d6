namespace HealthDashboard.BrowserTests;

[Collection(AppCollection.Name)]
public sealed class SmokeTests(AppFixture app)
{
    [Fact]
    public async Task Status_reports_the_pinned_as_of_time_and_the_demo_accounts()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var body = await http.GetStringAsync("/status");
        Assert.Contains(app.AsOf[..10], body, StringComparison.Ordinal);
        Assert.Matches("\"accounts\":[1-9][0-9]+", body);
    }
}
