namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// A second, deliberately naive implementation of SCORING.md (plain LINQ over the raw rows, one
/// account at a time, a full sort for the percentile) checked against the optimized core on random
/// portfolios full of edge cases: rows exactly at T - W and T, midnights, account-level rows, users
/// created after T, churned accounts, seats 0, tickets and surveys on the 90-day edge.
/// </summary>
public sealed class ReferenceScoringTests
{
    private static readonly DateTime T = new(2026, 5, 15, 9, 30, 0, DateTimeKind.Utc);

    public static TheoryData<int, int, double> Cases() => new()
    {
        { 1, 30, 3 },
        { 2, 30, 0 },
        { 3, 7, 3 },
        { 4, 1, 5 },
        { 5, 90, 3 },
        { 6, 30, 10 },
        { 7, 45, 1.5 },
        { 8, 30, 3 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Optimized_core_matches_the_naive_reading_of_the_contract(int seed, int window, double curvature)
    {
        var random = new Random(seed);
        var data = RandomPortfolio(random);
        var model = RandomModel(random, data.EventTypeKeys, window, curvature);
        foreach (var asOf in new[] { T, T.Date, T.AddDays(-30) })
        {
            var scores = Scorer.Score(WindowAggregates.Build(data, asOf, window), model);
            var expected = Reference.Score(data, model, asOf);
            Assert.Equal(expected.Count, scores.AccountCount);
            for (var a = 0; a < expected.Count; a++)
            {
                var (id, values, health) = expected[a];
                Assert.Equal(id, data.Accounts[scores.Aggregates.Accounts[a]].Id);
                foreach (var indicator in Indicators.All)
                {
                    var actual = scores.Value(a, indicator);
                    var want = values[(int)indicator];
                    if (want is null)
                    {
                        Assert.True(actual is null, $"{id} {indicator} at {asOf:u}: expected missing, got {actual}");
                    }
                    else
                    {
                        Assert.True(actual is not null && Math.Abs(actual.Value - want.Value) < 1e-9, $"{id} {indicator} at {asOf:u}: expected {want}, got {actual}");
                    }
                }

                Assert.True(Math.Abs(health - scores.Health[a]) < 1e-9, $"{id} H at {asOf:u}: expected {health}, got {scores.Health[a]}");
                var contributions = Indicators.All.Sum(i => scores.Contribution(a, i));
                if (contributions is >= 1 and <= 100)
                {
                    Assert.Equal(scores.Health[a], contributions, 9);
                }
            }

            var users = Reference.UserEngagement(data, model, asOf);
            Assert.Equal(users.Select(u => u.Id), scores.Aggregates.Users.Select(u => data.Users[u].Id));
            for (var u = 0; u < users.Count; u++)
            {
                Assert.Equal(users[u].Raw, scores.UserEngagementRaw[u], 9);
                Assert.Equal(users[u].Score, scores.UserEngagement[u], 9);
            }
        }
    }

    private static ScoringModel RandomModel(Random random, IReadOnlyList<string> eventTypes, int window, double curvature)
    {
        var model = ScoringModel.Default with { WindowDays = window, Curvature = curvature };
        foreach (var key in eventTypes)
        {
            model = model.WithEventType(key, new EventTypeSettings(random.Next(0, 11), random.Next(3) == 0, random.Next(4) == 0));
        }

        // Sometimes turn an indicator off, as an admin may.
        if (random.Next(2) == 0)
        {
            model = model with { IndicatorWeights = model.IndicatorWeights.With(Indicators.All[random.Next(8)], 0) };
        }

        return model;
    }

    private static PortfolioData RandomPortfolio(Random random)
    {
        var day = TimeSpan.TicksPerDay;
        var accounts = new List<AccountInfo>();
        for (var a = 0; a < 40; a++)
        {
            var created = T.AddDays(-random.Next(-20, 400));
            DateTime? churned = random.Next(8) == 0 ? T.AddDays(random.Next(-40, 10)) : null;
            if (a == 0)
            {
                churned = T; // churned exactly at T: not scored
            }

            accounts.Add(new AccountInfo($"A{random.Next(1000):000}-{a}", $"Account {a}", a == 1 ? T : created, churned, Seats: random.Next(4) == 0 ? 0 : random.Next(1, 12)));
        }

        var users = new List<UserInfo>();
        for (var u = 0; u < 160; u++)
        {
            DateTime? created = random.Next(5) switch { 0 => null, 1 => T.AddDays(random.Next(1, 30)), _ => T.AddDays(-random.Next(0, 300)) };
            if (u == 0)
            {
                created = T;
            }

            users.Add(new UserInfo($"U{random.Next(10000):0000}-{u}", random.Next(accounts.Count - 5), created));
        }

        string[] eventTypes = ["login", "report", "share", "export", "invite", "api_call"];
        var usage = new List<UsageRow>();
        long[] edges = [T.Ticks, T.Date.Ticks, T.AddDays(-1).Ticks, T.AddDays(-7).Ticks, T.AddDays(-30).Ticks, T.AddDays(-31).Ticks, T.AddDays(-45).Ticks, T.AddDays(-60).Ticks, T.AddDays(-90).Ticks, T.Date.AddDays(-30).Ticks];
        for (var i = 0; i < 3000; i++)
        {
            var account = random.Next(accounts.Count);
            var user = -1;
            if (random.Next(5) != 0)
            {
                var candidates = Enumerable.Range(0, users.Count).Where(u => users[u].AccountIndex == account).ToList();
                if (candidates.Count > 0)
                {
                    user = candidates[random.Next(candidates.Count)];
                }
            }

            var ticks = random.Next(6) == 0
                ? edges[random.Next(edges.Length)] + (random.Next(3) - 1) * (random.Next(2) == 0 ? 1 : day / 2)
                : T.Ticks - (long)(random.NextDouble() * 130 * day) + (random.Next(10) == 0 ? day : 0);
            usage.Add(new UsageRow(account, user, random.Next(eventTypes.Length), ticks, random.Next(3) == 0 ? random.Next(1, 50) : 1));
        }

        usage.Sort((x, y) => x.Ticks.CompareTo(y.Ticks));
        var tickets = new List<TicketInfo>();
        for (var i = 0; i < 120; i++)
        {
            var opened = T.AddDays(-random.Next(0, 120)).AddHours(-random.Next(0, 24));
            if (i < 4)
            {
                opened = T.AddDays(-new[] { 30, 7, 1, 90 }[i]);
            }

            DateTime? closed = random.Next(3) == 0 ? null : opened.AddDays(random.Next(0, 20));
            tickets.Add(new TicketInfo($"T{i}", random.Next(accounts.Count), opened, closed, random.Next(4) == 0, random.Next(3) == 0 ? null : random.Next(1, 6)));
        }

        var surveys = new List<SurveyInfo>();
        for (var i = 0; i < 100; i++)
        {
            var kind = random.Next(2) == 0 ? SurveyKind.Nps : SurveyKind.Csat;
            var time = i < 3 ? T.AddDays(-90 + i - 1) : T.AddDays(-random.Next(0, 130));
            surveys.Add(new SurveyInfo(random.Next(accounts.Count), -1, time, kind, kind == SurveyKind.Nps ? random.Next(0, 11) : random.Next(1, 6)));
        }

        var revenue = new List<RevenueEntry>();
        var sequence = 0;
        for (var i = 0; i < 150; i++)
        {
            var date = i < 5 ? T.AddDays(-90 - (i % 2)) : T.AddDays(-random.Next(-10, 300)).Date;
            revenue.Add(new RevenueEntry(random.Next(accounts.Count), date, random.Next(6) == 0 ? 0 : random.Next(100, 5000), sequence++));
        }

        return new PortfolioData(accounts, users, eventTypes, [.. usage], tickets, surveys, revenue);
    }

    /// <summary>SCORING.md read line by line, with no thought for speed.</summary>
    private static class Reference
    {
        public static List<(string Id, double?[] Values, double Health)> Score(PortfolioData data, ScoringModel model, DateTime t)
        {
            var w = model.WindowDays;
            bool InWindow(DateTime x) => x > t.AddDays(-w) && x <= t;
            var scored = Enumerable.Range(0, data.Accounts.Count)
                .Where(a => data.Accounts[a].CreatedAt <= t && (data.Accounts[a].ChurnedAt is null || data.Accounts[a].ChurnedAt > t))
                .OrderBy(a => data.Accounts[a].Id, StringComparer.Ordinal).ToList();
            var rows = data.Usage.ToArray().Where(r => InWindow(new DateTime(r.Ticks, DateTimeKind.Utc))).ToList();
            bool ScoredUser(int u) => data.Users[u].CreatedAt is null || data.Users[u].CreatedAt <= t;
            double Weight(int e) => model.SettingsOf(data.EventTypeKeys[e]).Weight;

            var engagementRaw = scored.Select(a => rows.Where(r => r.AccountIndex == a).Sum(r => r.Count * Weight(r.EventTypeIndex))).ToList();
            var supportRaw = scored.Select(a =>
            {
                var opened = data.Tickets.Where(k => k.AccountIndex == a && InWindow(k.OpenedAt)).ToList();
                return (opened.Count + 2.0 * opened.Count(k => k.Escalated)) / Math.Max(1, data.Accounts[a].Seats);
            }).ToList();
            var engagementCurve = Curve(engagementRaw, model.Curvature);
            var supportCurve = Curve(supportRaw, model.Curvature);
            var keyTypes = Enumerable.Range(0, data.EventTypeKeys.Count).Where(e => model.SettingsOf(data.EventTypeKeys[e]).KeyFeature).ToList();

            var result = new List<(string, double?[], double)>();
            for (var i = 0; i < scored.Count; i++)
            {
                var a = scored[i];
                var account = data.Accounts[a];
                var accountRows = rows.Where(r => r.AccountIndex == a).ToList();
                var accountUsers = Enumerable.Range(0, data.Users.Count).Where(u => data.Users[u].AccountIndex == a && ScoredUser(u)).ToList();
                var activeUsers = accountUsers.Where(u => accountRows.Any(r => r.UserIndex == u)).ToList();
                var values = new double?[8];
                values[0] = engagementCurve(engagementRaw[i]);
                double? breadth = account.Seats > 0 ? (double)activeUsers.Count / account.Seats
                    : accountUsers.Count > 0 ? (double)activeUsers.Count / accountUsers.Count : null;
                values[1] = breadth is null ? null : 100 * Math.Min(1, breadth.Value);
                values[2] = keyTypes.Count == 0 ? null : 100.0 * keyTypes.Count(e => accountRows.Any(r => r.EventTypeIndex == e)) / keyTypes.Count;
                static int Days(IEnumerable<UsageRow> rs) => rs.Select(r => r.Ticks / TimeSpan.TicksPerDay).Distinct().Count();
                var frequency = activeUsers.Count > 0
                    ? activeUsers.Average(u => (double)Days(accountRows.Where(r => r.UserIndex == u))) / (w * 5.0 / 7)
                    : accountRows.Count > 0 ? Days(accountRows) / (w * 5.0 / 7) : 0;
                values[3] = 100 * Math.Min(1, frequency);
                var before = data.Usage.ToArray().Where(r => r.AccountIndex == a && r.Ticks <= t.Ticks).ToList();
                values[4] = before.Count == 0 ? 0 : 100 * Math.Max(0, 1 - Math.Floor((t - new DateTime(before.Max(r => r.Ticks))).TotalDays) / w);
                values[5] = 101 - supportCurve(supportRaw[i]);
                bool Last90(DateTime x) => x > t.AddDays(-90) && x <= t;
                var sentiment = data.Surveys.Where(s => s.AccountIndex == a && Last90(s.RespondedAt))
                    .Select(s => s.Kind == SurveyKind.Nps ? s.Score * 10 : (s.Score - 1) * 25)
                    .Concat(data.Tickets.Where(k => k.AccountIndex == a && k.Satisfaction is not null && k.ClosedAt is { } c && Last90(c))
                        .Select(k => (k.Satisfaction!.Value - 1) * 25.0))
                    .ToList();
                values[6] = sentiment.Count == 0 ? null : sentiment.Average();
                var revenue = data.Revenue.Where(r => r.AccountIndex == a).OrderBy(r => r.Date).ThenBy(r => r.Sequence).ToList();
                var now = revenue.LastOrDefault(r => r.Date <= t);
                var then = revenue.LastOrDefault(r => r.Date <= t.AddDays(-90));
                values[7] = then is null || then.Mrr == 0 ? null : Math.Clamp(70 + 150 * ((now!.Mrr - then.Mrr) / then.Mrr), 0, 100);

                double sum = 0, weights = 0;
                foreach (var indicator in Indicators.All)
                {
                    if (values[(int)indicator] is { } x)
                    {
                        sum += model.IndicatorWeights[indicator] * x;
                        weights += model.IndicatorWeights[indicator];
                    }
                }

                result.Add((account.Id, values, weights > 0 ? Math.Clamp(sum / weights, 1, 100) : 1));
            }

            return result;
        }

        public static List<(string Id, double Raw, double Score)> UserEngagement(PortfolioData data, ScoringModel model, DateTime t)
        {
            var scoredAccounts = Enumerable.Range(0, data.Accounts.Count)
                .Where(a => data.Accounts[a].CreatedAt <= t && (data.Accounts[a].ChurnedAt is null || data.Accounts[a].ChurnedAt > t)).ToHashSet();
            var users = Enumerable.Range(0, data.Users.Count)
                .Where(u => scoredAccounts.Contains(data.Users[u].AccountIndex) && (data.Users[u].CreatedAt is null || data.Users[u].CreatedAt <= t))
                .OrderBy(u => data.Users[u].Id, StringComparer.Ordinal).ToList();
            var usage = data.Usage.ToArray();
            var raw = users.Select(u => usage
                .Where(r => r.UserIndex == u && r.Ticks > t.AddDays(-model.WindowDays).Ticks && r.Ticks <= t.Ticks)
                .Sum(r => r.Count * model.SettingsOf(data.EventTypeKeys[r.EventTypeIndex]).Weight)).ToList();
            var curve = Curve(raw, model.Curvature);
            return users.Select((u, i) => (data.Users[u].Id, raw[i], curve(raw[i]))).ToList();
        }

        private static Func<double, double> Curve(List<double> values, double k)
        {
            if (values.Count == 0 || values.Max() <= 0)
            {
                return _ => 1;
            }

            var sorted = values.OrderBy(v => v).ToList();
            var h = (sorted.Count - 1) * 0.9;
            var lo = (int)Math.Floor(h);
            var p = lo + 1 < sorted.Count ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
            if (p <= 0)
            {
                p = sorted[^1];
            }

            return r => r >= p ? 100 : k == 0 ? 1 + 99 * r / p : 1 + 99 * (1 - Math.Exp(-k * r / p)) / (1 - Math.Exp(-k));
        }
    }
}
