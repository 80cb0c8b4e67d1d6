using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Extensions;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.TestKit;
using Microsoft.Playwright;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 18 (issue 11's "Start-up" and "Pages at that scale"): the real app started as a process of its own
/// (<c>dotnet HealthDashboard.dll</c>, as the browser tests start it) over a copy of part 2's SQLite file (10,000
/// accounts, 10 million usage rows) that holds 30 days of snapshots and the demo team, the as-of time pinned to
/// 09:00 on the day after the data's last midnight (so the newest snapshot is current and the refresh reads the
/// window's edge days raw, as "now" does). Measured from the process start: the first page answered with scores
/// (the last snapshot's, marked refreshing) and the first full scores (<c>/status</c> 200); then every page's time in
/// headless Chromium from navigation to its content (the circuit's start included: the content selectors are drawn
/// by the interactive render, e.g. the grids' rows and the charts); and the app process's peak working set (VmHWM)
/// over all of it.
/// </summary>
public sealed class StartupBench : BenchPart
{
    private const int FullHistoryDays = 30;
    private const int QuickHistoryDays = 7;

    /// <summary>A database file's own suffix and its WAL's (the shared-memory index is rebuilt).</summary>
    private static readonly string[] DatabaseFiles = ["", "-wal"];

    public override int Number => 18;

    public override string Title => "start-up, pages and memory of the real app";

    /// <summary>The as-of time the app is pinned to: 09:00 after the data's last midnight.</summary>
    private static DateTime AppAsOf => PortfolioSpec.AsOf.AddHours(9);

    public override async Task PrepareAsync(Scale scale, TextWriter log)
    {
        var source = await SqliteDatabase.EnsureAsync(scale.Portfolio, log);
        var prepared = PreparedPath(scale);
        if (File.Exists(prepared))
        {
            return;
        }

        // Built under a temporary name and renamed at the end, so an interrupted run leaves nothing to reuse.
        var building = prepared + ".building";
        SqliteDatabase.DeleteWithSidecars(building);
        CopyWithSidecars(source, building);
        await RenameEarlierMigrationAsync(building);
        var historyDays = HistoryDays(scale);
        log.WriteLine($"  preparing {prepared}: the demo team, scores and {historyDays} days of snapshots (once)...");
        using (var app = await AppHost.OpenAsync(building, AppConfiguration(historyDays)))
        {
            await DemoTeam.EnsureAsync(app.Get<TeamService>());
            await app.Get<ScoreBoard>().RefreshAsync(rescoreHistory: false);
            await app.Get<SnapshotStore>().BackfillAsync(AppAsOf.Date);
        }

        File.Move(building, prepared);
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var runFile = Path.Combine(CacheFolder.Path, $"startup-run-{Environment.ProcessId}.db");
        SqliteDatabase.DeleteWithSidecars(runFile);
        CopyWithSidecars(PreparedPath(scale), runFile);
        var screenshots = Path.Combine(LocalMachine.RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // Debian's Chromium is the full browser in headless mode: every new tab is a window of its own that also
            // starts the omnibox popup's WebUI renderer (about 1 s of CPU per tab on this machine, as much as the page
            // itself, traced with HEALTHDASHBOARD_BENCH_TRACE). A user's browser has that window already, so it is off.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI"],
        });

        var port = LocalMachine.FreeLoopbackPort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var app = StartApp(runFile, baseUrl, HistoryDays(scale), log);
        try
        {
            // The clock starts with the process, like a user's `dotnet run` or a service restart.
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(baseUrl),
                Timeout = TimeSpan.FromMinutes(5),
            };
            using var statusClient = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
            var scoresReady = WaitForStatusAsync(statusClient, app.Started);
            await SignInAsync(http, app.Started);
            var (firstPage, firstPageRefreshing) = await FirstPageWithScoresAsync(http, app.Started);
            log.WriteLine($"  first page with scores after {firstPage:0} ms ({(firstPageRefreshing ? "the last snapshot, refreshing" : "scored")}); "
                + $"prerendered markers in its HTML: {(await http.GetStringAsync("/accounts")).Contains("<!--Blazor:{", StringComparison.Ordinal)}");

            var context = await SignedInContextAsync(browser, baseUrl);
            if (firstPageRefreshing)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(baseUrl + "/accounts");
                await page.Locator(".mud-table-body .hd-health-chip").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
                var stillRefreshing = await page.Locator("[data-testid=scores-refreshing]").CountAsync() > 0;
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "startup-accounts-refreshing.png") });
                log.WriteLine($"  screenshot of the Accounts page at start-up ({(stillRefreshing ? "still refreshing" : "already scored")})");
                await page.CloseAsync();
            }

            var firstScores = await scoresReady;
            log.WriteLine($"  first full scores after {firstScores:0} ms");
            log.WriteLine($"  {app.LogLine("Showing the") ?? "no snapshot shown"}");
            log.WriteLine($"  {app.LogLine("Scored ") ?? ""}");

            var accountPath = await FirstListedAccountPathAsync(context);
            var pages = new (string Name, string Path, string Content)[]
            {
                ("Portfolio", "/", ".apexcharts-canvas"),
                ("Accounts", "/accounts", ".mud-table-body .hd-health-chip"),
                ("Account", accountPath, ".hd-gauge"),
                ("Users", "/users", ".mud-table-body .hd-engagement-cell"),
                ("Renewals", "/renewals", "[data-testid=quarters]"),
                ("Alerts", "/alerts", "main .hd-card"),
                ("My tasks", "/tasks", "[data-testid=task-group], main .hd-empty"),
                ("Model", "/model", "main .hd-card"),
            };
            // HEALTHDASHBOARD_BENCH_RUNS=N: N timed loads a page (e.g. many, to profile the app over them).
            var runs = int.TryParse(Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_RUNS"), out var asked) && asked > 0 ? asked : scale.Quick ? 3 : 5;
            var figures = new List<Figure>
            {
                new(Number, $"Process start to the first page with scores (the last snapshot's), {scale.Portfolio.Accounts:N0} accounts, {scale.Portfolio.UsageRows:N0} usage rows", firstPage, "ms", Target.Under(15_000)),
                new(Number, "Process start to the first full scores (/status 200)", firstScores, "ms", Target.Under(15_000)),
            };
            // HEALTHDASHBOARD_BENCH_PAGES=Portfolio,Users measures only those (a quicker loop while working on them).
            var only = Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_PAGES")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var (name, path, content) in pages.Where(p => only is null || only.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
            {
                var times = new List<double>();
                var steps = new List<PageSteps>();
                var appCpu = new List<double>();
                for (var run = 0; run <= runs; run++)
                {
                    var page = await context.NewPageAsync();
                    await page.AddInitScriptAsync(PageStepsScript(content));
                    // HEALTHDASHBOARD_BENCH_TRACE=1: a Chromium performance trace of each page's first timed run (artifacts/traces).
                    var trace = run == 1 && Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_TRACE") is not null
                        ? await ChromiumTrace.StartAsync(context, page)
                        : null;

                    var cpuBefore = app.CpuMilliseconds();
                    var started = Stopwatch.GetTimestamp();
                    await page.GotoAsync(baseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
                    await WaitForContentAsync(page, content);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var cpu = app.CpuMilliseconds() - cpuBefore;
                    if (trace is not null)
                    {
                        var traces = Path.Combine(LocalMachine.RepositoryRoot(), "artifacts", "traces");
                        Directory.CreateDirectory(traces);
                        await trace.StopAsync(Path.Combine(traces, $"{name.Replace(' ', '-').ToLowerInvariant()}.json"));
                    }

                    if (run > 0)
                    {
                        appCpu.Add(cpu);
                        // The first is a warm-up (the page's first use in the process: JIT, caches).
                        times.Add(elapsed);
                        steps.Add(await PageSteps.ReadAsync(page));
                        if (run == 1 && Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_RESOURCES") is not null)
                        {
                            log.WriteLine(await page.EvaluateAsync<string>(
                                """
                                () => performance.getEntriesByType('resource')
                                    .map(r => `    ${r.startTime.toFixed(0)}-${r.responseEnd.toFixed(0)} ${r.transferSize}B ${r.name.replace(location.origin, '')}`)
                                    .join('\n')
                                """));
                        }
                    }
                    else
                    {
                        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"scale-{name.Replace(' ', '-').ToLowerInvariant()}.png"), FullPage = true });
                    }

                    await page.CloseAsync();
                }

                var samples = new Samples(times);
                log.WriteLine($"  {name}: median {samples.Median:0} ms, max {times.Max():0} ms; the app's CPU {new Samples(appCpu).Median:0} ms, resident set after {app.Memory().ResidentMb:0} MB; {PageSteps.Medians(steps)}");
                figures.Add(new(Number, $"{name} page in Chromium, navigation to content with the circuit: median of {times.Count}", samples.Median, "ms", Target.Under(500)));
            }

            var (peak, resident) = app.Memory();
            figures.Add(new(Number, "Peak working set of the app process (VmHWM), start-up and every page served", peak, "MB", Target.Under(600)));
            figures.Add(new(Number, "  resident set of the app process at the end (info)", resident, "MB"));
            figures.Add(new(Number, "  load average over 1 minute at the end (info: the machine is shared)", LoadAverage(), "processes"));
            await context.CloseAsync();
            // HEALTHDASHBOARD_BENCH_HOLD_SECONDS=N: the app stays up N s after the figures (its pid is in the log), to take
            // a heap dump of what the pages left (dotnet-gcdump collect -p PID).
            if (int.TryParse(Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_HOLD_SECONDS"), out var hold) && hold > 0)
            {
                log.WriteLine($"  holding the app (pid {app.ProcessId}) for {hold} s");
                await Task.Delay(TimeSpan.FromSeconds(hold));
            }

            return figures;
        }
        catch
        {
            log.WriteLine(app.Log());
            throw;
        }
        finally
        {
            app.Stop();
            // HEALTHDASHBOARD_BENCH_APP_LOG=FILE: the app's whole log (each line with its time since the start), to read what it did per page.
            if (Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_APP_LOG") is { Length: > 0 } appLog)
            {
                File.WriteAllText(appLog, app.Log(int.MaxValue));
            }

            SqliteDatabase.DeleteWithSidecars(runFile);
        }
    }

    /// <summary>
    /// Part 2's cached file may have been made while the migration that drops the usage table's account index was
    /// still named 20261130075530 (it was renamed when merged after MultiInstance): the copy records it under its
    /// current name, so the migrations do not try to drop the index a second time.
    /// </summary>
    private static async Task RenameEarlierMigrationAsync(string databaseFile)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE "__EFMigrationsHistory" SET "MigrationId" = '20261130091500_UsageWithoutAccountIndex'
            WHERE "MigrationId" = '20261130075530_UsageWithoutAccountIndex'
            """;
        await command.ExecuteNonQueryAsync();
    }

    private static int HistoryDays(Scale scale) => scale.Quick ? QuickHistoryDays : FullHistoryDays;

    private static string PreparedPath(Scale scale) =>
        Path.Combine(CacheFolder.Path, $"startup-{scale.Portfolio.Key}-h{HistoryDays(scale)}.db");

    private static Dictionary<string, string?> AppConfiguration(int historyDays) => new()
    {
        [AsOfClock.PinKey] = AppAsOf.ToString("O", CultureInfo.InvariantCulture),
        [SnapshotStore.HistoryDaysKey] = historyDays.ToString(CultureInfo.InvariantCulture),
    };

    private static void CopyWithSidecars(string from, string to)
    {
        foreach (var suffix in DatabaseFiles.Where(s => File.Exists(from + s)))
        {
            File.Copy(from + suffix, to + suffix, overwrite: true);
        }
    }

    /// <summary>Starts the built app over <paramref name="databaseFile"/> with the pinned as-of time and the part's history.</summary>
    private static AppProcess StartApp(string databaseFile, string baseUrl, int historyDays, TextWriter log)
    {
        var repoRoot = LocalMachine.RepositoryRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "HealthDashboard.dll"), "--urls", baseUrl, "--contentRoot", repoRoot },
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Health"] = $"Data Source={databaseFile}";
        start.Environment["Demo__SeedWhenEmpty"] = "false";
        foreach (var (key, value) in AppConfiguration(historyDays))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        log.WriteLine($"  starting the app on {baseUrl}... (L3 cache {YoungGenerationAdvice.ReadL3Size() ?? "unknown"}, which .NET sizes its young generation from; "
            + $"{YoungGenerationAdvice.Variable} {Environment.GetEnvironmentVariable(YoungGenerationAdvice.Variable) ?? "not set"})");
        return new AppProcess(start);
    }

    /// <summary>Signs in as the demo admin through the sign-in form, retrying until the app answers.</summary>
    private static async Task SignInAsync(HttpClient http, long started)
    {
        string form;
        while (true)
        {
            try
            {
                form = await http.GetStringAsync("/signin");
                break;
            }
            catch (HttpRequestException) when (Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(25);
            }
        }

        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "signin", ["Input.Email"] = DemoSignIn.Admin.Email, ["Input.Password"] = DemoSignIn.Admin.Password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>
    /// Asks for the Accounts page until its prerendered HTML carries the as-of label (a page shows it only with a
    /// view): milliseconds since the process start, and whether the scores were the last snapshot's.
    /// </summary>
    private static async Task<(double Milliseconds, bool Refreshing)> FirstPageWithScoresAsync(HttpClient http, long started)
    {
        while (true)
        {
            var html = await http.GetStringAsync("/accounts");
            if (html.Contains("hd-asof", StringComparison.Ordinal))
            {
                return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, html.Contains("scores-refreshing", StringComparison.Ordinal));
            }

            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException("No page showed scores within 5 minutes.");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Polls <c>/status</c> (200 once the first full scores are in) from the process start: milliseconds since it.</summary>
    private static async Task<double> WaitForStatusAsync(HttpClient http, long started)
    {
        while (true)
        {
            HttpStatusCode status;
            try
            {
                using var response = await http.GetAsync("/status");
                status = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
                status = HttpStatusCode.ServiceUnavailable;
            }

            if (status == HttpStatusCode.OK)
            {
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(10))
            {
                throw new InvalidOperationException("No scores within 10 minutes.");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The page of the account the Accounts grid lists first (the riskiest: a scored account with a full page).</summary>
    private static async Task<string> FirstListedAccountPathAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/accounts");
        var href = await page.Locator(".mud-table-body a.hd-account-name").First.GetAttributeAsync("href", new LocatorGetAttributeOptions { Timeout = 60_000 });
        await page.CloseAsync();
        return "/" + href;
    }

    private static async Task<IBrowserContext> SignedInContextAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        });
        var page = await context.NewPageAsync();
        await DemoSignIn.AsAdminAsync(page, "/signin");
        await page.CloseAsync();
        return context;
    }

    /// <summary>
    /// Waits until the page shows <paramref name="content"/>, nothing in the main area is still loading, and Blazor's
    /// circuit has rendered the page (the layout's <c>data-interactive</c> turns true in the circuit's render). Blazor's
    /// script removes the prerendered component markers before it even opens the circuit's WebSocket, so waiting for
    /// the markers to go measured pages whose content is prerendered (Account, Renewals, My tasks) without their circuit.
    /// </summary>
    private static Task<IJSHandle> WaitForContentAsync(IPage page, string content) =>
        page.WaitForFunctionAsync(
            """
            selector => document.querySelector(selector) !== null
                && document.querySelector('main .hd-loading') === null
                && document.querySelector('.hd-app[data-interactive=true]') !== null
            """,
            content,
            new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 10 });

    /// <summary>
    /// Injected before each page's navigation: notes on the page's own clock (0 at the navigation's start) when the
    /// circuit's WebSocket opened, when the content selector first matched, when a loading indicator in the main
    /// area was last seen and when the circuit's first render arrived, polled every 5 ms.
    /// </summary>
    private static string PageStepsScript(string content) => "window.__hdSteps = { selector: " + System.Text.Json.JsonSerializer.Serialize(content) + " };\n" + """
        (() => {
            const steps = window.__hdSteps;
            const NativeSocket = window.WebSocket;
            window.WebSocket = function (...args) {
                const socket = new NativeSocket(...args);
                socket.addEventListener('open', () => steps.socket ??= performance.now());
                return socket;
            };
            window.WebSocket.prototype = NativeSocket.prototype;
            Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
            const poll = () => {
                const now = performance.now();
                if (steps.content === undefined && document.querySelector(steps.selector)) steps.content = now;
                if (document.querySelector('main .hd-loading')) steps.loading = now;
                if (steps.interactive === undefined && document.querySelector('.hd-app[data-interactive=true]')) steps.interactive = now;
                setTimeout(poll, 5);
            };
            poll();
        })();
        """;

    /// <summary>
    /// Where one page load's time went, on the browser's own clock: the prerendered HTML's first and last byte (the
    /// server's prerender), the scripts run (DOMContentLoaded), the circuit's WebSocket open, the content selector
    /// first matched (by the prerender or the interactive render), a loading indicator last seen, the circuit's first
    /// render, and the end.
    /// </summary>
    private sealed record PageSteps(double FirstByte, double Html, double Scripts, double Socket, double Content, double Loading, double Interactive, double Done)
    {
        public static async Task<PageSteps> ReadAsync(IPage page)
        {
            var values = await page.EvaluateAsync<double[]>(
                """
                () => {
                    const n = performance.getEntriesByType('navigation')[0];
                    const s = window.__hdSteps;
                    return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, s.socket ?? -1, s.content ?? -1, s.loading ?? -1, s.interactive ?? -1, performance.now()];
                }
                """);
            return new PageSteps(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
        }

        public static string Medians(IReadOnlyList<PageSteps> steps)
        {
            double Median(Func<PageSteps, double> step) => new Samples([.. steps.Select(step)]).Median;
            return $"first byte {Median(s => s.FirstByte):0}, HTML {Median(s => s.Html):0}, scripts {Median(s => s.Scripts):0}, "
                + $"socket {Median(s => s.Socket):0}, content first {Median(s => s.Content):0}, loading last {Median(s => s.Loading):0}, interactive {Median(s => s.Interactive):0}, done {Median(s => s.Done):0} ms";
        }
    }

    /// <summary>A Chromium performance trace of one page through the DevTools protocol (Playwright for .NET has no tracing of its own).</summary>
    private sealed class ChromiumTrace
    {
        private readonly ICDPSession session;
        private readonly List<System.Text.Json.JsonElement> events = [];
        private readonly TaskCompletionSource complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ChromiumTrace(ICDPSession session)
        {
            this.session = session;
            session.Event("Tracing.dataCollected").OnEvent += (_, data) =>
            {
                lock (events)
                {
                    events.AddRange(data!.Value.GetProperty("value").EnumerateArray().Select(e => e.Clone()));
                }
            };
            session.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        }

        public static async Task<ChromiumTrace> StartAsync(IBrowserContext context, IPage page)
        {
            var trace = new ChromiumTrace(await context.NewCDPSessionAsync(page));
            await trace.session.SendAsync("Tracing.start", new Dictionary<string, object>
            {
                ["transferMode"] = "ReportEvents",
                ["categories"] = "devtools.timeline,v8.execute,disabled-by-default-devtools.timeline,blink.user_timing,loading,latencyInfo,toplevel,disabled-by-default-v8.compile",
            });
            return trace;
        }

        public async Task StopAsync(string path)
        {
            await session.SendAsync("Tracing.end");
            await complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
            lock (events)
            {
                File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new { traceEvents = events }));
            }
        }
    }

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The app's process: its start time, its log (with each line's time since the start) and its memory.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly Process process;
        private readonly List<string> lines = [];

        public AppProcess(ProcessStartInfo start)
        {
            Started = Stopwatch.GetTimestamp();
            process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        /// <summary>The app's process id.</summary>
        public int ProcessId => process.Id;

        /// <summary>The <see cref="Stopwatch"/> timestamp just before the process started.</summary>
        public long Started { get; }

        /// <summary>The first log line containing <paramref name="text"/> with its time since the start, null when none.</summary>
        public string? LogLine(string text)
        {
            lock (lines)
            {
                return lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            }
        }

        /// <summary>The last <paramref name="count"/> lines of the log.</summary>
        public string Log(int count = 60)
        {
            lock (lines)
            {
                return string.Join('\n', lines.TakeLast(count));
            }
        }

        /// <summary>CPU time all the process's threads have run so far (their schedstat, in ns), in milliseconds.</summary>
        public double CpuMilliseconds()
        {
            long total = 0;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{process.Id}/task"))
            {
                try
                {
                    var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                    total += long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }

            return total / 1e6;
        }

        /// <summary>The process's peak and current resident set, in MB.</summary>
        public (double PeakMb, double ResidentMb) Memory()
        {
            double Read(string field) => File.ReadLines($"/proc/{process.Id}/status")
                .Where(l => l.StartsWith(field, StringComparison.Ordinal))
                .Select(l => long.Parse(l[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0)
                .First();
            return (Read("VmHWM:"), Read("VmRSS:"));
        }

        public void Stop()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }

        public void Dispose()
        {
            Stop();
            process.Dispose();
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add($"[{Stopwatch.GetElapsedTime(Started).TotalMilliseconds,7:0} ms] {line}");
            }
        }
    }
}
