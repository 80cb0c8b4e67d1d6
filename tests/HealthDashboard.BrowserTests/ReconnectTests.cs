using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>What a user sees when the live connection drops: the product's own banner, and the page back when it returns.</summary>
[Collection(AppCollection.Name)]
public sealed class ReconnectTests(AppFixture app)
{
    [Fact]
    public async Task A_lost_connection_shows_the_styled_banner_and_it_goes_away_on_reconnect()
    {
        var page = await app.NewPageAsync(1280, 720);
        var refuse = false;
        IWebSocketRoute? live = null;
        // Playwright stands between the page and the server's circuit socket, so the test can cut it.
        await page.RouteWebSocketAsync(new Regex("/_blazor"), socket =>
        {
            if (refuse)
            {
                socket.CloseAsync();
                return;
            }

            live = socket;
            socket.ConnectToServer();
        });
        // While cut, the fallback transports (negotiate, long polling) fail too, so the page stays offline.
        await page.RouteAsync(new Regex("/_blazor"), route => refuse ? route.AbortAsync() : route.ContinueAsync());
        await app.GotoAsync(page, "/accounts");
        Assert.NotNull(live);

        refuse = true;
        await live!.CloseAsync();

        var banner = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(banner.Locator(".hd-reconnect-bar")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // the bar drops in
        await Assertions.Expect(banner).ToContainTextAsync(new Regex("Connection lost|Still offline"));
        var box = (await banner.Locator(".hd-reconnect-bar").BoundingBoxAsync())!;
        Assert.True(box.Y < 40 && box.Height < 90, $"The banner is a slim bar at the top, not a box in the middle: {box.Y} {box.Height}");
        await app.ScreenshotAsync(page, "reconnect-banner");

        refuse = false;
        await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 60_000 });
    }
}
