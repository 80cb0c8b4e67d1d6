using HealthDashboard.Cli;
using HealthDashboard.Data;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.Cli;

/// <summary>
/// <c>scores</c> and <c>user-scores</c> on a hand-built database whose every number is worked out below
/// from SCORING.md (default indicator weights, k = 3, W = 30, working days W x 5/7 = 21.428571).
/// </summary>
public abstract class ScoresVerbTests(DatabaseProvider engine) : IAsyncLifetime
{
    private TestStore database = null!;

    public async Task InitializeAsync()
    {
        database = await TestStore.CreateAsync(engine);
        await SeedAsync();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    // At T = 2026-03-31 12:00Z; window (03-01 12:00, 03-31 12:00]. Event weights: login 1, report_created 5 (key
    // feature), dashboard_shared 7 (key feature); 2 key features.
    //
    // ACC-1 (4 seats): U-1 logins 03-16, 03-30, 03-31 + report_created x2 (daily row 03-30), U-2 dashboard_shared
    //   03-20, account-level login x4 03-25. The login of 02-15 is before the window, the one at 03-31 13:00 after T.
    //   Engagement raw 7x1 + 2x5 + 1x7 = 24. Breadth 2 active / 4 seats = 50. Depth 2/2 = 100.
    //   Frequency mean(3, 1) days = 2 / 21.428571 = 9.33. Recency: 3 h ago, d = 0: 100.
    //   Support (1 ticket + 2 x 1 escalated) / 4 seats = 0.75. Sentiment mean(NPS 9 x 10, ticket 4 -> 75) = 82.5.
    //   Growth: 400 (2025-06-01, before T - 90 d) -> 500: +25%, 70 + 37.5 clamps to 100.
    // ACC-2 (0 seats, so breadth counts its 2 users created by T; U-5 joins later): U-3 login 03-05 08:00.
    //   Engagement 1. Breadth 1/2 = 50. Depth 0. Frequency 1 / 21.428571 = 4.67. Recency d = 26: 100 (1 - 26/30) = 13.33.
    //   No ticket in window, no rating, no revenue: Sentiment and Growth missing.
    // C,"1" (10 seats, no users, account-level rows only): report_created x3 03-28, login x10 03-28, x5 03-29.
    //   Engagement 15 + 15 = 30. Breadth 0/10 = 0. Depth 1/2 = 50. Frequency: 2 account days / 21.428571 = 9.33.
    //   Recency d = 2: 93.33. Sentiment CSAT 2 -> 25. Growth missing (only a February entry).
    // ACC-4 churned on 03-15 and ACC-5 starts on 04-05: neither is scored at T.
    //
    // Engagement curve: raws [1, 24, 30], h = 2 x 0.9 = 1.8, P = 24 + 0.8 x 6 = 28.8;
    //   norm(24) = 1 + 99 (1 - e^-2.5) / (1 - e^-3) = 96.63, norm(1) = 1 + 99 (1 - e^(-3/28.8)) / (1 - e^-3) = 11.31, norm(30) = 100.
    // Support curve: raws [0, 0, 0.75], P = 0.8 x 0.75 = 0.6: ACC-1 is at or above P, 101 - 100 = 1; the others 101 - 1 = 100.
    // H(ACC-1) = (25 x 96.635 + 15 x 50 + 15 x 100 + 10 x 9.333 + 10 x 100 + 10 x 1 + 10 x 82.5 + 5 x 100) / 100 = 70.94 -> B.
    // H(ACC-2) = (25 x 11.307 + 15 x 50 + 0 + 10 x 4.667 + 10 x 13.333 + 10 x 100) / 85 = 26.03 -> D.
    // H(C,"1") = (25 x 100 + 0 + 15 x 50 + 10 x 9.333 + 10 x 93.333 + 10 x 100 + 10 x 25) / 95 = 58.18 -> C.
    private const string ExpectedScores = """"
        account_id,health,grade,band,engagement,breadth,depth,frequency,recency,support,sentiment,growth,override
        ACC-1,70.94,B,green,96.63,50.00,100.00,9.33,100.00,1.00,82.50,100.00,
        ACC-2,26.03,D,red,11.31,50.00,0.00,4.67,13.33,100.00,,,
        "C,""1""",58.18,C,yellow,100.00,0.00,50.00,9.33,93.33,100.00,25.00,,

        """";

    // Users at T: U-1 13 (3 logins + 2 x 5), U-2 7, U-3 1, U-4 0 (no created date: counts from the start).
    // Curve: sorted [0, 1, 7, 13], h = 3 x 0.9 = 2.7, P = 7 + 0.7 x 6 = 11.2; norm(7) = 1 + 99 (1 - e^(-21/11.2)) / (1 - e^-3) = 89.21,
    // norm(1) = 25.48, norm(0) = 1, norm(13) = 100.
    private const string ExpectedUserScores = """
        user_id,account_id,engagement_raw,engagement
        U-1,ACC-1,13.00,100.00
        U-2,ACC-1,7.00,89.21
        U-3,ACC-2,1.00,25.48
        U-4,ACC-2,0.00,1.00

        """;

    [Fact]
    public async Task Scores_without_as_of_follows_the_configured_pin_like_the_dashboard()
    {
        // A separate process, so the pin comes from the environment exactly as a deployment sets it.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "HealthDashboard.dll"), "scores" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = database.Directory,
        };
        start.Environment["Scoring__AsOf"] = "2026-03-31T12:00:00Z";
        // The store as a deployment names it: Database__Provider and ConnectionStrings__Health.
        foreach (var (name, value) in database.CliEnvironment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal((0, ""), (process.ExitCode, error));
        Assert.Equal(Lines(ExpectedScores), output);
    }

    [Fact]
    public async Task Scores_prints_the_hand_computed_csv()
    {
        var (code, output, error) = await RunAsync("scores", "--as-of", "2026-03-31T12:00:00Z");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(Lines(ExpectedScores), output);
    }

    [Fact]
    public async Task User_scores_prints_the_hand_computed_csv()
    {
        var (code, output, _) = await RunAsync("user-scores", "--as-of", "2026-03-31T14:00:00+02:00");

        Assert.Equal(0, code);
        Assert.Equal(Lines(ExpectedUserScores), output);
    }

    [Fact]
    public async Task A_later_as_of_scores_the_later_population_and_window()
    {
        // T = 2026-04-15 00:00Z, window (03-16 00:00, 04-15 00:00]: ACC-5 has started, ACC-4 is still churned.
        // ACC-1's last row is now the 03-31 13:00 login: d = 14, recency 100 (1 - 14/30) = 53.33; its only ticket
        // (03-10) left the window, so no account has support load and all score 100. ACC-2's last use (03-05) is
        // 40 days old: recency 0.
        var (code, output, _) = await RunAsync("scores", "--as-of", "2026-04-15");

        Assert.Equal(0, code);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(ParseRow).ToDictionary(r => r[0]);
        Assert.Equal(new[] { "ACC-1", "ACC-2", "ACC-5", "C,\"1\"" }, rows.Keys);
        Assert.Equal("53.33", rows["ACC-1"][8]);
        Assert.All(rows.Values, row => Assert.Equal("100.00", row[9]));
        Assert.Equal("0.00", rows["ACC-2"][8]);
        Assert.NotEqual(Lines(ExpectedScores), output);
    }

    [Fact]
    public async Task User_scores_at_a_later_as_of_include_users_created_since()
    {
        var (code, output, _) = await RunAsync("user-scores", "--as-of", "2026-04-15");

        Assert.Equal(0, code);
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]);
        Assert.Equal(new[] { "U-1", "U-2", "U-3", "U-4", "U-5", "U-7" }, ids);
    }

    [Fact]
    public async Task An_override_fills_the_last_column_while_active_and_leaves_the_models_score()
    {
        var set = await RunAsync("override", "ACC-2", "--value", "75", "--reason", "Champion back from leave", "--until", "2026-04-10", "--from", "2026-03-31T12:00:00Z");
        Assert.Equal(0, set.Code);

        // Active exactly from --from: at T it shows; a second before, it does not; at --until it has ended.
        var at = await RunAsync("scores", "--as-of", "2026-03-31T12:00:00Z");
        var before = await RunAsync("scores", "--as-of", "2026-03-31T11:59:59Z");
        var until = await RunAsync("scores", "--as-of", "2026-04-10");

        Assert.Equal(Lines(ExpectedScores.Replace("13.33,100.00,,,", "13.33,100.00,,,75.00", StringComparison.Ordinal)), at.Output);
        Assert.Equal("", ParseRow(before.Output.Split('\n')[2])[12]);
        Assert.Equal("", ParseRow(until.Output.Split('\n')[2])[12]);
        Assert.Equal("75.00", ParseRow(at.Output.Split('\n')[2])[12]);
    }

    [Fact]
    public async Task A_segment_model_imported_from_the_command_line_scores_only_its_segment()
    {
        await using (var db = await database.DbFactory.CreateDbContextAsync())
        {
            foreach (var account in db.Accounts.Where(a => a.ExternalId == "ACC-2" || a.ExternalId == "C,\"1\""))
            {
                account.Segment = "Enterprise";
            }

            await db.SaveChangesAsync();
        }

        var engagementOnly = ScoringModel.Default with
        {
            IndicatorWeights = new IndicatorWeights { Engagement = 100, Breadth = 0, Depth = 0, Frequency = 0, Recency = 0, Support = 0, Sentiment = 0, Growth = 0 },
        };
        var file = Path.Combine(database.Directory, "enterprise.json");
        await File.WriteAllTextAsync(file, engagementOnly.WithEventType("report_created", new EventTypeSettings(5, KeyFeature: true)).ToJson());

        var imported = await RunAsync("model", "import", file, "--segment", "Enterprise", "--comment", "Enterprise on usage alone");
        var (code, output, _) = await RunAsync("scores", "--as-of", "2026-03-31T12:00:00Z");

        Assert.Equal((0, ""), (imported.Code, imported.Error));
        Assert.Equal(0, code);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(ParseRow).ToDictionary(r => r[0]);
        // ACC-1 alone in the default model: Engagement P90 of [24] = 24 -> 100; Support raw 0.75 = P -> 1.
        // H = (25 x 100 + 15 x 50 + 15 x 100 + 10 x 9.333 + 10 x 100 + 10 x 1 + 10 x 82.5 + 5 x 100) / 100 = 71.78.
        Assert.Equal("71.78", rows["ACC-1"][1]);
        // Enterprise: login 1, report_created 5, dashboard_shared 1 (not listed): ACC-2 raw 1, C 3 x 5 + 15 = 30.
        // P = 1 + 0.9 x 29 = 27.1; norm(1) = 1 + 99 (1 - e^(-3/27.1)) / (1 - e^-3) = 11.92. H = Engagement alone.
        Assert.Equal("11.92", rows["ACC-2"][1]);
        Assert.Equal("11.92", rows["ACC-2"][4]);
        Assert.Equal("100.00", rows["C,\"1\""][1]);

        var list = await RunAsync("model", "list");
        Assert.Contains("segment:Enterprise,", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_indicators_read_imported_metrics_and_add_a_column_each_before_override()
    {
        var folder = Path.Combine(database.Directory, "metrics");
        Directory.CreateDirectory(folder);
        // ACC-1: two rows at the same time, the later imported (80) wins; a row after T is never read.
        // ACC-2: only a value 91 days old: missing. C: 40, lower is better -> 60.
        await File.WriteAllTextAsync(Path.Combine(folder, "metrics.csv"), """"
            account_id,metric,time,value
            ACC-1,sponsor,2026-03-20T00:00:00Z,30
            ACC-1,sponsor,2026-03-20T00:00:00Z,80
            ACC-1,sponsor,2026-03-31T12:00:01Z,5
            ACC-2,sponsor,2025-12-30T12:00:00Z,99
            "C,""1""",sponsor,2026-03-01,40
            """");
        var model = ScoringModel.Default
            .WithEventType("login", new EventTypeSettings(1))
            .WithEventType("report_created", new EventTypeSettings(5, KeyFeature: true))
            .WithEventType("dashboard_shared", new EventTypeSettings(7, KeyFeature: true)) with
        {
            CustomIndicators = [new CustomIndicator { Key = "sponsor_risk", Name = "Sponsor", Metric = "sponsor", Weight = 0, HigherIsBetter = false }],
        };
        var file = Path.Combine(database.Directory, "custom.json");
        await File.WriteAllTextAsync(file, model.ToJson());

        Assert.Equal(0, (await RunAsync("import", folder)).Code);
        Assert.Equal(0, (await RunAsync("model", "import", file, "--comment", "Sponsor risk, weight 0")).Code);
        var (code, output, _) = await RunAsync("scores", "--as-of", "2026-03-31T12:00:00Z");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("account_id,health,grade,band,engagement,breadth,depth,frequency,recency,support,sentiment,growth,sponsor_risk,override", lines[0].TrimEnd('\r'));
        // Weight 0: the composite is unchanged; the column shows the score (lower is better: 100 - value).
        Assert.StartsWith("ACC-1,70.94,B,green,", lines[1], StringComparison.Ordinal);
        Assert.Equal("20.00", ParseRow(lines[1])[12]);
        Assert.Equal("", ParseRow(lines[2])[12]);
        Assert.Equal("60.00", ParseRow(lines[3])[12]);
    }

    private static string Lines(string text) => text.ReplaceLineEndings(Environment.NewLine);

    /// <summary>Splits one CSV row, honouring RFC 4180 quotes.</summary>
    private static string[] ParseRow(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.TrimEnd('\r').Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. database.CliArguments], output, error, null, database.CliConfiguration);
        return (code, output.ToString(), error.ToString());
    }

    private static DateTime Utc(int month, int day, int hour = 0, int year = 2026) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    private async Task SeedAsync()
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        var model = ScoringModel.Default
            .WithEventType("login", new EventTypeSettings(1))
            .WithEventType("report_created", new EventTypeSettings(5, KeyFeature: true))
            .WithEventType("dashboard_shared", new EventTypeSettings(7, KeyFeature: true));
        db.ModelVersions.Add(new ScoringModelVersion { Id = 2, SavedAt = Utc(1, 1), SavedBy = "test", ModelJson = model.ToJson() });

        var login = new EventType { Key = "login", Name = "Logged in" };
        var report = new EventType { Key = "report_created", Name = "Created a report", Weight = 5, KeyFeature = true };
        var shared = new EventType { Key = "dashboard_shared", Name = "Shared a dashboard", Weight = 7, KeyFeature = true };
        var a1 = new Account { ExternalId = "ACC-1", Name = "Alpha Logistics", Seats = 4, CreatedAt = Utc(1, 1, year: 2025) };
        var a2 = new Account { ExternalId = "ACC-2", Name = "Beta Labs", Seats = 0, CreatedAt = Utc(2, 1, year: 2025) };
        var c = new Account { ExternalId = "C,\"1\"", Name = "Gamma", Seats = 10, CreatedAt = Utc(3, 1, year: 2025) };
        var a4 = new Account { ExternalId = "ACC-4", Name = "Delta", Seats = 5, CreatedAt = Utc(1, 1, year: 2025), ChurnedAt = Utc(3, 15) };
        var a5 = new Account { ExternalId = "ACC-5", Name = "Epsilon", Seats = 3, CreatedAt = Utc(4, 5) };
        db.EventTypes.AddRange(login, report, shared);
        db.Accounts.AddRange(a1, a2, c, a4, a5);
        await db.SaveChangesAsync();

        var u1 = new AccountUser { ExternalId = "U-1", AccountId = a1.Id, CreatedAt = Utc(1, 1, year: 2025) };
        var u2 = new AccountUser { ExternalId = "U-2", AccountId = a1.Id, CreatedAt = Utc(6, 1, year: 2025) };
        var u3 = new AccountUser { ExternalId = "U-3", AccountId = a2.Id, CreatedAt = Utc(2, 1, year: 2025) };
        var u4 = new AccountUser { ExternalId = "U-4", AccountId = a2.Id, CreatedAt = null };
        var u5 = new AccountUser { ExternalId = "U-5", AccountId = a2.Id, CreatedAt = Utc(4, 10) };
        var u6 = new AccountUser { ExternalId = "U-6", AccountId = a4.Id, CreatedAt = Utc(1, 1, year: 2025) };
        var u7 = new AccountUser { ExternalId = "U-7", AccountId = a5.Id, CreatedAt = Utc(4, 5) };
        db.Users.AddRange(u1, u2, u3, u4, u5, u6, u7);
        await db.SaveChangesAsync();

        UsageEvent Row(Account account, AccountUser? user, EventType type, DateTime time, int count = 1) =>
            new() { AccountId = account.Id, UserId = user?.Id, EventTypeId = type.Id, Timestamp = time.Ticks, Count = count };
        db.Usage.AddRange(
            Row(a1, u1, login, Utc(3, 30, 9)), Row(a1, u1, login, Utc(3, 31, 9)), Row(a1, u1, login, Utc(3, 16, 10)),
            Row(a1, u1, report, Utc(3, 30), 2), Row(a1, u2, shared, Utc(3, 20, 11)), Row(a1, null, login, Utc(3, 25), 4),
            Row(a1, u2, login, Utc(2, 15, 10)), Row(a1, u1, login, Utc(3, 31, 13)),
            Row(a2, u3, login, Utc(3, 5, 8)),
            Row(c, null, report, Utc(3, 28, 6), 3), Row(c, null, login, Utc(3, 28, 7), 10), Row(c, null, login, Utc(3, 29, 7), 5),
            Row(a4, u6, login, Utc(3, 10), 50),
            Row(a5, u7, login, Utc(4, 10, 9), 3));
        db.Tickets.AddRange(
            new Ticket { ExternalId = "T-1", AccountId = a1.Id, OpenedAt = Utc(3, 10, 9), ClosedAt = Utc(3, 12, 9), Priority = "High", Escalated = true, Satisfaction = 4 },
            new Ticket { ExternalId = "T-2", AccountId = a2.Id, OpenedAt = Utc(2, 1), ClosedAt = Utc(2, 2) });
        db.Surveys.AddRange(
            new SurveyResponse { AccountId = a1.Id, UserId = u1.Id, RespondedAt = Utc(3, 1, 10), Kind = "NPS", Score = 9 },
            new SurveyResponse { AccountId = c.Id, RespondedAt = Utc(1, 15), Kind = "CSAT", Score = 2 });
        db.Revenue.AddRange(
            new RevenueRecord { AccountId = a1.Id, Date = Utc(6, 1, year: 2025), Mrr = 400 },
            new RevenueRecord { AccountId = a1.Id, Date = Utc(3, 1), Mrr = 500 },
            new RevenueRecord { AccountId = c.Id, Date = Utc(2, 1), Mrr = 1000 });
        await db.SaveChangesAsync();
        await TestStore.AddUsageRollupAsync(db);
    }
}

public sealed class ScoresVerbSqliteTests() : ScoresVerbTests(DatabaseProvider.Sqlite);

public sealed class ScoresVerbPostgresTests() : ScoresVerbTests(DatabaseProvider.Postgres);
