namespace HealthDashboard.Demo;

/// <summary>
/// Builds the demo data set in memory: accounts with their stories, revenue history and users here;
/// usage in <see cref="DemoUsageSimulator"/>; tickets and surveys in <see cref="DemoFeedbackSimulator"/>; account metrics
/// in <see cref="DemoMetricsSimulator"/>.
/// Every draw comes from generators seeded by (seed, account, phase), so a seed always gives the same data.
/// </summary>
internal static class DemoDataBuilder
{
    /// <summary>Days of usage history before Now: 15 months, so a backtest has 12 month starts with 90 days after them.</summary>
    public const int HistoryDays = 456;

    /// <summary>Share of churners whose churn nothing in the data foretold (a budget cut, an acquisition).</summary>
    private const double SuddenChurnShare = 0.2;

    // Share of each story; thriving takes what is left. About a quarter of the accounts churn over the
    // 15 months, spread over them. Tuned so the default model at Now puts at least 15% of the scored
    // accounts in each band (see DemoDataGeneratorTests), and so that a backtest has something to find:
    // churners fade for weeks first (fewer users, thinner logins, more escalations, lower answers), but
    // declining and silent accounts that look just as bad stay, and some churners looked healthy.
    private static readonly (AccountStory Story, double Share)[] StoryShares =
    [
        (AccountStory.Churned, 0.25),
        (AccountStory.Onboarding, 0.07),
        (AccountStory.Silent, 0.08),
        (AccountStory.Declining, 0.12),
        (AccountStory.Seasonal, 0.07),
        (AccountStory.Steady, 0.19),
    ];

    /// <summary>The data set of <paramref name="accountCount"/> accounts for <paramref name="seed"/>, ending at <paramref name="now"/>.</summary>
    public static DemoDataSet Build(int accountCount, int seed, DateTime now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accountCount, 1);
        now = WholeSeconds(DateTime.SpecifyKind(now, DateTimeKind.Utc));
        var set = new DemoDataSet { Now = now };
        var stories = StoryDeck(accountCount, new Random(seed));
        var names = new DemoNames(new Random(seed ^ 0x5EED));
        var profiles = new List<AccountProfile>(accountCount);
        var userProfiles = new List<UserProfile>();
        for (var a = 0; a < accountCount; a++)
        {
            var profile = AddAccount(set, a, stories[a], RandomExtensions.For(seed, a, 1), names);
            profiles.Add(profile);
            AddUsers(set, a, profile, RandomExtensions.For(seed, a, 2), names, userProfiles);
        }

        DemoUsageSimulator.Simulate(set, profiles, userProfiles, seed);
        DemoFeedbackSimulator.Simulate(set, profiles, userProfiles, seed);
        DemoMetricsSimulator.Simulate(set, profiles, seed);
        return set;
    }

    /// <summary>Exact story counts (rounded shares), shuffled: even 12 accounts get a mix.</summary>
    private static AccountStory[] StoryDeck(int count, Random random)
    {
        var deck = new List<AccountStory>(count);
        foreach (var (story, share) in StoryShares)
        {
            var n = story == AccountStory.Churned && count >= 10 ? Math.Max(1, (int)Math.Round(count * share)) : (int)Math.Round(count * share);
            deck.AddRange(Enumerable.Repeat(story, Math.Min(n, count - deck.Count)));
        }

        deck.AddRange(Enumerable.Repeat(AccountStory.Thriving, count - deck.Count));
        var array = deck.ToArray();
        random.Shuffle(array);
        return array;
    }

    private static AccountProfile AddAccount(DemoDataSet set, int index, AccountStory story, Random r, DemoNames names)
    {
        var now = set.Now;
        var segment = r.Weighted([0.62, 0.28, 0.10]);
        var seats = (int)Math.Round(segment switch
        {
            0 => r.LogUniform(3, 14),
            1 => r.LogUniform(10, 36),
            _ => r.LogUniform(30, 100),
        });
        var plans = DemoCatalog.PlansBySegment[segment];
        var plan = plans[r.Chance(story == AccountStory.Thriving ? 0.6 : 0.4) ? 1 : 0];
        var createdAge = story switch
        {
            AccountStory.Onboarding => r.Uniform(5, 60),
            _ => r.LogUniform(120, 1600),
        };
        var churnAge = story == AccountStory.Churned ? r.Uniform(3, HistoryDays - 15) : -1;
        if (story == AccountStory.Churned)
        {
            createdAge = churnAge + r.LogUniform(150, 1200);
        }

        var sudden = story == AccountStory.Churned && r.Chance(SuddenChurnShare);
        var declineDays = r.Uniform(30, 110);
        var created = WholeSeconds(now.AddDays(-createdAge));
        DateTime? churned = churnAge >= 0 ? WholeSeconds(now.AddDays(-churnAge)) : null;
        var stopAge = story switch
        {
            AccountStory.Silent => r.Uniform(20, 60),
            AccountStory.Churned => churnAge,
            _ => -1,
        };

        // Revenue: the start, a price uplift at every renewal, the story's seat change, and the churn.
        var changes = new List<(DateTime Date, double SeatFactor, double Uplift, bool Churn)>();
        DateTime? renewal = null;
        for (var year = 1; ; year++)
        {
            var anniversary = created.AddYears(year);
            if (anniversary > now || (churned is { } c && anniversary >= c))
            {
                renewal = churned is null ? anniversary.Date : null;
                break;
            }

            changes.Add((anniversary, 1, 1.04, false));
        }

        var seatChange = story switch
        {
            AccountStory.Thriving when r.Chance(0.75) => (Age: r.Uniform(15, 80), Factor: r.Uniform(1.2, 1.6)),
            AccountStory.Thriving => (Age: r.Uniform(100, 170), Factor: r.Uniform(1.15, 1.4)),
            AccountStory.Steady when r.Chance(0.25) => (Age: r.Uniform(30, 170), Factor: 1.1),
            AccountStory.Declining => (Age: r.Uniform(10, 80), Factor: r.Uniform(0.6, 0.85)),
            AccountStory.Churned when !sudden && r.Chance(0.5) => (Age: churnAge + r.Uniform(20, declineDays), Factor: r.Uniform(0.6, 0.85)),
            _ => (Age: -1.0, Factor: 1.0),
        };
        if (seatChange.Age >= 0 && seatChange.Age < createdAge - 5)
        {
            changes.Add((now.AddDays(-seatChange.Age), seatChange.Factor, 1, false));
        }
        else
        {
            seatChange = (-1, 1);
        }

        if (churned is { } churnDate)
        {
            changes.Add((churnDate, 1, 1, true));
        }

        var startSeats = seats;
        var mrr = PlanMrr(plan, seats);
        set.Revenue.Add(new(index, created.Date, mrr));
        var uplift = 1.0;
        foreach (var change in changes.OrderBy(x => x.Date))
        {
            if (change.Churn)
            {
                set.Revenue.Add(new(index, change.Date.Date, 0));
                continue;
            }

            seats = Math.Max(1, (int)Math.Round(seats * change.SeatFactor));
            uplift *= change.Uplift;
            mrr = Math.Round(PlanMrr(plan, seats) * uplift);
            set.Revenue.Add(new(index, change.Date.Date, mrr));
        }

        var name = names.Company();
        var owner = DemoCatalog.Owners[r.Next(DemoCatalog.Owners.Count)];
        set.Accounts.Add(new(
            $"ACC-{index + 1:D4}", name, DemoNames.Domain(name), DemoCatalog.Segments[segment], plan.Name, seats, mrr,
            renewal, owner, created, churned, story));

        return new AccountProfile
        {
            Story = story,
            CreatedAge = createdAge,
            StopAge = stopAge,
            SeasonPeriod = r.Chance(0.5) ? 182.5 : 365,
            SeasonPhase = r.Uniform(0, 2 * Math.PI),
            DailyExport = r.Chance(segment switch { 0 => 0.15, 1 => 0.35, _ => 0.6 }),
            StartSeats = startSeats,
            UpsellAge = seatChange.Factor > 1 ? seatChange.Age : -1,
            SuddenChurn = sudden,
            DeclineDays = declineDays,
            AdoptedFromAge = AdoptFeatures(story, sudden, createdAge, stopAge, declineDays, r, out var dropped),
            DroppedAtAge = dropped,
        };
    }

    /// <summary>List price: seats x price per seat, with volume discounts, plus the plan's platform fee.</summary>
    private static double PlanMrr(DemoPlan plan, int seats)
    {
        var discount = seats >= 100 ? 0.8 : seats >= 40 ? 0.9 : 1.0;
        return Math.Round((seats * plan.PricePerSeat * discount) + plan.PlatformFee);
    }

    // Relative popularity of the key features (catalog order of the AdoptedFeature types).
    private static readonly double[] FeaturePopularity = [5, 3, 3, 4, 2, 4, 1.5];

    private static double[] AdoptFeatures(AccountStory story, bool sudden, double createdAge, double stopAge, double declineDays, Random r, out double[] dropped)
    {
        var types = DemoCatalog.EventTypes;
        var adopted = Enumerable.Repeat(double.NaN, types.Count).ToArray();
        dropped = Enumerable.Repeat(-1.0, types.Count).ToArray();
        var features = Enumerable.Range(0, types.Count).Where(i => types[i].Source == EventSource.AdoptedFeature).ToList();
        var count = story switch
        {
            AccountStory.Thriving => r.Next(5, 8),
            AccountStory.Steady or AccountStory.Seasonal => r.Next(3, 6),
            AccountStory.Declining => r.Next(3, 6),
            AccountStory.Silent or AccountStory.Onboarding => r.Next(2, 6),
            _ => r.Next(1, 5),
        };

        var popularity = FeaturePopularity.ToList();
        count = Math.Min(count, features.Count);
        for (var n = 0; n < count; n++)
        {
            var pick = r.Weighted(popularity.ToArray());
            var feature = features[pick];
            features.RemoveAt(pick);
            popularity.RemoveAt(pick);

            // New accounts adopt features one by one; established ones adopted most long ago.
            adopted[feature] = story == AccountStory.Onboarding
                ? createdAge - r.Uniform(2, 30)
                : n == count - 1 && story == AccountStory.Thriving ? r.Uniform(20, Math.Min(100, createdAge)) : createdAge - r.Uniform(5, Math.Min(120, createdAge - 1));
            var dropChance = story switch
            {
                AccountStory.Declining => 0.55,
                AccountStory.Churned when !sudden => 0.6,
                _ => 0,
            };
            if (r.Chance(dropChance))
            {
                dropped[feature] = Math.Max(stopAge, 0) + r.Uniform(0, story == AccountStory.Churned ? declineDays : 150);
            }
        }

        return adopted;
    }

    private static void AddUsers(DemoDataSet set, int accountIndex, AccountProfile profile, Random r, DemoNames names, List<UserProfile> userProfiles)
    {
        var account = set.Accounts[accountIndex];
        var now = set.Now;
        var end = account.ChurnedAt ?? now;
        var fill = profile.Story switch
        {
            AccountStory.Thriving => r.Uniform(0.85, 1.0),
            AccountStory.Onboarding => r.Uniform(0.6, 0.85),
            _ => r.Uniform(0.7, 0.95),
        };
        var provisioned = Math.Max(1, (int)Math.Round(Math.Max(profile.StartSeats, account.Seats) * fill));
        var beforeUpsell = profile.UpsellAge >= 0 ? Math.Max(1, (int)Math.Round(profile.StartSeats * fill)) : provisioned;
        var upsell = profile.UpsellAge >= 0 ? now.AddDays(-profile.UpsellAge) : end;

        // Champions, regulars, occasional users and people who never really started.
        double[] mix = profile.Story switch
        {
            AccountStory.Thriving => [0.35, 0.5, 0.12, 0.03],
            AccountStory.Declining or AccountStory.Churned => [0.1, 0.45, 0.3, 0.15],
            AccountStory.Onboarding => [0.2, 0.45, 0.25, 0.1],
            _ => [0.15, 0.5, 0.25, 0.1],
        };
        double[] levels = [0.85, 0.6, 0.25, 0];
        var accountHour = r.Uniform(7, 15);
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < provisioned; i++)
        {
            DateTime created;
            if (i == 0)
            {
                created = account.CreatedAt;
            }
            else if (profile.Story == AccountStory.Onboarding)
            {
                created = account.CreatedAt.AddDays(r.Uniform(0, Math.Min(25, (now - account.CreatedAt).TotalDays)));
            }
            else if (i < beforeUpsell)
            {
                // Most people join early; a trickle keeps coming.
                var span = (upsell - account.CreatedAt).TotalDays;
                created = account.CreatedAt.AddDays(span * Math.Pow(r.NextDouble(), 3));
            }
            else
            {
                created = upsell.AddDays(r.Uniform(0, Math.Min(30, (end - upsell).TotalDays)));
            }

            var (first, last) = names.Person();
            set.Users.Add(new($"U-{set.Users.Count + 1:D5}", accountIndex, $"{first} {last}", DemoNames.Email(first, last, account.Domain, emails), WholeSeconds(created)));

            var stopAge = profile.Story switch
            {
                AccountStory.Declining when r.Chance(0.55) => r.Uniform(0, 170),
                AccountStory.Churned when !profile.SuddenChurn && r.Chance(0.55) => profile.StopAge + r.Uniform(0, profile.DeclineDays),
                AccountStory.Steady or AccountStory.Seasonal when r.Chance(0.05) => r.Uniform(0, HistoryDays),
                _ => -1,
            };
            var level = levels[r.Weighted(mix)] * r.Uniform(0.85, 1.15);
            userProfiles.Add(new(level, stopAge, Math.Clamp(accountHour + r.Normal(0, 1), 5, 20)));
        }
    }

    /// <summary>The time cut to whole seconds (UTC), so CSV files carry exactly the stored times.</summary>
    public static DateTime WholeSeconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
