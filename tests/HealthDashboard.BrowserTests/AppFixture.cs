using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Playwright;

namespace HealthDashboard.BrowserTests;

/// <summary>
/// Starts the real dashboard (the built HealthDashboard.dll) on a free loopback port over a
/// temporary SQLite database filled by the <c>demo</c> verb, with the as-of time pinned so the
/// pages and the <c>scores</c> command line can be compared, and drives Debian's Chromium.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    /// <summary>The pinned as-of time of every score the tests read.</summary>
    public string AsOf { get; } = DateTime.UtcNow.Date.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ssZ");

    public string RepoRoot { get; } = LocalMachine.RepositoryRoot();
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("hd-browser-").FullName;
    public string DatabaseFile => Path.Combine(WorkDir, "health.db");
    public string BaseUrl { get; private set; } = "";
    public string ScreenshotDir => Path.Combine(RepoRoot, "artifacts", "screenshots");
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An API key that may read (made with the <c>api-keys add</c> verb).</summary>
    public string ReadKey { get; private set; } = "";

    /// <summary>An API key that may also post usage.</summary>
    public string IngestKey { get; private set; } = "";

    /// <summary>An ingest key that was revoked (<c>api-keys revoke</c>).</summary>
    public string RevokedKey { get; private set; } = "";

    /// <summary>Batches one key may post per minute in this app (small, so the rate-limit test reaches it).</summary>
    public int IngestPermitsPerMinute => 40;

    /// <summary>The demo members (DemoTeam), one per role: email and password.</summary>
    public static IReadOnlyDictionary<string, (string Email, string Password)> Members { get; } =
        HealthDashboard.Identity.DemoTeam.Members.ToDictionary(m => m.Role, m => (m.Email, m.Password));

    private readonly Dictionary<string, Task<string>> signedInState = [];

    private Process? server;
    private IPlaywright? playwright;
    private readonly StringBuilder serverLog = new();

    /// <summary>Path of the app's own build output, next to its static web assets manifest.</summary>
    public string AppDll => Path.Combine(AppContext.BaseDirectory, "HealthDashboard.dll");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        var (code, output, error) = await RunCliAsync("demo", "--db", DatabaseFile);
        if (code != 0)
        {
            throw new InvalidOperationException($"demo failed ({code}): {output}{error}");
        }

        ReadKey = await AddApiKeyAsync("reader", "read");
        IngestKey = await AddApiKeyAsync("ingest", "ingest");
        RevokedKey = await AddApiKeyAsync("revoked", "ingest");
        await RunCliAsync("api-keys", "revoke", "revoked", "--db", DatabaseFile);

        var port = LocalMachine.FreeLoopbackPort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppDll, "--urls", BaseUrl, "--contentRoot", RepoRoot },
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production"; // what `dotnet run` gives a user
        start.Environment["ConnectionStrings__Health"] = $"Data Source={DatabaseFile}";
        start.Environment["Scoring__AsOf"] = AsOf;
        start.Environment["Demo__SeedWhenEmpty"] = "false";
        start.Environment["Api__RateLimit__PermitLimit"] = IngestPermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Api__RateLimit__WindowSeconds"] = "60";
        // Every navigation the circuit asks for or is told of, in the log a failing navigation test reports.
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore.Components.Server.Circuits.RemoteNavigationManager"] = "Debug";
        server = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        server.OutputDataReceived += (_, e) => { lock (serverLog) { serverLog.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (serverLog) { serverLog.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        await WaitUntilScoredAsync();

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A new page in a fresh context, 1440 x 1000 unless told (width, height, light or dark system scheme), signed in as the demo admin.</summary>
    public Task<IPage> NewPageAsync(int width = 1440, int height = 1000, ColorScheme colorScheme = ColorScheme.Light) =>
        NewPageAsync(HealthDashboard.Identity.Roles.Admin, width, height, colorScheme);

    /// <summary>
    /// A new page in a fresh context signed in as the demo member of <paramref name="role"/> (null: nobody).
    /// Each role signs in once through the sign-in page; later contexts reuse its cookies.
    /// </summary>
    public async Task<IPage> NewPageAsync(string? role, int width = 1440, int height = 1000, ColorScheme colorScheme = ColorScheme.Light)
    {
        var state = role is null ? null : await SignedInStateAsync(role);
        return await NewContextPageAsync(state, width, height, colorScheme);
    }

    /// <summary>Signs in through the sign-in page as a member in <paramref name="page"/> (waits for the portfolio).</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/signin");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>An HTTP client that holds the cookie of a signed-in member (no redirects followed), for endpoint checks.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        var form = await http.GetStringAsync("/signin");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var (email, password) = Members[role];
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "signin", ["Input.Email"] = email, ["Input.Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {role} answered {(int)response.StatusCode}.");
        }

        return http;
    }

    private Task<string> SignedInStateAsync(string role)
    {
        lock (signedInState)
        {
            // A sign-in that failed (a timeout on a busy machine) is tried again by the next test, not handed to all.
            if (!signedInState.TryGetValue(role, out var state) || state.IsFaulted || state.IsCanceled)
            {
                signedInState[role] = state = SignInOnceAsync(role);
            }

            return state;
        }
    }

    private async Task<string> SignInOnceAsync(string role)
    {
        var page = await NewContextPageAsync(null, 1440, 1000, ColorScheme.Light);
        var (email, password) = Members[role];
        await SignInAsync(page, email, password);
        var state = await page.Context.StorageStateAsync();
        await page.Context.CloseAsync();
        return state;
    }

    private async Task<IPage> NewContextPageAsync(string? storageState, int width, int height, ColorScheme colorScheme)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
            AcceptDownloads = true,
            StorageState = storageState,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private async Task<string> AddApiKeyAsync(string name, string scope)
    {
        var (code, output, error) = await RunCliAsync("api-keys", "add", name, "--scope", scope, "--db", DatabaseFile);
        if (code != 0)
        {
            throw new InvalidOperationException($"api-keys add failed ({code}): {output}{error}");
        }

        return output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(HealthDashboard.Identity.ApiKeyStore.KeyPrefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Opens a page and waits until the circuit has taken it over: its interactive render replaced the prerendered
    /// component markers and the layout says it renders interactively, so clicks and typing reach the interactive
    /// components (text typed into the prerendered HTML before that is lost when the circuit renders). It does not wait
    /// for the network to go idle as well (Playwright's 500 ms without a request, on every page the tests open): the
    /// circuit's traffic is its WebSocket, which that never counted, and the circuit's first render is the signal.
    /// </summary>
    public async Task GotoAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync(
            """
            () => document.querySelector('.components-reconnect-show') === null
                && !document.documentElement.innerHTML.includes('<!--Blazor:{')
                && document.querySelector('.hd-app[data-interactive=false]') === null
            """);
    }

    /// <summary>
    /// Runs <paramref name="wait"/> (Playwright waits or expectations after a step); when it times out, fails with what
    /// the page and the app showed instead: the URL, whether Blazor's error UI or the reconnect dialog is up, and the
    /// app's last log lines (its navigations among them), and keeps a screenshot named after <paramref name="step"/>.
    /// For steps that failed now and then in full runs without a cause in sight.
    /// </summary>
    public async Task ExplainTimeoutAsync(IPage page, string step, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            var name = "timeout-" + string.Concat(step.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));
            await ScreenshotAsync(page, name);
            throw new TimeoutException(
                $"{step}: {ex.Message.Split('\n')[0]}\nStill at {page.Url}; Blazor's error UI shown: {await page.Locator("#blazor-error-ui").IsVisibleAsync()}; " +
                $"reconnect dialog shown: {await page.Locator("#components-reconnect-modal").IsVisibleAsync()}; screenshot {name}.png. " +
                $"The app's log ends:\n{ServerLogTail()}", ex);
        }
    }

    /// <summary>Saves a full-page screenshot as a test artifact.</summary>
    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    /// <summary>Runs a command-line verb of the app against the test database.</summary>
    public async Task<(int Code, string Output, string Error)> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The server's log so far, for failure messages.</summary>
    public string ServerLog
    {
        get { lock (serverLog)
            {
                return serverLog.ToString();
            }
        }
    }

    /// <summary>The server log's last <paramref name="lines"/> lines: what a failure message quotes.</summary>
    public string ServerLogTail(int lines = 80) => string.Join('\n', ServerLog.Split('\n').TakeLast(lines));

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        server?.Dispose();
        // Kept with the screenshots: failures a page only shows as a pill (a back-fill's) are explained here.
        // One file per app (the collections each start one), so a later app's log does not replace a failing one's.
        await File.WriteAllTextAsync(Path.Combine(ScreenshotDir, $"server-{Path.GetFileName(WorkDir)}.log"), ServerLog);
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying server; the temp folder is cleaned by the OS.
        }
    }

    private async Task WaitUntilScoredAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (server!.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {server.ExitCode}:\n{ServerLog}");
            }

            try
            {
                var response = await http.GetAsync("/status");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The app did not finish scoring in time:\n{ServerLog}");
    }
}

/// <summary>One app and one browser for the tests that only read (starting them is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}

/// <summary>An app of its own for tests that change the scoring model, so the readers' scores stay put.</summary>
[CollectionDefinition(Name)]
public sealed class ModelAppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "model-app";
}

/// <summary>An app of its own for the tests that set CSM overrides, so no other test meets an overridden score.</summary>
[CollectionDefinition(Name)]
public sealed class OverrideAppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "override-app";
}

/// <summary>An app of its own for the tests that add segment models and custom indicators in the editor.</summary>
[CollectionDefinition(Name)]
public sealed class SegmentAppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "segment-app";
}
