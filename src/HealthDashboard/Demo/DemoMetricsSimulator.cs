using HealthDashboard.Scoring;

namespace HealthDashboard.Demo;

/// <summary>
/// Account metrics from the systems beside the product (SCORING.md "Custom indicators"): an onboarding tracker's
/// progress for young accounts and the CSMs' quarterly executive sponsor check-ins. Both follow the account's story,
/// so they agree with the usage: onboarding stalls where few key features get adopted, and sponsors sour on
/// declining and fading accounts but not on the ones that churn without warning.
/// </summary>
internal static class DemoMetricsSimulator
{
    /// <summary>Metric key of the onboarding tracker's completion, percent 0-100.</summary>
    public const string OnboardingProgress = "onboarding_progress";

    /// <summary>Metric key of the CSM's rating of the executive sponsor relationship, 1 (hostile) to 5 (champion).</summary>
    public const string SponsorSentiment = "sponsor_sentiment";

    /// <summary>An onboarding project that has not reached 100% after this many days is closed where it stands.</summary>
    private const double OnboardingProjectDays = 120;

    /// <summary>
    /// The demo model's custom indicators over the two metrics.
    /// <para><c>onboarding_progress</c>: the tracker already reports percent, so <c>direct</c>, higher is better. A
    /// 30-day maximum age keeps the value while a project is open (updates every one or two weeks, a missed one
    /// tolerated) and lets it drop out about a month after the project closed, so it only speaks for young accounts.
    /// Weight 10: a strong early signal, but one that covers a few accounts and should not outvote their usage.</para>
    /// <para><c>sponsor_sentiment</c>: a 1-5 rating, so <c>range</c> from worst 1 to best 5 (3 scores 50). Check-ins
    /// are quarterly, so 120 days keeps the last one through a late check-in and drops a sponsor nobody has talked to
    /// in four months. Weight 8: one person's impression, beside Sentiment's many survey answers.</para>
    /// </summary>
    public static IReadOnlyList<CustomIndicator> Indicators { get; } =
    [
        new()
        {
            Key = OnboardingProgress, Name = "Onboarding progress", Metric = OnboardingProgress, Weight = 10, MaxAgeDays = 30,
            HigherIsBetter = true, Scoring = CustomScoring.Direct,
        },
        new()
        {
            Key = SponsorSentiment, Name = "Sponsor sentiment", Metric = SponsorSentiment, Weight = 8, MaxAgeDays = 120,
            HigherIsBetter = true, Scoring = CustomScoring.Range, Worst = 1, Best = 5,
        },
    ];

    public static void Simulate(DemoDataSet set, IReadOnlyList<AccountProfile> profiles, int seed)
    {
        for (var a = 0; a < set.Accounts.Count; a++)
        {
            AddOnboarding(set, a, profiles[a], RandomExtensions.For(seed, a, 6));
            AddSponsorCheckIns(set, a, profiles[a], RandomExtensions.For(seed, a, 7));
        }
    }

    /// <summary>
    /// Accounts created within the history get an onboarding project: a first update 5-10 days in (so a kickoff
    /// never reads as 0%), then progress rises in steps of 5-20 points at
    /// updates every 7-14 days until it reaches 100 (the last update) or, for an account that struggles, stalls
    /// at the level it managed until the project is closed.
    /// </summary>
    private static void AddOnboarding(DemoDataSet set, int a, AccountProfile profile, Random r)
    {
        if (profile.CreatedAge >= DemoDataBuilder.HistoryDays)
        {
            return;
        }

        var adoptedFeatures = profile.AdoptedFromAge.Count(age => !double.IsNaN(age));
        // A new account that takes up few key features is the one whose onboarding stalls (the usage shows it too);
        // established accounts that later declined or left mostly struggled from the start.
        var struggles = profile.Story switch
        {
            AccountStory.Onboarding => adoptedFeatures <= 2,
            AccountStory.Declining or AccountStory.Silent => r.Chance(0.6),
            AccountStory.Churned => !profile.SuddenChurn && r.Chance(0.6),
            _ => false,
        };
        var stallAt = struggles ? r.Uniform(30, 65) : 100;
        var daysToDone = r.Uniform(35, 90);
        var progress = 0.0;
        for (var since = r.Uniform(5, 10); since < OnboardingProjectDays; since += r.Uniform(7, 14))
        {
            var age = profile.CreatedAge - since;
            if (age < 0 || (profile.StopAge >= 0 && age <= profile.StopAge))
            {
                return;
            }

            // On plan, progress follows the elapsed share of the plan; each update moves in whole steps of 5.
            var planned = Math.Min(stallAt, 100 * since / daysToDone);
            progress = Math.Min(100, Math.Max(progress, Math.Round((planned + r.Normal(0, 4)) / 5) * 5));
            Add(set, a, OnboardingProgress, age, r.Uniform(9, 17), progress);
            if (progress >= 100)
            {
                return;
            }
        }
    }

    /// <summary>A check-in about every quarter (91 ± 10 days) from the first weeks of the account, until it leaves.</summary>
    private static void AddSponsorCheckIns(DemoDataSet set, int a, AccountProfile profile, Random r)
    {
        var age = Math.Min(profile.CreatedAge - r.Uniform(7, 21), r.Uniform(DemoDataBuilder.HistoryDays - 91, DemoDataBuilder.HistoryDays));
        for (; age >= 0; age -= r.Uniform(81, 101))
        {
            if (profile.Story == AccountStory.Churned && age <= profile.StopAge)
            {
                return;
            }

            var rating = Math.Clamp(Math.Round(r.Normal(SponsorMood(profile, age), 0.55)), 1, 5);
            Add(set, a, SponsorSentiment, age, r.Uniform(9, 17), rating);
        }
    }

    /// <summary>The sponsor's usual rating at this age, 1-5.</summary>
    private static double SponsorMood(AccountProfile profile, double age) => profile.Story switch
    {
        AccountStory.Thriving => 4.6,
        AccountStory.Steady => 3.9,
        AccountStory.Seasonal => 3.7,
        AccountStory.Onboarding => 4.1,
        AccountStory.Declining => 2.0 + (1.6 * Math.Clamp(age / 180, 0, 1)),
        // The sponsor went quiet with the rest of the account.
        AccountStory.Silent => age <= profile.StopAge + 20 ? 2.2 : 3.5,
        // A sudden churner's sponsor saw nothing coming (ChurnDecline is 0 for it).
        AccountStory.Churned => 3.9 - (2.2 * profile.ChurnDecline(age)),
        _ => 3,
    };

    private static void Add(DemoDataSet set, int a, string metric, double age, double hourOfDay, double value)
    {
        var time = DemoDataBuilder.WholeSeconds(set.Now.Date.AddDays(-Math.Floor(age)).AddHours(hourOfDay));
        var account = set.Accounts[a];
        if (time <= set.Now && time >= account.CreatedAt && (account.ChurnedAt is null || time < account.ChurnedAt))
        {
            set.Metrics.Add(new(a, metric, time, value));
        }
    }
}
