using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// Every page in light and dark mode, as a keyboard and screen-reader user and at three screen widths:
/// axe-core finds no critical or serious violation, nothing overflows sideways, and a screenshot of each
/// is written under artifacts/screenshots for a person to look at.
/// </summary>
/// <remarks>
/// axe-core comes from the Deque.AxeCore.Playwright NuGet package, which embeds the axe-core script: it is
/// restored with the other packages and injected by Playwright, so nothing is downloaded when the tests run
/// and no npm step is needed for a .NET test project.
/// </remarks>
[Collection(AppCollection.Name)]
public sealed class PageAuditTests(AppFixture app)
{
    /// <summary>The admin pages among <see cref="Pages"/>: checked for fit at laptop sizes only.</summary>
    private static readonly string[] AdminPages = ["team", "api-keys", "audit", "playbooks"];

    /// <summary>Every page of the dashboard: a name for the screenshot, its URL and what shows it is drawn.</summary>
    public static TheoryData<string, string, string> Pages => new()
    {
        { "portfolio", "/", "section[aria-label='Top accounts at risk'] a" },
        { "accounts", "/accounts", ".hd-accounts-grid tbody tr" },
        { "account", AccountUrl, "[data-testid=breakdown]" },
        { "users", "/users", ".hd-users-grid tbody tr" },
        { "model-editor", "/model", ".me-bands-table tr[data-band=red]" },
        { "model-versions", "/model/versions", "h1" },
        { "backtest", "/backtest", "[data-table=churned] tbody tr" },
        { "import", "/import", "h1" },
        { "team", "/admin/team", "h1" },
        { "api-keys", "/admin/api-keys", "h1" },
        { "audit", "/admin/audit", "h1" },
        { "playbooks", "/admin/playbooks", "[data-testid=playbook-form]" },
        { "not-found", "/no-such-page", "h1" },
    };

    // axe lists every node of every rule that passed too (thousands on the bigger pages), all of which Playwright
    // serializes back; only violations are read here, so the other lists keep one node per rule.
    private static readonly AxeRunOptions ViolationsOnly = new() { ResultTypes = [ResultType.Violations] };

    // Moderate in axe's grading, but the structure screen-reader users navigate by: one main, one banner,
    // one h1 and headings in order.
    private static readonly HashSet<string> StructureRules =
        ["landmark-one-main", "landmark-no-duplicate-banner", "landmark-no-duplicate-main", "page-has-heading-one", "heading-order", "landmark-unique"];

    // The riskiest demo account has users, tickets and history: the fullest account page.
    private const string AccountUrl = "/accounts?first";

    /// <summary>
    /// Each page in light and dark mode at a laptop's two sizes and a phone's, each opened afresh as a user would: axe
    /// at the larger laptop size (the phone's layout is checked for fit), nothing cut off at any size, and a screenshot
    /// of each. One test for both checks, as they grade the same page opens (the browser tests' longest part: on
    /// 2026-12-02, separate accessibility opens took 217 s of a 23.6-minute run), in one tab (see <see cref="LookAsync"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_is_accessible_and_fits_a_laptop_and_a_phone_in_light_and_dark_mode(string name, string url, string ready)
    {
        var problems = new List<string>();
        var page = await app.NewPageAsync();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var (width, height) in new[] { (1440, 900), (1280, 720), (390, 844) })
            {
                await LookAsync(page, scheme, width, height);
                await OpenAsync(page, url, ready);
                if (width == 1440)
                {
                    problems.AddRange(await SeriousViolationsAsync(page, $"{scheme}"));
                }

                if (await page.Locator(".hd-chart").CountAsync() > 0)
                {
                    await DrawEveryChartAsync(page);
                }

                var overflow = await page.EvaluateAsync<string[]>(OverflowScript);
                // The admin tables (team, keys, audit) scroll inside their own card on a phone; every page a CS or
                // product manager uses must fit a phone without that.
                if (width >= 600 || !AdminPages.Contains(name))
                {
                    problems.AddRange(overflow.Select(o => $"{width}x{height} {scheme}: {o}"));
                }
                await app.ScreenshotAsync(page, $"{name}-{width}-{scheme.ToString().ToLowerInvariant()}");
            }
        }

        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, $"{name}: {problems.Count} problem(s)\n" + string.Join("\n", problems));
    }

    /// <summary>The pages around signing in (their own layout, no app shell): a name, the URL and who opens it.</summary>
    public static TheoryData<string, string, string?> SignInPages => new()
    {
        { "signin", "/signin", null },
        { "change-password", "/me/password", HealthDashboard.Identity.Roles.CSManager },
        { "denied", "/denied", HealthDashboard.Identity.Roles.ProductManager },
    };

    [Theory]
    [MemberData(nameof(SignInPages))]
    public async Task Sign_in_page_has_no_serious_accessibility_violation_and_fits_a_phone(string name, string url, string? role)
    {
        var problems = new List<string>();
        var page = await app.NewPageAsync(role);
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var (width, height) in new[] { (1280, 720), (390, 844) })
            {
                await LookAsync(page, scheme, width, height);
                await app.GotoAsync(page, url);
                await page.Locator("main h1").WaitForAsync();
                problems.AddRange(await SeriousViolationsAsync(page, $"{width} {scheme}"));
                problems.AddRange((await page.EvaluateAsync<string[]>(OverflowScript)).Select(o => $"{width}x{height} {scheme}: {o}"));
                await app.ScreenshotAsync(page, $"{name}-{width}-{scheme.ToString().ToLowerInvariant()}");
            }
        }

        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, $"{name}: {problems.Count} problem(s)\n" + string.Join("\n", problems));
    }

    /// <summary>axe's critical and serious violations on the page as it is, and the structure rules', each with up to five of its nodes, prefixed by <paramref name="look"/>.</summary>
    private static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page, string look)
    {
        var result = await page.RunAxe(ViolationsOnly);
        return result.Violations
            .Where(v => v.Impact is "critical" or "serious" || StructureRules.Contains(v.Id))
            .Select(v => $"{look}: {v.Id} ({v.Impact}) {v.Help}\n    " + string.Join("\n    ", v.Nodes.Take(5).Select(n => n.Target + " " + n.Html)));
    }

    /// <summary>
    /// The system scheme and the window size for the next open of the page in this tab. Each open is a new navigation,
    /// so the server renders the page and the layout reads the scheme and size from the start, as on a first visit; one
    /// tab for all of a page's looks, because a new browser context for each cost about 0.9 s more per look on a slow
    /// machine (2026-12-02).
    /// </summary>
    private static async Task LookAsync(IPage page, ColorScheme scheme, int width, int height)
    {
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
        await page.SetViewportSizeAsync(width, height);
    }

    /// <summary>
    /// Scrolls through the page so every chart is drawn (they draw when they come near the viewport, and a full-page
    /// screenshot does not scroll), back to the top, and lets them animate in. Only the screenshots need it: a chart
    /// that stays undrawn after 5 s (an empty one, a busy machine) leaves a gap in the picture, not a failure.
    /// </summary>
    private static async Task DrawEveryChartAsync(IPage page)
    {
        await page.EvaluateAsync("""
            async () => {
              const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
              for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) { scrollTo(0, y); await frame(); }
              scrollTo(0, 0);
            }
            """);
        try
        {
            await page.WaitForFunctionAsync(
                "() => [...document.querySelectorAll('.hd-chart-canvas')].every(c => c.querySelector('.apexcharts-canvas'))",
                null, new PageWaitForFunctionOptions { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
        }

        await page.WaitForTimeoutAsync(800); // charts animate in (their own timers, not CSS animations)
    }

    private async Task OpenAsync(IPage page, string url, string ready)
    {
        if (url == AccountUrl)
        {
            await app.GotoAsync(page, "/accounts");
            var href = await page.Locator(".hd-accounts-grid a.hd-account-name").First.GetAttributeAsync("href");
            url = "/" + href;
        }

        await app.GotoAsync(page, url);
        await page.Locator(ready).First.WaitForAsync();
        // The layout reads the system scheme once the circuit is up.
        var dark = await page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches");
        await page.Locator(dark ? ".hd-app.hd-dark" : ".hd-app.hd-light").WaitForAsync();
        // The scheme switch starts colour transitions (MudBlazor's input labels fade over 200 ms): finish them, so the
        // audit grades the colours the page settles on, not a frame in between (a dark-mode label was caught mid-fade).
        await page.EvaluateAsync("() => document.getAnimations().forEach(a => { try { a.finish(); } catch { /* infinite: a spinner */ } })");
    }

    // The document does not scroll sideways, and no table cell or card is cut off by its scroll container.
    private const string OverflowScript = """
        () => {
          const found = [];
          const doc = document.documentElement;
          if (doc.scrollWidth > doc.clientWidth + 1) found.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
          for (const el of document.querySelectorAll('.mud-table-container, .hd-card, main')) {
            if (el.scrollWidth > el.clientWidth + 1) {
              const where = el.closest('[data-testid]')?.dataset.testid ?? el.parentElement?.className ?? '';
              found.push(`${el.className.split(' ')[0] || el.tagName} in ${where}: ${el.scrollWidth} > ${el.clientWidth}`);
            }
          }
          return found;
        }
        """;
}
