using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    public string RepoRoot { get; } = FindRepoRoot();
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("hd-browser-").FullName;
    public string DatabaseFile => Path.Combine(WorkDir, "health.db");
    public string BaseUrl { get; private set; } = "";
    public string ScreenshotDir => Path.Combine(RepoRoot, "artifacts", "screenshots");
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An API key that may read.</summary>
    public string ReadKey { get; } = "read-" + Guid.NewGuid().ToString("N");

    /// <summary>An API key that may also post usage.</summary>
    public string IngestKey { get; } = "ingest-" + Guid.NewGuid().ToString("N");

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

        var port = FreePort();
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
        start.Environment["Api__Keys__0__Name"] = "reader";
        start.Environment["Api__Keys__0__Key"] = ReadKey;
        start.Environment["Api__Keys__1__Name"] = "ingest";
        start.Environment["Api__Keys__1__Key"] = IngestKey;
        start.Environment["Api__Keys__1__Ingest"] = "true";
        server = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        server.OutputDataReceived += (_, e) => { lock (serverLog) serverLog.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (serverLog) serverLog.AppendLine(e.Data); };
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

    /// <summary>A new page in a fresh context, 1440 x 1000 unless told (width, height, light or dark system scheme).</summary>
    public async Task<IPage> NewPageAsync(int width = 1440, int height = 1000, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>
    /// Opens a page and waits until the network is idle: the prerendered HTML is shown, the circuit is
    /// connected and its first renders are in, so clicks and typing reach the interactive components.
    /// </summary>
    public async Task GotoAsync(IPage page, string url)
    {
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.WaitForFunctionAsync("() => document.querySelector('.components-reconnect-show') === null");
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
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The server's log so far, for failure messages.</summary>
    public string ServerLog
    {
        get { lock (serverLog) return serverLog.ToString(); }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        server?.Dispose();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthDashboard.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("HealthDashboard.sln not found above the test folder.");
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
