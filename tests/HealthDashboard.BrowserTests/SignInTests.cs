using HealthDashboard.Identity;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>Signing in, what each role sees, lock-out and sign-out, in Debian's Chromium.</summary>
[Collection(AppCollection.Name)]
public sealed class SignInTests(AppFixture app)
{
    [Fact]
    public async Task An_anonymous_visitor_lands_on_the_sign_in_page_in_the_products_look_and_returns_where_they_were_going()
    {
        var page = await app.NewPageAsync(role: null);
        await page.GotoAsync("/accounts?band=red");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Assertions.Expect(page.Locator(".signin-brand-name")).ToHaveTextAsync("HealthDashboard");
        await app.ScreenshotAsync(page, "signin");

        var (email, password) = AppFixture.Members[Roles.CSManager];
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/accounts", StringComparison.Ordinal));
        Assert.Contains("band=red", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(Roles.Admin, true, true)]
    [InlineData(Roles.CSManager, false, false)]
    [InlineData(Roles.ProductManager, false, false)]
    public async Task Each_role_sees_only_the_links_it_may_use(string role, bool import, bool admin)
    {
        var page = await app.NewPageAsync(role);
        await app.GotoAsync(page, "/");
        await Assertions.Expect(page.Locator(".hd-user-role")).ToHaveTextAsync(Roles.Label(role));
        await Assertions.Expect(page.Locator("nav a[href='import']")).ToHaveCountAsync(import ? 1 : 0);
        await Assertions.Expect(page.Locator("nav a[href='admin/team']")).ToHaveCountAsync(admin ? 1 : 0);
        await Assertions.Expect(page.Locator("nav a[href='model']")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_cs_manager_opens_on_my_accounts_and_sees_all_in_one_click()
    {
        var page = await app.NewPageAsync(Roles.CSManager, 1440, 1000);
        await app.GotoAsync(page, "/accounts");
        // The circuit's first render writes the default scope into the address bar with history.replaceState: poll the
        // address (a wait for a navigation timed out once in a full run), and say what the page showed if it never comes.
        await app.ExplainTimeoutAsync(page, "my accounts in the address bar",
            () => Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]mine=1")));
        await Assertions.Expect(page.Locator("[data-testid=scope-mine]")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Locator(".hd-accounts-grid tbody tr").First.WaitForAsync();
        // Found by its header: the column chooser and the selection column move it.
        var ownerColumn = await page.Locator(".hd-accounts-grid thead tr").First.Locator("th")
            .EvaluateAllAsync<int>("ths => ths.findIndex(th => th.innerText.trim().startsWith('Owner')) + 1");
        Assert.True(ownerColumn > 0, "The Accounts grid has no Owner column.");
        var ownerCells = $".hd-accounts-grid tbody tr td:nth-child({ownerColumn})";
        var owners = await page.Locator(ownerCells).AllInnerTextsAsync();
        var mineCount = await page.Locator("[data-testid=count-line]").InnerTextAsync();
        await app.ScreenshotAsync(page, "accounts-my-accounts");

        await page.Locator("[data-testid=scope-all]").ClickAsync();
        // A client-side URL change (history.pushState): poll the address instead of waiting for a load event.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]mine=0"));
        await Assertions.Expect(page.Locator("[data-testid=count-line]")).Not.ToHaveTextAsync(mineCount);
        var allOwners = await page.Locator(ownerCells).AllInnerTextsAsync();
        Assert.Contains(allOwners, o => o.Trim() != "Priya Raman");

        // Back returns to my accounts; the Portfolio opens on them too.
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("[data-testid=scope-mine]")).ToHaveAttributeAsync("aria-pressed", "true");
        await app.GotoAsync(page, "/");
        await Assertions.Expect(page.Locator("[data-testid=scope-mine]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator(".hd-page-subtitle")).ToContainTextAsync("your accounts");
        await app.ScreenshotAsync(page, "portfolio-my-accounts");
        Assert.NotEmpty(owners);
        Assert.All(owners, owner => Assert.Equal("Priya Raman", owner.Trim()));
    }

    [Fact]
    public async Task A_product_manager_cannot_import_or_save_a_model_even_by_url()
    {
        var page = await app.NewPageAsync(Roles.ProductManager);
        await page.GotoAsync("/import");
        Assert.Contains("/denied", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not for your role");

        await page.GotoAsync("/admin/team");
        Assert.Contains("/denied", page.Url, StringComparison.Ordinal);

        // The model is readable; saving is refused (the button is off and the server checks the role on save).
        await app.GotoAsync(page, "/model");
        await Assertions.Expect(page.Locator(".me-readonly")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".me-save")).ToBeDisabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_says_so_and_the_fifth_locks_the_member_out()
    {
        var email = $"lockout-{Guid.NewGuid():N}@example.com";
        var (code, output, error) = await app.RunCliAsync("users", "add", email, "--role", "CSManager", "--db", app.DatabaseFile);
        Assert.True(code == 0, output + error);
        var password = output.Split('\n').Single(l => l.StartsWith("Password (shown once): ", StringComparison.Ordinal))["Password (shown once): ".Length..].Trim();

        var page = await app.NewPageAsync(role: null);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GotoAsync("/signin");
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#password").FillAsync("not-the-password-1");
            await page.Locator("button[type=submit]").ClickAsync();
            var expected = attempt < 5 ? $"{5 - attempt} attempt" : "locked";
            await Assertions.Expect(page.Locator(".auth-alert")).ToContainTextAsync(expected);
        }

        // Locked: even the right password is refused for now.
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".auth-alert")).ToContainTextAsync("locked");
        await app.ScreenshotAsync(page, "signin-locked");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_the_circuit()
    {
        var page = await app.NewPageAsync(role: null);
        var (email, password) = AppFixture.Members[Roles.ProductManager];
        await AppFixture.SignInAsync(page, email, password);
        await app.GotoAsync(page, "/accounts");

        await page.Locator(".hd-user-menu button").First.ClickAsync();
        await page.Locator("button.hd-signout").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));

        // The page that held the circuit is gone (a full load), and going back needs a new sign-in.
        await page.GotoAsync("/accounts");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_run_under_the_content_security_policy_without_violations()
    {
        var page = await app.NewPageAsync(Roles.Admin);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        var response = await page.GotoAsync("/");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.True(headers.ContainsKey("referrer-policy"));

        foreach (var url in new[] { "/", "/accounts", "/users", "/model", "/model/versions", "/import", "/admin/team", "/admin/api-keys", "/admin/audit" })
        {
            await app.GotoAsync(page, url);
            if (url.StartsWith("/admin/", StringComparison.Ordinal))
            {
                await app.ScreenshotAsync(page, "admin-" + url["/admin/".Length..]);
            }
        }

        var cli = await CliScore.ReadAsync(app);
        await app.GotoAsync(page, "/accounts/" + cli.Keys.Order(StringComparer.Ordinal).First());
        // The charts drew (apexcharts works under the policy).
        await Assertions.Expect(page.Locator(".apexcharts-canvas").First).ToBeVisibleAsync();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await page.Context.CloseAsync();
    }
}
