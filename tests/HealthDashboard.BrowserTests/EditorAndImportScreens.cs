using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// The model editor, its version history and the Import page at a laptop and a phone width, light and dark,
/// saved as screenshots to look at; each also must not scroll sideways.
/// </summary>
[Collection(ModelAppCollection.Name)]
public sealed class EditorAndImportScreens(AppFixture app)
{
    public static TheoryData<string, string, int, ColorScheme> Screens()
    {
        var data = new TheoryData<string, string, int, ColorScheme>();
        foreach (var (name, url) in new[] { ("model-editor", "/model"), ("model-versions", "/model/versions"), ("import", "/import") })
        {
            foreach (var width in new[] { 1440, 390 })
            {
                foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
                {
                    data.Add(name, url, width, scheme);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Fits_the_screen(string name, string url, int width, ColorScheme scheme)
    {
        var page = await app.NewPageAsync(width, width < 600 ? 844 : 1000, scheme);
        await app.GotoAsync(page, url);
        if (name == "model-editor")
        {
            // With a draft, so the save bar and the "was" marks show too.
            await page.Locator("[data-figure=moved-up]").WaitForAsync();
            var field = page.Locator("#weight-Recency");
            await field.FillAsync("30");
            await field.PressAsync("Tab");
            await Assertions.Expect(page.Locator(".me-savebar")).ToBeVisibleAsync();
        }

        await page.WaitForTimeoutAsync(1200); // let charts and transitions settle for the picture
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        await app.ScreenshotAsync(page, $"{name}-{width}-{scheme.ToString().ToLowerInvariant()}");
        Assert.True(overflow <= 0, $"{name} at {width} px scrolls sideways by {overflow} px");
    }
}
