namespace HealthDashboard.Scoring;

/// <summary>Which kind of model scores an account (SCORING.md "Segment models and the onboarding model").</summary>
public enum ModelKind
{
    Default,
    Segment,
    Onboarding,
}

/// <summary>
/// Names one model of a <see cref="ScoringModelSet"/>: the default, the model of one segment (compared
/// exactly, ordinal) or the onboarding model. <see cref="ToString"/> gives its stored name:
/// <c>default</c>, <c>segment:NAME</c> or <c>onboarding</c>.
/// </summary>
public readonly record struct ModelKey(ModelKind Kind, string? Segment = null)
{
    public static ModelKey Default => new(ModelKind.Default);

    public static ModelKey Onboarding => new(ModelKind.Onboarding);

    public static ModelKey ForSegment(string segment) => new(ModelKind.Segment, segment ?? throw new ArgumentNullException(nameof(segment)));

    /// <summary>The stored name: <c>default</c>, <c>segment:NAME</c> or <c>onboarding</c>.</summary>
    public override string ToString() => Kind switch
    {
        ModelKind.Default => "default",
        ModelKind.Onboarding => "onboarding",
        _ => $"segment:{Segment}",
    };

    /// <summary>A name people read: "Default model", "Enterprise model", "Onboarding model".</summary>
    public string DisplayName => Kind switch
    {
        ModelKind.Default => "Default model",
        ModelKind.Onboarding => "Onboarding model",
        _ => $"{Segment} model",
    };

    /// <summary>Reads <see cref="ToString"/>'s form back; false on anything else.</summary>
    public static bool TryParse(string? text, out ModelKey key)
    {
        key = Default;
        switch (text)
        {
            case "default":
                return true;
            case "onboarding":
                key = Onboarding;
                return true;
            case not null when text.StartsWith("segment:", StringComparison.Ordinal):
                key = ForSegment(text["segment:".Length..]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads <see cref="ToString"/>'s form back; throws <see cref="FormatException"/> on anything else.</summary>
    public static ModelKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a model name (default, segment:NAME or onboarding).");
}

/// <summary>
/// Every model that scores a portfolio: the default model, a model per segment and an optional onboarding
/// model whose period D is its <see cref="ScoringModel.OnboardingDays"/>. At T an account whose tenure (whole
/// days from created to T) is below D is scored with the onboarding model; otherwise an account whose segment
/// has a model with that model; every other account with the default. Immutable.
/// </summary>
/// <remarks>
/// Readings made here: tenure is floor((T - created) / 1 day) on exact times, so an account created at
/// 12:00 is 0 days old until 12:00 the next day; an onboarding model with no period (or 0) scores nobody;
/// segments compare exactly (ordinal, case and spaces kept), and an account without a segment never takes a
/// segment model. <see cref="Versions"/> only labels the models (the saved version each came from, 0 for an
/// unsaved draft); scoring never reads it.
/// </remarks>
public sealed record ScoringModelSet
{
    public ScoringModelSet(ScoringModel @default, IReadOnlyDictionary<string, ScoringModel>? segments = null, ScoringModel? onboarding = null)
    {
        Default = @default ?? throw new ArgumentNullException(nameof(@default));
        Segments = segments is null
            ? EmptySegments
            : new SortedDictionary<string, ScoringModel>(segments.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        Onboarding = onboarding;
    }

    private static readonly IReadOnlyDictionary<string, ScoringModel> EmptySegments = new SortedDictionary<string, ScoringModel>(StringComparer.Ordinal);

    /// <summary>The default model.</summary>
    public ScoringModel Default { get; init; }

    /// <summary>Segment models by exact segment value, ordered by segment (ordinal).</summary>
    public IReadOnlyDictionary<string, ScoringModel> Segments { get; init; }

    /// <summary>The onboarding model (its period is its <see cref="ScoringModel.OnboardingDays"/>), or null.</summary>
    public ScoringModel? Onboarding { get; init; }

    /// <summary>The onboarding period D in days (0 without an onboarding model).</summary>
    public int OnboardingDays => Onboarding?.OnboardingDays ?? 0;

    /// <summary>The saved version of each model (missing: 0, an unsaved draft). Labels only.</summary>
    public IReadOnlyDictionary<ModelKey, int> Versions { get; init; } = new Dictionary<ModelKey, int>();

    /// <summary>A set of the default model alone.</summary>
    public static ScoringModelSet Of(ScoringModel model, int version = 0) =>
        new(model) { Versions = new Dictionary<ModelKey, int> { [ModelKey.Default] = version } };

    /// <summary>True when only the default model is defined.</summary>
    public bool HasDefaultOnly => Segments.Count == 0 && Onboarding is null;

    /// <summary>Every model of the set: the default, the segment models by segment (ordinal), then onboarding.</summary>
    public IEnumerable<(ModelKey Key, ScoringModel Model)> All
    {
        get
        {
            yield return (ModelKey.Default, Default);
            foreach (var (segment, model) in Segments)
            {
                yield return (ModelKey.ForSegment(segment), model);
            }

            if (Onboarding is not null)
            {
                yield return (ModelKey.Onboarding, Onboarding);
            }
        }
    }

    /// <summary>The model of a key, null when the set has none.</summary>
    public ScoringModel? Find(ModelKey key) => key.Kind switch
    {
        ModelKind.Default => Default,
        ModelKind.Onboarding => Onboarding,
        _ => Segments.TryGetValue(key.Segment!, out var model) ? model : null,
    };

    /// <summary>The saved version of a model (0: a draft or unknown).</summary>
    public int VersionOf(ModelKey key) => Versions.TryGetValue(key, out var version) ? version : 0;

    /// <summary>The newest of the versions (the view's model version: versions are one sequence over all models).</summary>
    public int LatestVersion => Versions.Count == 0 ? 0 : Versions.Values.Max();

    /// <summary>The longest window W over the models (how much usage scoring needs before T).</summary>
    public int MaxWindowDays => All.Max(m => m.Model.WindowDays);

    /// <summary>Whole days from created to T (floor; negative before creation).</summary>
    public static int TenureDays(DateTime createdAt, DateTime asOf) => (int)Math.Floor((asOf - createdAt).TotalDays);

    /// <summary>Which model scores <paramref name="account"/> at <paramref name="asOf"/>.</summary>
    public ModelKey KeyFor(AccountInfo account, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (Onboarding is not null && OnboardingDays > 0 && (asOf - account.CreatedAt).Ticks < OnboardingDays * TimeSpan.TicksPerDay)
        {
            // tenure (floor of whole days) < D is exactly created-to-T shorter than D days.
            return ModelKey.Onboarding;
        }

        return account.Segment is { } segment && Segments.ContainsKey(segment) ? ModelKey.ForSegment(segment) : ModelKey.Default;
    }

    /// <summary>A copy with one model set (added or replaced), e.g. a draft under preview; its version becomes <paramref name="version"/>.</summary>
    public ScoringModelSet With(ModelKey key, ScoringModel model, int version = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var versions = new Dictionary<ModelKey, int>(Versions) { [key] = version };
        return key.Kind switch
        {
            ModelKind.Default => this with { Default = model, Versions = versions },
            ModelKind.Onboarding => this with { Onboarding = model, Versions = versions },
            _ => this with
            {
                Segments = new SortedDictionary<string, ScoringModel>(Segments.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal), StringComparer.Ordinal)
                {
                    [key.Segment!] = model,
                },
                Versions = versions,
            },
        };
    }

    /// <summary>A copy without a segment or onboarding model (its accounts return to the default).</summary>
    public ScoringModelSet Without(ModelKey key)
    {
        var versions = new Dictionary<ModelKey, int>(Versions);
        versions.Remove(key);
        return key.Kind switch
        {
            ModelKind.Default => throw new ArgumentException("The default model cannot be removed.", nameof(key)),
            ModelKind.Onboarding => this with { Onboarding = null, Versions = versions },
            _ => this with
            {
                Segments = new SortedDictionary<string, ScoringModel>(
                    Segments.Where(s => s.Key != key.Segment).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal), StringComparer.Ordinal),
                Versions = versions,
            },
        };
    }
}
