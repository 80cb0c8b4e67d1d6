namespace HealthDashboard.Demo;

/// <summary>
/// Simulates 15 months of product usage: each user decides day by day whether to work in the product
/// (their level x the account's story curve x weekday), and an active day brings a handful of events.
/// Accounts with a daily export send one row per user, event type and day with a count; the others
/// send raw events with count 1. Integrations add account-level rows (no user).
/// </summary>
internal static class DemoUsageSimulator
{
    private const double WeekendFactor = 0.1;

    public static void Simulate(DemoDataSet set, IReadOnlyList<AccountProfile> profiles, IReadOnlyList<UserProfile> userProfiles, int seed)
    {
        var usersByAccount = new List<int>[set.Accounts.Count];
        for (var a = 0; a < usersByAccount.Length; a++)
        {
            usersByAccount[a] = [];
        }

        for (var u = 0; u < set.Users.Count; u++)
        {
            usersByAccount[set.Users[u].Account].Add(u);
        }

        var rows = new List<DemoUsage>(set.Users.Count * 250);
        for (var a = 0; a < set.Accounts.Count; a++)
        {
            SimulateAccount(set, a, profiles[a], usersByAccount[a], userProfiles, RandomExtensions.For(seed, a, 3), rows);
        }

        var usage = rows.ToArray();
        Array.Sort(usage);
        set.Usage = usage;
    }

    private static void SimulateAccount(
        DemoDataSet set, int a, AccountProfile profile, List<int> users, IReadOnlyList<UserProfile> userProfiles, Random r, List<DemoUsage> rows)
    {
        var types = set.EventTypes;
        var now = set.Now;
        var today = now.Date;
        var account = set.Accounts[a];
        var counts = new int[types.Count];
        var login = types.Select(t => t.Key).ToList().IndexOf("login");

        // Small teams each do more of the advanced work than people in large ones.
        var featureBoost = Math.Clamp(6.0 / Math.Max(1, users.Count), 1, 4);

        for (var age = DemoDataBuilder.HistoryDays - 1; age >= 0; age--)
        {
            var intensity = profile.Intensity(age);
            if (intensity <= 0)
            {
                continue;
            }

            var date = today.AddDays(-age);
            var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var dayFactor = r.Uniform(0.8, 1.2) * (weekend ? WeekendFactor : 1);
            foreach (var u in users)
            {
                var user = set.Users[u];
                var person = userProfiles[u];
                if ((person.StopAge >= 0 && age <= person.StopAge) || date < user.CreatedAt.Date
                    || !r.Chance(Math.Min(0.97, person.Level * intensity * dayFactor)))
                {
                    continue;
                }

                for (var e = 0; e < types.Count; e++)
                {
                    var type = types[e];
                    counts[e] = type.Source switch
                    {
                        EventSource.User when e == login => 1 + r.Poisson(0.15), // the login that starts the day
                        EventSource.User => r.Poisson(type.PerActiveDay),
                        EventSource.AdoptedFeature when profile.UsesFeature(e, age) => r.Poisson(type.PerActiveDay * featureBoost),
                        _ => 0,
                    };
                }

                Emit(rows, profile.DailyExport, a, u, date, person.StartHour, counts, account.CreatedAt > user.CreatedAt ? account.CreatedAt : user.CreatedAt, now, r);
            }

            // Integrations run every day, weekends too, while the account uses the feature behind them.
            Array.Clear(counts);
            for (var e = 0; e < types.Count; e++)
            {
                var type = types[e];
                if (type.Source == EventSource.System && profile.UsesFeature(type.Feature, age))
                {
                    counts[e] = r.Poisson(type.PerActiveDay * Math.Min(1, intensity));
                }
            }

            Emit(rows, profile.DailyExport, a, -1, date, r.Uniform(0, 6), counts, account.CreatedAt, now, r);
        }
    }

    /// <summary>
    /// Writes one day's events: a daily export row per event type dated at 00:00 (only for finished days),
    /// or one count-1 row per event during a session that starts at <paramref name="startHour"/>.
    /// Nothing before <paramref name="notBefore"/> or after Now.
    /// </summary>
    private static void Emit(List<DemoUsage> rows, bool dailyExport, int account, int user, DateTime date, double startHour,
        int[] counts, DateTime notBefore, DateTime now, Random r)
    {
        if (dailyExport)
        {
            if (date >= now.Date || date < notBefore)
            {
                return;
            }

            for (var e = 0; e < counts.Length; e++)
            {
                if (counts[e] > 0)
                {
                    rows.Add(new(date.Ticks, account, user, e, counts[e]));
                }
            }

            return;
        }

        // Sessions stay within their day: a raw event always falls on the day it was simulated for.
        var start = date.AddHours(Math.Clamp(startHour + r.Normal(0, 0.7), 0, 19.5));
        var first = true; // the login (catalog order puts it first) opens the session
        for (var e = 0; e < counts.Length; e++)
        {
            for (var i = 0; i < counts[e]; i++)
            {
                var time = first ? start : start.AddMinutes(r.Uniform(1, 240));
                first = false;
                var ticks = time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond);
                if (ticks <= now.Ticks && ticks >= notBefore.Ticks)
                {
                    rows.Add(new(ticks, account, user, e, 1));
                }
            }
        }
    }
}
