namespace HealthDashboard.Demo;

/// <summary>
/// Support tickets and survey responses over the 15 months. Struggling accounts open more tickets,
/// escalate more and rate lower; their NPS and CSAT answers are lower too.
/// </summary>
internal static class DemoFeedbackSimulator
{
    private static readonly double[] Priorities = [0.3, 0.45, 0.18, 0.07];
    private static readonly double[] EscalatedPriorities = [0.05, 0.25, 0.45, 0.25];
    private static readonly double[] HoursToClose = [96, 48, 20, 6];

    public static void Simulate(DemoDataSet set, IReadOnlyList<AccountProfile> profiles, IReadOnlyList<UserProfile> userProfiles, int seed)
    {
        // Company-wide NPS campaigns, about a quarter apart.
        var campaigns = new Random(seed ^ 0x4E50);
        var campaignAges = Enumerable.Range(0, 5).Select(q => campaigns.Uniform(50, 70) + (q * 91.0)).Where(age => age < DemoDataBuilder.HistoryDays).ToArray();

        var usersByAccount = new List<int>[set.Accounts.Count];
        for (var a = 0; a < usersByAccount.Length; a++)
        {
            usersByAccount[a] = [];
        }

        for (var u = 0; u < set.Users.Count; u++)
        {
            usersByAccount[set.Users[u].Account].Add(u);
        }

        for (var a = 0; a < set.Accounts.Count; a++)
        {
            AddTickets(set, a, profiles[a], RandomExtensions.For(seed, a, 4));
            AddSurveys(set, a, profiles[a], usersByAccount[a], userProfiles, campaignAges, RandomExtensions.For(seed, a, 5));
        }
    }

    private static void AddTickets(DemoDataSet set, int a, AccountProfile profile, Random r)
    {
        var account = set.Accounts[a];
        var perMonth = 0.4 + (0.18 * Math.Sqrt(account.Seats));
        var usualEscalation = profile.Story switch
        {
            AccountStory.Thriving => 0.03,
            AccountStory.Steady => 0.07,
            AccountStory.Seasonal or AccountStory.Onboarding or AccountStory.Churned => 0.08,
            _ => 0.3,
        };
        for (var age = DemoDataBuilder.HistoryDays - 1; age >= 0; age--)
        {
            // A fading churner escalates more and more as it nears the end.
            var escalation = usualEscalation + (0.4 * profile.ChurnDecline(age));
            var load = TicketLoad(profile, age);
            var opened = r.Poisson(perMonth * load / 30);
            for (var i = 0; i < opened; i++)
            {
                var openedAt = DemoDataBuilder.WholeSeconds(set.Now.Date.AddDays(-age).AddHours(r.Uniform(7, 19)));
                if (openedAt > set.Now || openedAt < account.CreatedAt || (account.ChurnedAt is { } churned && openedAt > churned))
                {
                    continue;
                }

                var escalated = r.Chance(escalation);
                var priority = r.Weighted(escalated ? EscalatedPriorities : Priorities);
                var hours = -Math.Log(1 - r.NextDouble()) * HoursToClose[priority] * (escalated ? 3 : 1);
                DateTime? closedAt = DemoDataBuilder.WholeSeconds(openedAt.AddHours(Math.Max(0.2, hours)));
                int? satisfaction = null;
                if (closedAt > set.Now)
                {
                    closedAt = null;
                }
                else if (r.Chance(0.55))
                {
                    var mood = Mood(profile, age, csat: true) - (escalated ? 0.8 : 0);
                    satisfaction = (int)Math.Clamp(Math.Round(r.Normal(mood, 0.8)), 1, 5);
                }

                set.Tickets.Add(new($"T-{set.Tickets.Count + 1:D5}", a, openedAt, closedAt, DemoCatalog.TicketPriorities[priority], escalated, satisfaction));
            }
        }
    }

    /// <summary>How many times the account's usual ticket rate it files on the day of this age.</summary>
    private static double TicketLoad(AccountProfile profile, double age)
    {
        if (age > profile.CreatedAge || (profile.Story == AccountStory.Churned && age <= profile.StopAge))
        {
            return 0;
        }

        return profile.Story switch
        {
            AccountStory.Thriving => 0.5,
            AccountStory.Steady => 0.8,
            AccountStory.Seasonal => profile.Intensity(age),
            AccountStory.Onboarding => 1.4,
            AccountStory.Declining => 1.4 + (1.2 * (1 - Math.Min(1, age / 180))),
            AccountStory.Churned => 0.8 + (2.4 * profile.ChurnDecline(age)),
            // A burst of frustration before going quiet, then hardly anything.
            AccountStory.Silent => age <= profile.StopAge ? 0.1 : age <= profile.StopAge + 20 ? 3.0 : 1.0,
            _ => 1,
        };
    }

    /// <summary>The mean answer of the account's people at this age: NPS 0-10, or CSAT and ticket ratings 1-5.</summary>
    private static double Mood(AccountProfile profile, double age, bool csat)
    {
        var nps = profile.Story switch
        {
            AccountStory.Thriving => 8.8,
            AccountStory.Steady => 7.6,
            AccountStory.Seasonal => 7.2,
            AccountStory.Onboarding => 8.2,
            AccountStory.Declining => 4 + (3.5 * Math.Clamp(age / 180, 0, 1)),
            AccountStory.Silent => 5,
            AccountStory.Churned => 7.4 - (3.5 * profile.ChurnDecline(age)),
            _ => 4.5,
        };
        return csat ? 1 + (nps * 0.42) : nps;
    }

    private static void AddSurveys(DemoDataSet set, int a, AccountProfile profile, List<int> users, IReadOnlyList<UserProfile> userProfiles,
        double[] campaignAges, Random r)
    {
        var account = set.Accounts[a];
        foreach (var u in users)
        {
            var user = set.Users[u];
            var person = userProfiles[u];
            bool Reachable(DateTime time, double age) =>
                time <= set.Now && time >= user.CreatedAt && (account.ChurnedAt is null || time < account.ChurnedAt)
                && age > Math.Max(profile.StopAge, person.StopAge);

            foreach (var campaign in campaignAges)
            {
                var age = campaign - r.Uniform(0, 14);
                var time = DemoDataBuilder.WholeSeconds(set.Now.AddDays(-age));
                // People who use the product answer more often.
                if (Reachable(time, age) && r.Chance(0.1 + (0.2 * person.Level)))
                {
                    var score = (int)Math.Clamp(Math.Round(r.Normal(Mood(profile, age, csat: false), 1.6)), 0, 10);
                    set.Surveys.Add(new(a, r.Chance(0.1) ? -1 : u, time, "NPS", score));
                }
            }

            // In-app "How satisfied are you?" prompts.
            var prompts = r.Poisson(0.35 * DemoDataBuilder.HistoryDays / 180);
            for (var i = 0; i < prompts; i++)
            {
                var age = r.Uniform(0, DemoDataBuilder.HistoryDays);
                var time = DemoDataBuilder.WholeSeconds(set.Now.AddDays(-age));
                if (Reachable(time, age))
                {
                    var score = (int)Math.Clamp(Math.Round(r.Normal(Mood(profile, age, csat: true), 0.8)), 1, 5);
                    set.Surveys.Add(new(a, u, time, "CSAT", score));
                }
            }
        }
    }
}
