using System.Text.RegularExpressions;
using HealthDashboard.Data;
using HealthDashboard.Demo;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Demo;

/// <summary>The default demo (300 accounts, seed 42) written once into a temporary database and scored at its Now.</summary>
public sealed class DefaultDemoFixture : IAsyncLifetime
{
    public static readonly DateTime Now = new(2026, 6, 15, 12, 0, 0, DateTimeKind.Utc);

    public TestStore Database { get; private set; } = null!;
    public DemoSummary Summary { get; private set; } = null!;
    public ScoredPortfolio Scored { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestStore.CreateAsync();
        var generator = ActivatorUtilities.CreateInstance<DemoDataGenerator>(Database.Services);
        Summary = await generator.GenerateAsync(new DemoOptions { Now = Now });
        Scored = await Database.Services.GetRequiredService<ScoringService>().ScoreAtAsync(Now);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

public class DemoDataGeneratorTests(DefaultDemoFixture demo) : IClassFixture<DefaultDemoFixture>
{
    private static readonly DateTime Now = DefaultDemoFixture.Now;

    [Fact]
    public void Every_band_holds_at_least_15_percent_of_the_scored_accounts()
    {
        var scores = demo.Scored.Scores;
        // About a quarter of the accounts churned over the 15 months; the rest (and no more) are scored at Now.
        Assert.InRange(scores.AccountCount, 200, 240);
        foreach (var band in Enum.GetValues<Band>())
        {
            var share = (double)Enumerable.Range(0, scores.AccountCount).Count(a => scores.BandOf(a) == band) / scores.AccountCount;
            Assert.True(share >= 0.15, $"{band}: {share:P0}");
        }
    }

    [Fact]
    public void Struggling_accounts_file_more_tickets_and_answer_surveys_lower()
    {
        var scores = demo.Scored.Scores;
        var agg = demo.Scored.Aggregates;
        double Mean(Band band, Func<int, double> value) =>
            Enumerable.Range(0, scores.AccountCount).Where(a => scores.BandOf(a) == band).Select(value).Where(v => !double.IsNaN(v)).Average();

        Assert.True(Mean(Band.Red, a => agg.SupportRaw[a]) > 2 * Mean(Band.Green, a => agg.SupportRaw[a]));
        Assert.True(Mean(Band.Red, a => agg.SentimentRaw[a]) + 20 < Mean(Band.Green, a => agg.SentimentRaw[a]));
        Assert.True(Mean(Band.Red, a => agg.EscalatedInWindow[a]) > Mean(Band.Green, a => agg.EscalatedInWindow[a]));
    }

    [Fact]
    public async Task Accounts_look_like_a_real_customer_base()
    {
        await using var db = await demo.Database.DbFactory.CreateDbContextAsync();
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.ExternalId).ToListAsync();

        Assert.Equal(300, accounts.Count);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"ACC-{i:D4}"), accounts.Select(a => a.ExternalId));
        Assert.Equal(new[] { "Enterprise", "Mid-Market", "SMB" }, accounts.Select(a => a.Segment).Distinct().Order());
        Assert.True(accounts.Count(a => a.Segment == "SMB") > accounts.Count(a => a.Segment == "Enterprise"));
        Assert.InRange(accounts.Select(a => a.Owner).Distinct().Count(), 6, 8);
        Assert.All(accounts.Select(a => a.Owner!), owner => Assert.Matches(@"^\p{Lu}\p{Ll}+ \p{Lu}\p{L}+$", owner));

        // Real-looking, unique names: "Bluepeak Analytics", never "Account 17".
        Assert.Equal(300, accounts.Select(a => a.Name).Distinct().Count());
        Assert.All(accounts, a => Assert.Matches(@"^[A-Z][a-z]+( [A-Z][a-z]+)+$", a.Name));
        Assert.DoesNotContain(accounts, a => Regex.IsMatch(a.Name, @"\d|Account|Customer|Company"));

        // Plans fit the segment and MRR follows plan and seats (list price with volume discount and renewal uplifts).
        var price = new Dictionary<string, (double PerSeat, double Fee)>
        {
            ["Starter"] = (19, 0), ["Growth"] = (39, 0), ["Business"] = (59, 250), ["Enterprise"] = (89, 1500),
        };
        Assert.All(accounts, a =>
        {
            Assert.Contains(a.Plan, a.Segment switch { "SMB" => ["Starter", "Growth"], "Mid-Market" => ["Growth", "Business"], _ => new[] { "Business", "Enterprise" } });
            Assert.True(a.Seats > 0);
            var (perSeat, fee) = price[a.Plan!];
            Assert.InRange(a.Mrr, (a.Seats * perSeat * 0.8) + fee - 1, ((a.Seats * perSeat) + fee) * 1.3);
        });

        // Renewals spread over the next 12 months, some within 30 days; about a quarter churned, spread over the 15 months.
        var customers = accounts.Where(a => a.ChurnedAt is null).ToList();
        Assert.All(customers, a => Assert.InRange(a.RenewalDate!.Value, Now.Date, Now.AddDays(366)));
        Assert.InRange(customers.Count(a => a.RenewalDate < Now.AddDays(30)), 8, 50);
        Assert.True(customers.Count(a => a.RenewalDate > Now.AddDays(270)) >= 30);
        var churned = accounts.Where(a => a.ChurnedAt is not null).ToList();
        Assert.InRange(churned.Count, 60, 90);
        Assert.All(churned, a => Assert.True(a.ChurnedAt < Now && a.ChurnedAt > a.CreatedAt));
        foreach (var fifth in Enumerable.Range(0, 5))
        {
            var from = Now.AddDays(-DemoDataBuilder.HistoryDays * (5 - fifth) / 5.0);
            var to = Now.AddDays(-DemoDataBuilder.HistoryDays * (4 - fifth) / 5.0);
            Assert.InRange(churned.Count(a => a.ChurnedAt > from && a.ChurnedAt <= to), 8, 25);
        }
        Assert.InRange(accounts.Count(a => a.CreatedAt > Now.AddDays(-60)), 15, 40);
    }

    [Fact]
    public async Task Users_have_real_names_and_emails_at_their_accounts_domain()
    {
        await using var db = await demo.Database.DbFactory.CreateDbContextAsync();
        var users = await db.Users.AsNoTracking().Include(u => u.Account).ToListAsync();

        Assert.InRange(users.Count, 3500, 5000);
        Assert.Equal(users.Count, users.Select(u => u.ExternalId).Distinct().Count());
        Assert.All(users, u => Assert.Matches(@"^U-\d{5}$", u.ExternalId));
        Assert.All(users, u =>
        {
            Assert.Matches(@"^\p{Lu}\p{Ll}+ \p{Lu}[\p{L}']+$", u.Name!);
            var domain = Regex.Replace(u.Account!.Name.ToLowerInvariant(), "[^a-z]", "") + ".com";
            Assert.Matches($@"^[a-z]+\.[a-z]+\d*@{Regex.Escape(domain)}$", u.Email!);
            Assert.InRange(u.CreatedAt!.Value, u.Account.CreatedAt, Now);
        });
        Assert.Equal(users.Count, users.Select(u => u.Email).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public async Task Event_types_carry_weights_and_flags_and_the_saved_model_scores_with_them()
    {
        await using var db = await demo.Database.DbFactory.CreateDbContextAsync();
        var types = await db.EventTypes.AsNoTracking().ToDictionaryAsync(e => e.Key);

        Assert.True(types.Count >= 25);
        Assert.All(types.Values, t => Assert.InRange(t.Weight, 0, 10));
        Assert.Equal((1.0, false, false), (types["login"].Weight, types["login"].KeyFeature, types["login"].ValueMoment));
        Assert.Equal((5.0, false), (types["report_created"].Weight, types["report_created"].KeyFeature));
        Assert.Equal((7.0, true), (types["dashboard_shared"].Weight, types["dashboard_shared"].KeyFeature));
        Assert.Equal((9.0, true, true), (types["integration_connected"].Weight, types["integration_connected"].KeyFeature, types["integration_connected"].ValueMoment));
        Assert.InRange(types.Values.Count(t => t.KeyFeature), 5, 10);
        Assert.InRange(types.Values.Count(t => t.ValueMoment), 3, 8);

        var version = await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync();
        Assert.Equal((2, "demo"), (version.Id, version.SavedBy));
        Assert.Equal(2, demo.Scored.ModelVersion);
        var model = ScoringModel.FromJson(version.ModelJson);
        Assert.All(types.Values, t => Assert.Equal(new EventTypeSettings(t.Weight, t.KeyFeature, t.ValueMoment), model.SettingsOf(t.Key)));
        Assert.Equal(ScoringModel.Default.IndicatorWeights, model.IndicatorWeights);

        var batch = await db.ImportBatches.AsNoTracking().SingleAsync();
        Assert.Equal("demo", batch.Source);
        Assert.StartsWith("Demo data: 300 accounts", batch.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_mixes_user_and_account_level_rows_raw_events_and_daily_counts()
    {
        await using var db = await demo.Database.DbFactory.CreateDbContextAsync();
        var usage = db.Usage.AsNoTracking();

        var rows = await usage.CountAsync();
        Assert.InRange(rows, 1_000_000, 2_500_000);
        Assert.Equal(demo.Summary.UsageRows, rows);
        var accountLevel = await usage.CountAsync(u => u.UserId == null);
        Assert.InRange(accountLevel, rows / 50, rows / 4);
        var counted = await usage.CountAsync(u => u.Count > 1);
        Assert.InRange(counted, rows / 50, rows / 2);
        Assert.True(await usage.AnyAsync(u => u.UserId != null && u.Count > 1));
        Assert.Equal(0, await usage.CountAsync(u => u.Count < 1));
        Assert.Equal(Now.Date.AddDays(1 - DemoDataBuilder.HistoryDays), new DateTime(await usage.MinAsync(u => u.Timestamp)).Date);
        Assert.True(await usage.MaxAsync(u => u.Timestamp) <= Now.Ticks);
        Assert.True(await usage.MaxAsync(u => u.Timestamp) > Now.AddDays(-1).Ticks);

        // Weekdays are busier than weekends.
        var sample = await usage.Where(u => u.Timestamp > Now.AddDays(-28).Ticks).Select(u => u.Timestamp).ToListAsync();
        var weekend = sample.Count(t => new DateTime(t).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(weekend * 5 < sample.Count - weekend, $"{weekend} of {sample.Count} rows on weekends");
    }

    [Fact]
    public async Task Tickets_surveys_and_revenue_tell_the_stories()
    {
        await using var db = await demo.Database.DbFactory.CreateDbContextAsync();
        var tickets = await db.Tickets.AsNoTracking().ToListAsync();
        var surveys = await db.Surveys.AsNoTracking().ToListAsync();
        var revenue = await db.Revenue.AsNoTracking().ToListAsync();
        var accounts = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id);

        Assert.InRange(tickets.Count, 600, 4000);
        Assert.Equal(new[] { "High", "Low", "Normal", "Urgent" }, tickets.Select(t => t.Priority).Distinct().Order());
        Assert.InRange(tickets.Count(t => t.Escalated), tickets.Count / 20, tickets.Count / 3);
        Assert.Contains(tickets, t => t.ClosedAt is null);
        Assert.All(tickets, t => Assert.True(t.ClosedAt is null || t.ClosedAt > t.OpenedAt));
        Assert.All(tickets.Where(t => t.Satisfaction is not null), t => Assert.InRange(t.Satisfaction!.Value, 1, 5));

        Assert.InRange(surveys.Count(s => s.Kind == "NPS"), 500, 4000);
        Assert.InRange(surveys.Count(s => s.Kind == "CSAT"), 300, 4000);
        Assert.All(surveys, s => Assert.InRange(s.Score, 0, s.Kind == "NPS" ? 10 : 5));
        Assert.Contains(surveys, s => s.UserId is null);

        // A start entry at creation; the latest entry is the account's MRR (0 after a churn); up- and down-sells.
        var byAccount = revenue.GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Date).ThenBy(r => r.Id).ToList());
        Assert.Equal(accounts.Count, byAccount.Count);
        Assert.All(byAccount, pair =>
        {
            var account = accounts[pair.Key];
            Assert.Equal(account.CreatedAt.Date, pair.Value[0].Date);
            Assert.Equal(account.ChurnedAt is null ? account.Mrr : 0, pair.Value[^1].Mrr);
        });
        var changes = byAccount.Values.SelectMany(list => list.Zip(list.Skip(1), (before, after) => after.Mrr / before.Mrr)).ToList();
        Assert.True(changes.Count(c => c > 1.1) >= 40, "up-sells");
        Assert.True(changes.Count(c => c < 0.9 && c > 0) >= 20, "down-sells");
    }

    [Fact]
    public void The_same_seed_and_now_give_the_same_data_set_and_another_seed_another()
    {
        var first = DemoDataBuilder.Build(30, 7, Now);
        var second = DemoDataBuilder.Build(30, 7, Now);
        var other = DemoDataBuilder.Build(30, 8, Now);

        Assert.Equal(first.Accounts, second.Accounts);
        Assert.Equal(first.Users, second.Users);
        Assert.Equal(first.Usage, second.Usage);
        Assert.Equal(first.Tickets, second.Tickets);
        Assert.Equal(first.Surveys, second.Surveys);
        Assert.Equal(first.Revenue, second.Revenue);
        Assert.NotEqual(first.Accounts.Select(a => a.Name), other.Accounts.Select(a => a.Name));
        Assert.NotEqual(first.Usage.Length, other.Usage.Length);
    }

    [Fact]
    public async Task Two_databases_filled_with_the_same_seed_hold_the_same_rows()
    {
        async Task<string> FillAndDumpAsync()
        {
            await using var database = await TestStore.CreateAsync();
            await ActivatorUtilities.CreateInstance<DemoDataGenerator>(database.Services).GenerateAsync(new DemoOptions { Accounts = 15, Seed = 3, Now = Now });
            await using var db = await database.DbFactory.CreateDbContextAsync();
            var lines = new List<string>();
            lines.AddRange((await db.Accounts.AsNoTracking().OrderBy(a => a.Id).ToListAsync()).Select(a =>
                $"{a.Id} {a.ExternalId} {a.Name} {a.Segment} {a.Plan} {a.Seats} {a.Mrr} {a.RenewalDate:O} {a.Owner} {a.CreatedAt:O} {a.ChurnedAt:O}"));
            lines.AddRange((await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync()).Select(u => $"{u.Id} {u.ExternalId} {u.AccountId} {u.Name} {u.Email} {u.CreatedAt:O}"));
            lines.AddRange((await db.Usage.AsNoTracking().OrderBy(u => u.Id).ToListAsync()).Select(u => $"{u.Id} {u.AccountId} {u.UserId} {u.EventTypeId} {u.Timestamp} {u.Count}"));
            lines.AddRange((await db.Tickets.AsNoTracking().OrderBy(t => t.Id).ToListAsync()).Select(t => $"{t.ExternalId} {t.AccountId} {t.OpenedAt:O} {t.ClosedAt:O} {t.Priority} {t.Escalated} {t.Satisfaction}"));
            lines.AddRange((await db.Surveys.AsNoTracking().OrderBy(s => s.Id).ToListAsync()).Select(s => $"{s.AccountId} {s.UserId} {s.RespondedAt:O} {s.Kind} {s.Score}"));
            lines.AddRange((await db.Revenue.AsNoTracking().OrderBy(r => r.Id).ToListAsync()).Select(r => $"{r.AccountId} {r.Date:O} {r.Mrr}"));
            return string.Join('\n', lines);
        }

        var first = await FillAndDumpAsync();
        var second = await FillAndDumpAsync();

        Assert.True(first.Length > 100_000);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Churn_shows_in_the_indicators_before_it_but_not_trivially()
    {
        // The default range: 12 month starts with 90 days of data after them.
        var backtests = demo.Database.Get<BacktestService>();
        var model = await backtests.LoadCurrentModelAsync();
        var range = await backtests.ResolveRangeAsync(null, null);
        var history = await backtests.LoadAsync(range, model.WindowDays);

        var figures = history.Evaluate(model).Figures;
        var suggestion = history.Suggest(model);

        Assert.Equal(12, range.Times.Count);
        Assert.InRange(figures.Churned, 100, 400);
        // The default model sees churn coming (clearly better than chance) but far from perfectly ...
        Assert.InRange(figures.Auc!.Value, 0.6, 0.8);
        Assert.True(figures.RedLift > 1.3, $"red lift {figures.RedLift}");
        // ... and weights fitted to the earlier months do clearly better on the later ones, without reaching certainty.
        Assert.True(suggestion.HoldoutAuc > suggestion.CurrentHoldoutAuc + 0.08, $"hold-out {suggestion.HoldoutAuc} vs current {suggestion.CurrentHoldoutAuc}");
        Assert.True(suggestion.HoldoutAuc < 0.95, $"hold-out {suggestion.HoldoutAuc}");
    }

    [Fact]
    public async Task Onboarding_progress_and_sponsor_check_ins_are_stored_as_metrics_of_the_right_accounts()
    {
        await using var db = await demo.Database.DbFactory.CreateDbContextAsync();
        var accounts = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id);
        var metrics = await db.Metrics.AsNoTracking().OrderBy(m => m.Time).ThenBy(m => m.Id).ToListAsync();
        var onboarding = metrics.Where(m => m.Metric == DemoMetricsSimulator.OnboardingProgress).GroupBy(m => m.AccountId).ToDictionary(g => g.Key, g => g.ToList());
        var sponsor = metrics.Where(m => m.Metric == DemoMetricsSimulator.SponsorSentiment).GroupBy(m => m.AccountId).ToDictionary(g => g.Key, g => g.ToList());

        Assert.Equal(metrics.Count, onboarding.Values.Sum(l => l.Count) + sponsor.Values.Sum(l => l.Count));
        Assert.Equal(demo.Summary.MetricRows, metrics.Count);
        Assert.All(metrics, m =>
        {
            var account = accounts[m.AccountId];
            Assert.InRange(m.Time, account.CreatedAt, account.ChurnedAt ?? Now);
        });

        // Onboarding: only accounts created within the history, every account 14 to 60 days old among them (the first update comes after 5-10 days);
        // progress 0-100 in steps of 5 that never goes back, updated every one or two weeks.
        Assert.All(onboarding.Keys, id => Assert.True(accounts[id].CreatedAt > Now.AddDays(-DemoDataBuilder.HistoryDays), accounts[id].ExternalId));
        Assert.All(accounts.Values.Where(a => a.CreatedAt < Now.AddDays(-14) && a.CreatedAt > Now.AddDays(-60)), a => Assert.True(onboarding.ContainsKey(a.Id), a.ExternalId));
        Assert.All(onboarding.Values, rows =>
        {
            Assert.All(rows, r => Assert.True(r.Value is >= 0 and <= 100 && r.Value % 5 == 0, $"{r.Value}"));
            Assert.Equal(rows.Select(r => r.Value).Order(), rows.Select(r => r.Value));
            Assert.All(rows.Zip(rows.Skip(1)), pair => Assert.InRange((pair.Second.Time - pair.First.Time).TotalDays, 6, 15));
        });
        Assert.Contains(onboarding.Values, rows => rows[^1].Value == 100);
        Assert.Contains(onboarding.Values, rows => rows[^1].Value < 70 && rows[^1].Time < Now.AddDays(-20));

        // Sponsor check-ins: ratings 1-5 about every quarter, for nearly every account that has been a customer for a month.
        Assert.All(metrics.Where(m => m.Metric == DemoMetricsSimulator.SponsorSentiment), m => Assert.True(m.Value is >= 1 and <= 5 && m.Value % 1 == 0, $"{m.Value}"));
        Assert.All(sponsor.Values, rows => Assert.All(rows.Zip(rows.Skip(1)), pair => Assert.InRange((pair.Second.Time - pair.First.Time).TotalDays, 79, 103)));
        Assert.All(accounts.Values.Where(a => a.CreatedAt < Now.AddDays(-30) && a.ChurnedAt is null), a => Assert.True(sponsor.ContainsKey(a.Id), a.ExternalId));
        Assert.All(accounts.Values.Where(a => a.CreatedAt < Now.AddDays(-DemoDataBuilder.HistoryDays) && a.ChurnedAt is null),
            a => Assert.InRange(sponsor[a.Id].Count, 4, 6));
    }

    [Fact]
    public async Task The_demo_model_scores_both_custom_indicators_and_they_agree_with_the_usage()
    {
        await using var db = await demo.Database.DbFactory.CreateDbContextAsync();
        var version = await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync();
        var model = ScoringModel.FromJson(version.ModelJson);
        Assert.Equal(DemoMetricsSimulator.Indicators, model.CustomIndicators);
        Assert.Empty(model.Validate());

        var metrics = await db.Metrics.AsNoTracking().Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new { a.ExternalId, m.Metric, m.Time, m.Value }).ToListAsync();
        var scores = demo.Scored.Scores;
        var agg = demo.Scored.Aggregates;
        foreach (var indicator in model.CustomIndicators)
        {
            var column = scores.CustomKeys.ToList().IndexOf(indicator.Key);
            Assert.True(column >= 0, indicator.Key);
            var scored = 0;
            for (var a = 0; a < scores.AccountCount; a++)
            {
                var id = demo.Scored.Data.Accounts[agg.Accounts[a]].Id;
                var latest = metrics.Where(m => m.ExternalId == id && m.Metric == indicator.Metric && m.Time > Now.AddDays(-indicator.MaxAgeDays) && m.Time <= Now)
                    .OrderBy(m => m.Time).LastOrDefault();
                var value = scores.CustomValue(a, column);
                if (latest is null)
                {
                    Assert.True(value is null, $"{indicator.Key} of {id}: {value}");
                    continue;
                }

                scored++;
                Assert.Equal(indicator.ScoreOf(latest.Value), value!.Value, 6);
                Assert.True(scores.CustomContribution(a, column) > 0 || value == 0, $"{indicator.Key} of {id} adds nothing");
            }

            Assert.True(scored >= (indicator.Key == DemoMetricsSimulator.OnboardingProgress ? 10 : 150), $"{indicator.Key}: {scored} accounts scored");
        }

        // The check-ins tell the usage's story: red accounts' sponsors rate them far lower than green accounts' do.
        var sponsorColumn = scores.CustomKeys.ToList().IndexOf(DemoMetricsSimulator.SponsorSentiment);
        double MeanSponsor(Band band) => Enumerable.Range(0, scores.AccountCount)
            .Where(a => scores.BandOf(a) == band && scores.CustomValue(a, sponsorColumn) is not null).Average(a => scores.CustomValue(a, sponsorColumn)!.Value);
        Assert.True(MeanSponsor(Band.Red) + 25 < MeanSponsor(Band.Green), $"red {MeanSponsor(Band.Red)}, green {MeanSponsor(Band.Green)}");
    }

    [Fact]
    public async Task A_database_that_holds_accounts_is_refused_and_left_as_it_was()
    {
        await using var database = await TestStore.CreateAsync();
        await using (var db = await database.DbFactory.CreateDbContextAsync())
        {
            db.Accounts.Add(new Account { ExternalId = "ACC-1", Name = "Existing Customer", CreatedAt = Now.AddDays(-10) });
            await db.SaveChangesAsync();
        }

        var generator = ActivatorUtilities.CreateInstance<DemoDataGenerator>(database.Services);
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(new DemoOptions { Accounts = 5, Now = Now }));

        Assert.Contains("already holds 1 accounts", refusal.Message, StringComparison.Ordinal);
        await using var check = await database.DbFactory.CreateDbContextAsync();
        Assert.Equal(1, await check.Accounts.CountAsync());
        Assert.Equal(0, await check.EventTypes.CountAsync());
        Assert.Equal(1, await check.ModelVersions.CountAsync());
    }
}
