namespace HealthDashboard.BrowserTests;

[Collection(AppCollection.Name)]
public sealed class SmokeTests(AppFixture app)
{
    [Fact]
    public async Task Status_reports_the_pinned_as_of_time_and_the_demo_accounts()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var open = await anonymous.GetStringAsync("/status");
        Assert.Contains(app.AsOf[..10], open, StringComparison.Ordinal);
        // Anonymous readiness reveals no customer data: not even how many accounts there are.
        Assert.DoesNotContain("accounts", open, StringComparison.Ordinal);

        using var http = await app.SignedInClientAsync(HealthDashboard.Identity.Roles.ProductManager);
        var body = await http.GetStringAsync("/status");
        Assert.Matches("\"accounts\":[1-9][0-9]+", body);
    }
}
