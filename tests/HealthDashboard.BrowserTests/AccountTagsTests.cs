using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>Tags on the account page: the owner adds one, it shows as a chip for everyone, a product manager cannot change them.</summary>
[Collection(AppCollection.Name)]
public sealed class AccountTagsTests(AppFixture app)
{
    [Fact]
    public async Task The_accounts_owner_tags_it_and_a_product_manager_sees_the_chip_without_controls()
    {
        var admin = await app.NewPageAsync();
        await app.GotoAsync(admin, "/accounts/ACC-0001");
        // On a busy machine the circuit can replace the prerendered input after the text went in: type again until
        // the interactive field holds it (the add button turns enabled).
        var add = admin.Locator("[data-testid=tag-add]");
        for (var attempt = 0; attempt < 5 && !await add.IsEnabledAsync(); attempt++)
        {
            await admin.Locator("#tag-input").FillAsync("Expansion 2027");
            await admin.WaitForTimeoutAsync(500);
        }

        await add.ClickAsync();
        var chip = admin.Locator("[data-testid=tag][data-tag='Expansion 2027']");
        await Assertions.Expect(chip).ToBeVisibleAsync();
        await app.ScreenshotAsync(admin, "account-tags");

        var pm = await app.NewPageAsync(HealthDashboard.Identity.Roles.ProductManager);
        await app.GotoAsync(pm, "/accounts/ACC-0001");
        await Assertions.Expect(pm.Locator("[data-testid=tag][data-tag='Expansion 2027']")).ToBeVisibleAsync();
        await Assertions.Expect(pm.Locator("#tag-input")).ToHaveCountAsync(0);

        // Removing it leaves the demo as it was (and is audited).
        await chip.Locator("button, .mud-chip-close-button").First.ClickAsync();
        await Assertions.Expect(chip).ToHaveCountAsync(0);
        await Assertions.Expect(pm.Locator("[data-testid=tag]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }
}
