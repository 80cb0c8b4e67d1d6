using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthDashboard.Scoring;

/// <summary>How one event type counts: its weight (0-10) and its flags.</summary>
/// <param name="Weight">Engagement weight, 0 to 10.</param>
/// <param name="KeyFeature">Counts toward Depth.</param>
/// <param name="ValueMoment">Shown as a value moment (not scored).</param>
public sealed record EventTypeSettings(double Weight = 1, bool KeyFeature = false, bool ValueMoment = false);

/// <summary>Indicator weights of the composite (0-100 each, at least one above 0).</summary>
public sealed record IndicatorWeights
{
    public double Engagement { get; init; } = 25;
    public double Breadth { get; init; } = 15;
    public double Depth { get; init; } = 15;
    public double Frequency { get; init; } = 10;
    public double Recency { get; init; } = 10;
    public double Support { get; init; } = 10;
    public double Sentiment { get; init; } = 10;
    public double Growth { get; init; } = 5;

    /// <summary>The weight of one indicator.</summary>
    public double this[Indicator indicator] => indicator switch
    {
        Indicator.Engagement => Engagement,
        Indicator.Breadth => Breadth,
        Indicator.Depth => Depth,
        Indicator.Frequency => Frequency,
        Indicator.Recency => Recency,
        Indicator.Support => Support,
        Indicator.Sentiment => Sentiment,
        Indicator.Growth => Growth,
        _ => throw new ArgumentOutOfRangeException(nameof(indicator)),
    };

    /// <summary>A copy with one weight changed.</summary>
    public IndicatorWeights With(Indicator indicator, double weight) => indicator switch
    {
        Indicator.Engagement => this with { Engagement = weight },
        Indicator.Breadth => this with { Breadth = weight },
        Indicator.Depth => this with { Depth = weight },
        Indicator.Frequency => this with { Frequency = weight },
        Indicator.Recency => this with { Recency = weight },
        Indicator.Support => this with { Support = weight },
        Indicator.Sentiment => this with { Sentiment = weight },
        Indicator.Growth => this with { Growth = weight },
        _ => throw new ArgumentOutOfRangeException(nameof(indicator)),
    };

    /// <summary>Sum of all eight weights.</summary>
    public double Total => Indicators.All.Sum(i => this[i]);
}

/// <summary>Lower bounds (inclusive) of grades A, B and C; below C is D.</summary>
public sealed record GradeThresholds(double A = 85, double B = 70, double C = 40)
{
    /// <summary>The grade of an unrounded health score.</summary>
    public Grade GradeOf(double health) =>
        health >= A ? Grade.A : health >= B ? Grade.B : health >= C ? Grade.C : Grade.D;
}

/// <summary>A field of the model that failed validation, and why.</summary>
/// <param name="Field">Path of the field, e.g. <c>IndicatorWeights.Engagement</c> or <c>EventTypes[login].Weight</c>.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record ModelProblem(string Field, string Message);

/// <summary>
/// The scoring model of SCORING.md: event weights and flags, indicator weights, curvature k,
/// window W and grade thresholds. Immutable: an editor changes a copy (<c>with</c>).
/// An event type the model does not list scores with the SCORING.md defaults
/// (weight 1, not a key feature, not a value moment).
/// </summary>
public sealed record ScoringModel
{
    /// <summary>Settings per event type key (ordinal keys).</summary>
    public IReadOnlyDictionary<string, EventTypeSettings> EventTypes { get; init; } =
        new Dictionary<string, EventTypeSettings>(StringComparer.Ordinal);

    /// <summary>Weights of the composite.</summary>
    public IndicatorWeights IndicatorWeights { get; init; } = new();

    /// <summary>Curvature k of the normalization curve (0-10; 0 is a straight line).</summary>
    public double Curvature { get; init; } = 3;

    /// <summary>Window W in days (1-365).</summary>
    public int WindowDays { get; init; } = 30;

    /// <summary>Grade thresholds.</summary>
    public GradeThresholds Thresholds { get; init; } = new();

    /// <summary>
    /// The onboarding period D in days, set only on the onboarding model (SCORING.md "Segment models and the
    /// onboarding model"): accounts younger than D days are scored with it. Null on every other model, and then
    /// left out of the JSON.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OnboardingDays { get; init; }

    /// <summary>The custom indicators (SCORING.md "Custom indicators"), in the order the model lists them.</summary>
    [JsonIgnore]
    public IReadOnlyList<CustomIndicator> CustomIndicators { get; init; } = [];

    // Written as "customIndicators" only when there are some, so a model without any keeps its JSON.
    [JsonInclude]
    [JsonPropertyName("customIndicators")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private IReadOnlyList<CustomIndicator>? CustomIndicatorsJson
    {
        get => CustomIndicators.Count == 0 ? null : CustomIndicators;
        init => CustomIndicators = value ?? [];
    }

    /// <summary>Longest onboarding period accepted (ten years).</summary>
    public const int MaxOnboardingDays = 3650;

    /// <summary>The default model over the given event types.</summary>
    public static ScoringModel Default { get; } = new();

    /// <summary>Settings for an event type key, falling back to the SCORING.md defaults.</summary>
    public EventTypeSettings SettingsOf(string eventTypeKey) =>
        EventTypes.TryGetValue(eventTypeKey, out var settings) ? settings : DefaultEventType;

    /// <summary>Defaults for an event type nobody configured.</summary>
    public static EventTypeSettings DefaultEventType { get; } = new();

    /// <summary>A copy with one event type's settings replaced.</summary>
    public ScoringModel WithEventType(string key, EventTypeSettings settings)
    {
        var copy = new Dictionary<string, EventTypeSettings>(EventTypes, StringComparer.Ordinal) { [key] = settings };
        return this with { EventTypes = copy };
    }

    /// <summary>Every rule of SCORING.md's validation that this model breaks (empty when valid).</summary>
    public IReadOnlyList<ModelProblem> Validate()
    {
        var problems = new List<ModelProblem>();
        foreach (var (key, settings) in EventTypes.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!(settings.Weight >= 0 && settings.Weight <= 10))
            {
                problems.Add(new($"EventTypes[{key}].Weight", $"Weight of '{key}' must be between 0 and 10 (got {settings.Weight})."));
            }
        }

        foreach (var indicator in Indicators.All)
        {
            var weight = IndicatorWeights[indicator];
            if (!(weight >= 0 && weight <= 100))
            {
                problems.Add(new($"IndicatorWeights.{indicator}", $"{indicator} weight must be between 0 and 100 (got {weight})."));
            }
        }

        if (Indicators.All.All(i => !(IndicatorWeights[i] > 0)) && CustomIndicators.All(c => !(c.Weight > 0)))
        {
            problems.Add(new("IndicatorWeights", "At least one indicator weight must be above 0."));
        }

        if (!(Curvature >= 0 && Curvature <= 10))
        {
            problems.Add(new(nameof(Curvature), $"Curvature k must be between 0 and 10 (got {Curvature})."));
        }

        if (WindowDays is < 1 or > 365)
        {
            problems.Add(new(nameof(WindowDays), $"Window must be between 1 and 365 days (got {WindowDays})."));
        }

        var t = Thresholds;
        foreach (var (name, value) in new[] { ("A", t.A), ("B", t.B), ("C", t.C) })
        {
            if (!(value >= 1 && value <= 100))
            {
                problems.Add(new($"Thresholds.{name}", $"Grade {name} threshold must be between 1 and 100 (got {value})."));
            }
        }

        if (!(t.C < t.B && t.B < t.A))
        {
            problems.Add(new("Thresholds", $"Thresholds must increase strictly: C < B < A (got C {t.C}, B {t.B}, A {t.A})."));
        }

        for (var i = 0; i < CustomIndicators.Count; i++)
        {
            problems.AddRange(CustomIndicators[i].Validate(i));
        }

        foreach (var duplicate in CustomIndicators.GroupBy(c => c.Key, StringComparer.Ordinal).Where(g => g.Key.Length > 0 && g.Count() > 1))
        {
            problems.Add(new("CustomIndicators", $"Custom indicator key '{duplicate.Key}' is used {duplicate.Count()} times; keys must be unique."));
        }

        if (OnboardingDays is { } onboardingDays && onboardingDays is < 1 or > MaxOnboardingDays)
        {
            problems.Add(new(nameof(OnboardingDays), $"Onboarding period must be between 1 and {MaxOnboardingDays} days (got {onboardingDays})."));
        }

        return problems;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The model as indented JSON (event types ordered by key), for export and storage.</summary>
    public string ToJson()
    {
        var ordered = this with
        {
            EventTypes = new SortedDictionary<string, EventTypeSettings>(
                EventTypes.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal),
        };
        return JsonSerializer.Serialize(ordered, JsonOptions);
    }

    /// <summary>Reads a model written by <see cref="ToJson"/>. Throws <see cref="JsonException"/> on malformed input.</summary>
    public static ScoringModel FromJson(string json)
    {
        var model = JsonSerializer.Deserialize<ScoringModel>(json, JsonOptions)
            ?? throw new JsonException("The model JSON is empty.");
        return model with
        {
            EventTypes = new Dictionary<string, EventTypeSettings>(model.EventTypes ?? new Dictionary<string, EventTypeSettings>(), StringComparer.Ordinal),
            IndicatorWeights = model.IndicatorWeights ?? new(),
            Thresholds = model.Thresholds ?? new(),
        };
    }

    /// <summary>
    /// Field-by-field differences from <paramref name="before"/> to this model, for version history. Event
    /// types compare by the settings they score with (an event type one model lists with the defaults and the
    /// other leaves out is no change) and are named by <paramref name="eventTypeNames"/> (key to display name)
    /// when given, else by key.
    /// </summary>
    public IReadOnlyList<ModelChange> DiffFrom(ScoringModel before, IReadOnlyDictionary<string, string>? eventTypeNames = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        var changes = new List<ModelChange>();
        void Add(string field, string? old, string? now)
        {
            if (old != now)
            {
                changes.Add(new(field, old, now));
            }
        }

        foreach (var key in before.EventTypes.Keys.Union(EventTypes.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            var old = before.SettingsOf(key);
            var now = SettingsOf(key);
            var name = eventTypeNames is not null && eventTypeNames.TryGetValue(key, out var display) && !string.IsNullOrWhiteSpace(display) ? display : key;
            Add($"{name} weight", old.Weight.ToString("0.##"), now.Weight.ToString("0.##"));
            Add($"{name} key feature", old.KeyFeature.ToString(), now.KeyFeature.ToString());
            Add($"{name} value moment", old.ValueMoment.ToString(), now.ValueMoment.ToString());
        }

        foreach (var indicator in Indicators.All)
        {
            Add($"{indicator} weight", before.IndicatorWeights[indicator].ToString("0.##"), IndicatorWeights[indicator].ToString("0.##"));
        }

        Add("Curvature k", before.Curvature.ToString("0.##"), Curvature.ToString("0.##"));
        Add("Window (days)", before.WindowDays.ToString(), WindowDays.ToString());
        Add("Grade A from", before.Thresholds.A.ToString("0.##"), Thresholds.A.ToString("0.##"));
        Add("Grade B from", before.Thresholds.B.ToString("0.##"), Thresholds.B.ToString("0.##"));
        Add("Grade C from", before.Thresholds.C.ToString("0.##"), Thresholds.C.ToString("0.##"));
        Add("Onboarding period (days)", before.OnboardingDays?.ToString(), OnboardingDays?.ToString());
        foreach (var key in before.CustomIndicators.Select(c => c.Key).Union(CustomIndicators.Select(c => c.Key)).Distinct(StringComparer.Ordinal))
        {
            var old = before.CustomIndicators.FirstOrDefault(c => c.Key == key);
            var now = CustomIndicators.FirstOrDefault(c => c.Key == key);
            Add($"Custom indicator {key}", old is null ? null : Describe(old), now is null ? null : Describe(now));
        }

        static string Describe(CustomIndicator c) =>
            $"{c.Name}: {c.Metric}, weight {c.Weight:0.##}, max age {c.MaxAgeDays} d, {c.Scoring.ToString().ToLowerInvariant()}" +
            (c.Scoring == CustomScoring.Range ? $" {c.Worst:0.##} to {c.Best:0.##}" : c.HigherIsBetter ? ", higher is better" : ", lower is better");
        return changes;
    }

    /// <inheritdoc />
    public bool Equals(ScoringModel? other) =>
        other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);
}

/// <summary>One changed field between two model versions (null: the field did not exist).</summary>
public sealed record ModelChange(string Field, string? Before, string? After);
