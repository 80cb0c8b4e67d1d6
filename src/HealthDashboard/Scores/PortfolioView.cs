using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>One scored account as the pages list it (shared, immutable; never copied per circuit).</summary>
/// <param name="Index">Local account index into the view's <see cref="ScoredPortfolio"/>.</param>
/// <param name="Trend">H at T minus H at T - 30 days; null when the account was not scored 30 days ago.</param>
/// <param name="Sparkline">Daily snapshot H of the last 30 days, oldest first (may be shorter for new accounts).</param>
public sealed record AccountSummary(
    int Index,
    string Id,
    string Name,
    string? Segment,
    string? Plan,
    string? Owner,
    double Mrr,
    DateTime? RenewalDate,
    int Seats,
    int ActiveUsers,
    int UserCount,
    DateTime? LastActivity,
    DateTime CreatedAt,
    double Health,
    Grade Grade,
    Band Band,
    double? Trend,
    IReadOnlyList<double> Sparkline)
{
    /// <summary>H rounded as pages show it (half away from zero).</summary>
    public int HealthRounded => (int)Indicators.RoundAway(Health);

    /// <summary>Risk order: red first, then yellow, then green.</summary>
    public int RiskRank => Band switch { Band.Red => 0, Band.Yellow => 1, _ => 2 };

    /// <summary>
    /// The CSM override active at the as-of time, null when none. While one is, <see cref="Health"/>, <see cref="Grade"/>
    /// and <see cref="Band"/> are the effective ones (from its value with the account's model's thresholds) and
    /// <see cref="ModelHealth"/> is the model's own H, shown beside it.
    /// </summary>
    public OverrideInfo? Override { get; init; }

    /// <summary>True while an override is active.</summary>
    public bool IsOverridden => Override is not null;

    /// <summary>The model's own unrounded H (equal to <see cref="Health"/> unless overridden).</summary>
    public double ModelHealth { get; init; }

    /// <summary>The model's own grade (equal to <see cref="Grade"/> unless overridden).</summary>
    public Grade ModelGrade { get; init; }

    /// <summary>Which model scored the account (default, its segment's, or onboarding).</summary>
    public ModelKey ModelKey { get; init; }

    /// <summary>True when the onboarding model scores it (younger than the onboarding period).</summary>
    public bool IsOnboarding => ModelKey.Kind == ModelKind.Onboarding;
}

/// <summary>One scored user as the Users page and the account page list it.</summary>
public sealed record UserSummary(
    int Index,
    string Id,
    string? Name,
    string? Email,
    int AccountIndex,
    string AccountId,
    string AccountName,
    Band AccountBand,
    string? Segment,
    double EngagementRaw,
    double Engagement,
    int ActiveDays,
    DateTime? LastSeen);

/// <summary>The portfolio on one day of history: average health and accounts per band.</summary>
public sealed record PortfolioDay(DateTime Day, double AverageHealth, int Green, int Yellow, int Red);

/// <summary>
/// What every page reads: the current scores with account and user rows, trends, and portfolio
/// history. One instance is shared by all circuits until the next refresh replaces it.
/// </summary>
public sealed class PortfolioView
{
    private readonly Dictionary<string, AccountSummary> accountsById;

    /// <param name="scored">The scores.</param>
    /// <param name="monthAgo">The same portfolio scored 30 days before, for the trends; null when none.</param>
    /// <param name="sparklines">Daily snapshot health of the last 30 days per account id.</param>
    /// <param name="history">Daily portfolio history from the snapshots.</param>
    /// <param name="fromSnapshot">
    /// True when <paramref name="scored"/> holds a stored snapshot's scores over data without usage
    /// (<see cref="ScoringService.Restore"/>): the accounts' active users and last activity then come from the stored
    /// raw Breadth and Recency (see <see cref="IsFromSnapshot"/>).
    /// </param>
    public PortfolioView(ScoredPortfolio scored, ScoredPortfolio? monthAgo, IReadOnlyDictionary<string, IReadOnlyList<double>> sparklines,
        IReadOnlyList<PortfolioDay> history, bool fromSnapshot = false)
    {
        IsFromSnapshot = fromSnapshot;
        Scored = scored;
        MonthAgo = monthAgo;
        History = history;
        var agg = scored.Aggregates;
        var scores = scored.Scores;
        var accounts = new AccountSummary[agg.Accounts.Length];
        for (var a = 0; a < accounts.Length; a++)
        {
            var info = scored.Data.Accounts[agg.Accounts[a]];
            double? trend = null;
            if (monthAgo is not null)
            {
                var then = monthAgo.Aggregates.LocalAccountIndex(info.Id);
                if (then >= 0)
                {
                    trend = scores.Health[a] - monthAgo.Scores.Health[then];
                }
            }

            var (activeUsers, lastActivity) = fromSnapshot
                ? UsageFromStored(scores, a, info.Seats > 0 ? info.Seats : agg.ScoredUserCounts[a], scored.AsOf)
                : (agg.ActiveUsers[a], TimeOf(agg.LastUsageTicks[a]));
            // Pages, alerts and exports show the effective health (SCORING.md "Overrides"); the trend stays the model's.
            accounts[a] = new AccountSummary(a, info.Id, info.Name, info.Segment, info.Plan, info.Owner, agg.Mrr[a], info.RenewalDate,
                info.Seats, activeUsers, agg.ScoredUserCounts[a], lastActivity, info.CreatedAt,
                scores.EffectiveHealth(a), scores.EffectiveGrade(a), scores.EffectiveBand(a), trend,
                sparklines.TryGetValue(info.Id, out var line) ? line : [])
            {
                Override = scores.ActiveOverrides[a],
                ModelHealth = scores.Health[a],
                ModelGrade = scores.Grades[a],
                ModelKey = scores.ModelKeyOf(a),
            };
        }

        Accounts = accounts;
        accountsById = accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);

        var users = new UserSummary[agg.Users.Length];
        for (var u = 0; u < users.Length; u++)
        {
            var info = scored.Data.Users[agg.Users[u]];
            var account = accounts[agg.UserAccount[u]];
            users[u] = new UserSummary(u, info.Id, info.Name, info.Email, account.Index, account.Id, account.Name, account.Band, account.Segment,
                scores.UserEngagementRaw[u], scores.UserEngagement[u], agg.UserActiveDays[u], TimeOf(agg.UserLastTicks[u]));
        }

        Users = users;
    }

    public ScoredPortfolio Scored { get; }

    /// <summary>
    /// True for the view shown at start-up from the newest stored daily snapshot until the first refresh
    /// (<see cref="ScoreBoard.ServeSnapshotAsync"/>): accounts carry the snapshot's scores as of its day, users no
    /// engagement yet (their usage is not read), and nothing is compared with a month before.
    /// </summary>
    public bool IsFromSnapshot { get; }

    /// <summary>The same portfolio scored at T - 30 days (for trends), null when nothing was scored then.</summary>
    public ScoredPortfolio? MonthAgo { get; }

    public DateTime AsOf => Scored.AsOf;
    public int ModelVersion => Scored.ModelVersion;
    public ScoringModel Model => Scored.Model;

    /// <summary>Scored accounts ordered by id.</summary>
    public IReadOnlyList<AccountSummary> Accounts { get; }

    /// <summary>Scored users ordered by id.</summary>
    public IReadOnlyList<UserSummary> Users { get; }

    /// <summary>Daily portfolio history from the snapshots, oldest first.</summary>
    public IReadOnlyList<PortfolioDay> History { get; }

    public AccountSummary? FindAccount(string id) => accountsById.GetValueOrDefault(id);

    /// <summary>The users of one account (local account index).</summary>
    public IEnumerable<UserSummary> UsersOf(int accountIndex) => Users.Where(u => u.AccountIndex == accountIndex);

    /// <summary>The explanation of one account's score.</summary>
    public AccountExplanation Explain(int accountIndex) => AccountExplanation.For(Scored.Scores, accountIndex);

    /// <summary>
    /// Active users and last activity as a snapshot's raw values give them: Breadth is active users over
    /// <paramref name="breadthBase"/> (seats, else users); Recency is the whole days d from the last usage to the
    /// snapshot's midnight, so the last usage lay in the day that starts d + 1 days before it (the start of that
    /// day is given: at most a day before the exact time).
    /// </summary>
    private static (int ActiveUsers, DateTime? LastActivity) UsageFromStored(PortfolioScores scores, int account, int breadthBase, DateTime asOf) =>
        ((int)Math.Round((scores.RawValue(account, Indicator.Breadth) ?? 0) * breadthBase),
            scores.RawValue(account, Indicator.Recency) is { } days ? asOf.AddDays(-(days + 1)) : null);

    private static DateTime? TimeOf(long ticks) => ticks > 0 ? new DateTime(ticks, DateTimeKind.Utc) : null;
}
