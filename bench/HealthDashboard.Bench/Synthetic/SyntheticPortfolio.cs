using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Bench.Synthetic;

/// <summary>An event type as the generator defines it (its settings are also the bench's scoring model).</summary>
public sealed record SyntheticEventType(string Key, string Name, EventTypeSettings Settings);

/// <summary>
/// A seeded, realistic portfolio: accounts of three segments with log-normally sized user bases,
/// users whose daily activity varies widely (a quarter idle in the window), event types used along
/// a Zipf curve, healthy, declining, quiet and dormant accounts, weekday-heavy usage, some
/// account-level daily exports, plus tickets, surveys and revenue history. The same spec always
/// gives the same data, so the in-memory, SQLite and CSV forms hold the same portfolio.
/// </summary>
/// <remarks>
/// Usage is produced day by day (<see cref="Usage"/>) so the SQLite and CSV writers can stream ten
/// million rows without holding them; the mean number of rows per active user-day is calibrated
/// from the expected number of active user-days so the total lands near <see cref="PortfolioSpec.UsageRows"/>.
/// </remarks>
public sealed class SyntheticPortfolio
{
    private enum Activity
    {
        Healthy,
        Declining,
        WentQuiet,
        Dormant,
    }

    private static readonly string[] Segments = ["SMB", "Mid-Market", "Enterprise"];
    private static readonly string[] Plans = ["Starter", "Growth", "Scale"];
    private static readonly double[] PricePerSeat = [20, 45, 90];
    private static readonly string[] Words =
        ["Acme", "Blue", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel", "Lumen",
         "Maple", "Nimbus", "Orbit", "Pioneer", "Quartz", "River", "Summit", "Tidal", "Umbra", "Vertex", "Willow", "Zephyr"];
    private static readonly string[] Suffixes = ["Labs", "Systems", "Logistics", "Health", "Capital", "Studios", "Foods", "Energy"];
    private static readonly string[] Verbs =
        ["login", "view_dashboard", "search", "open_report", "edit_record", "create_record", "comment", "share", "export_csv",
         "upload_file", "invite_user", "create_workflow", "run_workflow", "api_call", "configure_alert", "integrate_app"];

    private readonly PortfolioSpec spec;
    private readonly Activity[] activity;
    private readonly int[] quietFromDay;
    private readonly int[] adoptedTypes;
    private readonly bool[] exportsDaily;
    private readonly double[] userDailyChance;
    private readonly int[] userStartHour;
    private readonly int[][] usersOfAccount;
    private readonly double[] zipfCumulative;
    private double rowsPerActiveUserDay;

    private SyntheticPortfolio(PortfolioSpec spec)
    {
        this.spec = spec;
        activity = new Activity[spec.Accounts];
        quietFromDay = new int[spec.Accounts];
        adoptedTypes = new int[spec.Accounts];
        exportsDaily = new bool[spec.Accounts];
        userDailyChance = new double[spec.Users];
        userStartHour = new int[spec.Users];
        usersOfAccount = new int[spec.Accounts][];
        zipfCumulative = ZipfCumulative(spec.EventTypes, exponent: 1.0);
    }

    public PortfolioSpec Spec => spec;

    public List<AccountInfo> Accounts { get; } = [];
    public List<UserInfo> Users { get; } = [];
    public List<SyntheticEventType> EventTypes { get; } = [];
    public List<TicketInfo> Tickets { get; } = [];
    public List<SurveyInfo> Surveys { get; } = [];
    public List<RevenueEntry> Revenue { get; } = [];

    /// <summary>The scoring model whose event settings are the event types' (default indicator weights).</summary>
    public ScoringModel Model => ScoringModel.Default with
    {
        EventTypes = EventTypes.ToDictionary(e => e.Key, e => e.Settings, StringComparer.Ordinal),
        WindowDays = PortfolioSpec.WindowDays,
    };

    public static SyntheticPortfolio Generate(PortfolioSpec spec)
    {
        var portfolio = new SyntheticPortfolio(spec);
        var random = new Random(spec.Seed);
        portfolio.GenerateEventTypes(random);
        portfolio.GenerateAccounts(random);
        portfolio.GenerateUsers(random);
        portfolio.GenerateTicketsSurveysRevenue(random);
        portfolio.Calibrate();
        return portfolio;
    }

    /// <summary>
    /// The model after the <paramref name="move"/>-th slider move: one event weight changed (a different
    /// type and weight each move), as the model editor's sliders do.
    /// </summary>
    public ScoringModel ModelAfterSliderMove(int move)
    {
        var changed = EventTypes[move % EventTypes.Count];
        return Model.WithEventType(changed.Key, changed.Settings with { Weight = (move * 7 % 101) / 10.0 });
    }

    /// <summary>The portfolio scored in memory under <see cref="Model"/> (saved as version 1), as the score board holds it.</summary>
    public ScoredPortfolio ScoreInMemory()
    {
        var aggregates = WindowAggregates.Build(ToPortfolioData(), PortfolioSpec.AsOf, PortfolioSpec.WindowDays);
        return new ScoredPortfolio(1, Model, aggregates, Scorer.Score(aggregates, Model));
    }

    /// <summary>The whole portfolio in memory, as the loader would hand it to the scoring core.</summary>
    public PortfolioData ToPortfolioData()
    {
        // Day by day into one array of the exact size: no doubling growth, so a part's peak memory
        // is more the portfolio's than the generator's.
        var days = Enumerable.Range(0, PortfolioSpec.WindowDays).Select(UsageOfDay).ToList();
        var usage = new UsageRow[days.Sum(d => d.Count)];
        var at = 0;
        foreach (var day in days)
        {
            day.CopyTo(usage, at);
            at += day.Count;
        }

        return new(Accounts, Users, EventTypes.ConvertAll(e => e.Key), usage, Tickets, Surveys, Revenue, EventTypes.ConvertAll(e => e.Name));
    }

    /// <summary>Every usage row in the window, ordered by time (indices as in <see cref="Accounts"/>, <see cref="Users"/>, <see cref="EventTypes"/>).</summary>
    public IEnumerable<UsageRow> Usage()
    {
        for (var day = 0; day < PortfolioSpec.WindowDays; day++)
        {
            foreach (var row in UsageOfDay(day))
            {
                yield return row;
            }
        }
    }

    /// <summary>
    /// One weekday of raw product events as a product-analytics export has them (issue 11's workload: count 1 each,
    /// 50 to 100 per active user and day), about <paramref name="rows"/> of them, ordered by time: users of accounts
    /// active that day (<see cref="Usage"/>'s activity trends), taken in a seeded random order until the rows are
    /// reached, each with 50 to 100 events of their account's adopted event types (the same Zipf skew as
    /// <see cref="Usage"/>) in a 10-hour session from the user's usual start hour. The day is the window's last weekday.
    /// </summary>
    public (DateTime Day, int ActiveUsers, List<UsageRow> Rows) RawEventsOfOneDay(int rows)
    {
        var day = PortfolioSpec.WindowDays - 1;
        while (DayStart(day).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day--;
        }

        var random = new Random(unchecked((spec.Seed * 7919) ^ (day + 1)));
        var dayStart = DayStart(day).Ticks;
        var order = Enumerable.Range(0, Users.Count).ToArray();
        random.Shuffle(order);
        var events = new List<UsageRow>(rows + 100);
        var activeUsers = 0;
        foreach (var u in order)
        {
            var a = Users[u].AccountIndex;
            if (events.Count >= rows)
            {
                break;
            }

            if (!UserExists(u, day) || ActivityFactor(a, day) <= 0)
            {
                continue;
            }

            activeUsers++;
            var sessionStart = dayStart + (userStartHour[u] * TimeSpan.TicksPerHour);
            for (var n = random.Next(50, 101); n > 0; n--)
            {
                events.Add(new UsageRow(a, u, EventTypeOf(random, a), sessionStart + (random.Next(1, 10 * 3600) * TimeSpan.TicksPerSecond), 1));
            }
        }

        events.Sort((x, y) => x.Ticks.CompareTo(y.Ticks));
        return (DayStart(day), activeUsers, events);
    }

    private static DateTime DayStart(int day) => PortfolioSpec.AsOf.AddDays(day - PortfolioSpec.WindowDays);

    private void GenerateEventTypes(Random random)
    {
        for (var e = 0; e < spec.EventTypes; e++)
        {
            var verb = Verbs[e % Verbs.Length];
            var key = e < Verbs.Length ? verb : $"{verb}_{(e / Verbs.Length) + 1}";
            // Rare, deliberate actions weigh more than frequent ones; a fifth of the types are key features.
            var weight = Math.Round(Math.Min(10, 1 + (e * 9.0 / Math.Max(1, spec.EventTypes - 1)) + (random.NextDouble() - 0.5)), 1);
            EventTypes.Add(new(key, key.Replace('_', ' '), new EventTypeSettings(
                Weight: Math.Clamp(weight, 0, 10), KeyFeature: e % 5 == 2, ValueMoment: e % 13 == 7)));
        }
    }

    private void GenerateAccounts(Random random)
    {
        var asOf = PortfolioSpec.AsOf;
        for (var a = 0; a < spec.Accounts; a++)
        {
            var roll = random.NextDouble();
            var segment = roll < 0.65 ? 0 : roll < 0.92 ? 1 : 2;
            var created = random.NextDouble() < 0.02
                ? asOf.AddDays(-random.NextDouble() * PortfolioSpec.WindowDays)
                : asOf.AddDays(-PortfolioSpec.WindowDays - (random.NextDouble() * 1100));
            DateTime? churned = random.NextDouble() < 0.03 ? asOf.AddDays(-1 - (random.NextDouble() * 120)) : null;
            if (churned < created)
            {
                churned = null;
            }

            Accounts.Add(new AccountInfo(
                Id: $"acct-{a + 1:D6}",
                Name: $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} {Suffixes[random.Next(Suffixes.Length)]} {a + 1}",
                CreatedAt: Truncate(created),
                ChurnedAt: churned is { } c ? Truncate(c) : null,
                Seats: 0,
                Mrr: 0,
                Segment: Segments[segment],
                Plan: Plans[Math.Min(2, segment + (random.NextDouble() < 0.2 ? 1 : 0))],
                Owner: $"csm{(a % 25) + 1:D2}@example.com",
                RenewalDate: asOf.Date.AddDays(random.Next(1, 366))));

            roll = random.NextDouble();
            activity[a] = roll < 0.07 ? Activity.Dormant : roll < 0.20 ? Activity.Declining : roll < 0.27 ? Activity.WentQuiet : Activity.Healthy;
            quietFromDay[a] = random.Next(PortfolioSpec.WindowDays);
            adoptedTypes[a] = random.Next(Math.Min(8, spec.EventTypes), spec.EventTypes + 1);
            exportsDaily[a] = random.NextDouble() < 0.10;
        }
    }

    private void GenerateUsers(Random random)
    {
        // Log-normal account sizes, larger per segment: a few big customers hold many users.
        var sizeWeights = new double[spec.Accounts];
        var cumulative = new double[spec.Accounts];
        var total = 0.0;
        for (var a = 0; a < spec.Accounts; a++)
        {
            var segmentScale = Accounts[a].Segment switch { "Enterprise" => 8.0, "Mid-Market" => 3.0, _ => 1.0 };
            sizeWeights[a] = segmentScale * Math.Exp(Normal(random) * 0.8);
            total += sizeWeights[a];
            cumulative[a] = total;
        }

        var members = new List<int>[spec.Accounts];
        for (var a = 0; a < spec.Accounts; a++)
        {
            members[a] = [];
        }

        var asOf = PortfolioSpec.AsOf;
        for (var u = 0; u < spec.Users; u++)
        {
            // Every account gets one user first, the rest follow the size weights.
            var a = u < spec.Accounts ? u : Math.Min(spec.Accounts - 1, LowerBound(cumulative, random.NextDouble() * total));
            members[a].Add(u);
            var account = Accounts[a];
            var roll = random.NextDouble();
            DateTime? created = roll < 0.05 ? null
                : roll < 0.09 ? Max(account.CreatedAt, asOf.AddDays(-random.NextDouble() * PortfolioSpec.WindowDays))
                : account.CreatedAt.AddDays(random.NextDouble() * Math.Max(0, (asOf - account.CreatedAt).TotalDays - PortfolioSpec.WindowDays));
            Users.Add(new UserInfo($"user-{u + 1:D7}", a, created is { } c ? Truncate(c) : null, $"User {u + 1}", $"user{u + 1}@{account.Id}.example.com"));
            userDailyChance[u] = random.NextDouble() < 0.25 ? 0 : 0.05 + (0.9 * Math.Pow(random.NextDouble(), 2));
            userStartHour[u] = random.Next(0, 14);
        }

        for (var a = 0; a < spec.Accounts; a++)
        {
            usersOfAccount[a] = [.. members[a]];
            var users = usersOfAccount[a].Length;
            var seats = random.NextDouble() < 0.10 ? 0 : (int)Math.Ceiling(users * (1 + (random.NextDouble() * 0.6)));
            var plan = Array.IndexOf(Plans, Accounts[a].Plan);
            Accounts[a] = Accounts[a] with { Seats = seats, Mrr = Math.Round(Math.Max(seats, users) * PricePerSeat[plan], 2) };
        }
    }

    private void GenerateTicketsSurveysRevenue(Random random)
    {
        var asOf = PortfolioSpec.AsOf;
        string[] priorities = ["low", "normal", "high", "urgent"];
        for (var a = 0; a < spec.Accounts; a++)
        {
            var account = Accounts[a];
            var users = usersOfAccount[a];
            var tickets = Poisson(random, 0.3 + (users.Length * 0.05));
            for (var t = 0; t < tickets; t++)
            {
                var opened = Truncate(asOf.AddDays(-random.NextDouble() * 120));
                DateTime? closed = random.NextDouble() < 0.8 ? Truncate(opened.AddDays(random.NextDouble() * 10)) : null;
                if (closed > asOf)
                {
                    closed = null;
                }

                int? satisfaction = closed is not null && random.NextDouble() < 0.5 ? Math.Min(5, 1 + (int)(5 * Math.Sqrt(random.NextDouble()))) : null;
                Tickets.Add(new TicketInfo($"T-{Tickets.Count + 1:D7}", a, opened, closed, random.NextDouble() < 0.08, satisfaction, priorities[random.Next(priorities.Length)]));
            }

            if (random.NextDouble() < 0.5)
            {
                for (var s = random.Next(1, 5); s > 0; s--)
                {
                    var nps = random.NextDouble() < 0.7;
                    Surveys.Add(new SurveyInfo(a, users.Length > 0 && random.NextDouble() < 0.8 ? users[random.Next(users.Length)] : -1,
                        Truncate(asOf.AddDays(-random.NextDouble() * 120)), nps ? SurveyKind.Nps : SurveyKind.Csat, nps ? random.Next(0, 11) : random.Next(1, 6)));
                }
            }

            // The subscription's history: the start (or a year and a half ago), then up to three changes.
            var date = Max(account.CreatedAt.Date, asOf.Date.AddDays(-540));
            var mrr = account.Mrr * (0.7 + (random.NextDouble() * 0.4));
            Revenue.Add(new RevenueEntry(a, date, Math.Round(mrr, 2), Revenue.Count));
            for (var change = random.Next(0, 4); change > 0; change--)
            {
                date = date.AddDays(random.Next(30, 180));
                if (date > asOf)
                {
                    break;
                }

                mrr *= 0.8 + (random.NextDouble() * 0.45);
                Revenue.Add(new RevenueEntry(a, date, Math.Round(mrr, 2), Revenue.Count));
            }
        }
    }

    /// <summary>Sets the mean rows per active user-day so the expected total is the spec's row count.</summary>
    private void Calibrate()
    {
        double userDays = 0, accountRows = 0;
        for (var day = 0; day < PortfolioSpec.WindowDays; day++)
        {
            for (var a = 0; a < spec.Accounts; a++)
            {
                var factor = ActivityFactor(a, day);
                if (factor <= 0)
                {
                    continue;
                }

                if (exportsDaily[a])
                {
                    accountRows += 4.5;
                }

                foreach (var u in usersOfAccount[a])
                {
                    if (UserExists(u, day))
                    {
                        userDays += Math.Min(1, userDailyChance[u] * factor);
                    }
                }
            }
        }

        rowsPerActiveUserDay = Math.Max(1, (spec.UsageRows - accountRows) / Math.Max(1, userDays));
    }

    /// <summary>How active an account is on a day of the window (0: not at all), weekends quieter.</summary>
    private double ActivityFactor(int a, int day)
    {
        var account = Accounts[a];
        DateTime start = DayStart(day), end = start.AddDays(1);
        if (account.CreatedAt > start || account.ChurnedAt <= end)
        {
            return 0;
        }

        var trend = activity[a] switch
        {
            Activity.Dormant => 0,
            Activity.Declining => 1 - (0.9 * day / PortfolioSpec.WindowDays),
            Activity.WentQuiet => day < quietFromDay[a] ? 1 : 0,
            _ => 1,
        };
        return start.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? trend * 0.15 : trend;
    }

    private bool UserExists(int u, int day) => Users[u].CreatedAt is not { } created || created <= DayStart(day);

    private List<UsageRow> UsageOfDay(int day)
    {
        // HashCode is seeded per process, so the day's seed is derived by hand.
        var random = new Random(unchecked((spec.Seed * 397) ^ (day + 1)));
        var dayStart = DayStart(day).Ticks;
        var rows = new List<UsageRow>((int)(spec.UsageRows / PortfolioSpec.WindowDays * 1.5));
        var meanExtraRows = rowsPerActiveUserDay - 1;
        for (var a = 0; a < spec.Accounts; a++)
        {
            var factor = ActivityFactor(a, day);
            if (factor <= 0)
            {
                continue;
            }

            foreach (var u in usersOfAccount[a])
            {
                if (!UserExists(u, day) || random.NextDouble() >= userDailyChance[u] * factor)
                {
                    continue;
                }

                var sessionStart = dayStart + (userStartHour[u] * TimeSpan.TicksPerHour);
                for (var n = 1 + Geometric(random, meanExtraRows); n > 0; n--)
                {
                    var ticks = sessionStart + (random.Next(1, 10 * 3600) * TimeSpan.TicksPerSecond);
                    var count = random.NextDouble() < 0.93 ? 1 : random.Next(2, 11);
                    rows.Add(new UsageRow(a, u, EventTypeOf(random, a), ticks, count));
                }
            }

            if (exportsDaily[a])
            {
                // A daily export: a few account-level rows carrying the day's counts.
                for (var k = random.Next(3, 7); k > 0; k--)
                {
                    rows.Add(new UsageRow(a, -1, EventTypeOf(random, a), dayStart + TimeSpan.TicksPerHour + (k * TimeSpan.TicksPerSecond), 1 + (int)(random.NextDouble() * 50 * factor)));
                }
            }
        }

        rows.Sort((x, y) => x.Ticks.CompareTo(y.Ticks));
        return rows;
    }

    /// <summary>An event type along the Zipf curve, limited to the types the account has adopted.</summary>
    private int EventTypeOf(Random random, int a)
    {
        var e = LowerBound(zipfCumulative, random.NextDouble());
        return Math.Min(e, zipfCumulative.Length - 1) % adoptedTypes[a];
    }

    private static double[] ZipfCumulative(int count, double exponent)
    {
        var cumulative = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += 1 / Math.Pow(i + 1, exponent);
            cumulative[i] = sum;
        }

        for (var i = 0; i < count; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }

    /// <summary>First index whose cumulative value is at least <paramref name="x"/>.</summary>
    private static int LowerBound(double[] cumulative, double x)
    {
        int lo = 0, hi = cumulative.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulative[mid] < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int Geometric(Random random, double mean) =>
        mean <= 0 ? 0 : (int)Math.Min(500, Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(mean / (mean + 1))));

    private static int Poisson(Random random, double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Whole seconds, as CSV files and most exports carry them.</summary>
    private static DateTime Truncate(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static DateTime Max(DateTime x, DateTime y) => x > y ? x : y;
}
