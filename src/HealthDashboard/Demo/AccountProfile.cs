namespace HealthDashboard.Demo;

/// <summary>
/// How one demo account behaves day by day: the story's activity curve, which key features it has
/// adopted (and when it adopted or dropped them), and whether its product sends daily exports.
/// Ages are days before Now (0 = today).
/// </summary>
internal sealed class AccountProfile
{
    public required AccountStory Story { get; init; }

    /// <summary>Age of the account's creation, in days before Now.</summary>
    public required double CreatedAge { get; init; }

    /// <summary>Silent accounts stop here; churned accounts at their churn; others never (-1).</summary>
    public double StopAge { get; init; } = -1;

    /// <summary>Period (days) and phase (radians) of a seasonal account's busy and quiet times.</summary>
    public double SeasonPeriod { get; init; } = 365;

    public double SeasonPhase { get; init; }

    /// <summary>True: usage arrives as one row per user, type and day with a count (a daily export); false: raw events.</summary>
    public bool DailyExport { get; init; }

    /// <summary>Seats bought at creation (the seat count changes with up- and down-sells).</summary>
    public int StartSeats { get; init; }

    /// <summary>Age of the up-sell that added seats, -1 without one; the users for the new seats join after it.</summary>
    public double UpsellAge { get; init; } = -1;

    /// <summary>A churner that looked healthy until it left (nothing in its data foretold the churn).</summary>
    public bool SuddenChurn { get; init; }

    /// <summary>How many days before its churn a churner starts fading.</summary>
    public double DeclineDays { get; init; } = 90;

    /// <summary>How far a fading churner is into its decline on the day of this age: 0 before it, 1 at the churn.</summary>
    public double ChurnDecline(double age) =>
        Story != AccountStory.Churned || SuddenChurn ? 0 : 1 - Math.Clamp((age - StopAge) / DeclineDays, 0, 1);

    /// <summary>Per event type index: the age from which the account uses it as an adopted feature (NaN: never).</summary>
    public required double[] AdoptedFromAge { get; init; }

    /// <summary>Per event type index: the age at which the account stopped using an adopted feature (-1: still uses it).</summary>
    public required double[] DroppedAtAge { get; init; }

    /// <summary>Whether the adopted feature <paramref name="eventType"/> is in use on the day of age <paramref name="age"/>.</summary>
    public bool UsesFeature(int eventType, double age) =>
        !double.IsNaN(AdoptedFromAge[eventType]) && age <= AdoptedFromAge[eventType] && age > DroppedAtAge[eventType];

    /// <summary>The account's activity multiplier on the day of age <paramref name="age"/> (0: nobody works in the product).</summary>
    public double Intensity(double age)
    {
        if (age > CreatedAge || (StopAge >= 0 && age <= StopAge))
        {
            return 0;
        }

        var sinceCreated = CreatedAge - age;
        return Story switch
        {
            AccountStory.Thriving => 1.0 + (0.15 * (1 - Math.Min(1, age / 180))),
            AccountStory.Steady => 0.8,
            AccountStory.Declining => 0.3 + (0.7 * Math.Clamp(age / 180, 0, 1)),
            AccountStory.Silent => 0.8,
            AccountStory.Onboarding => 0.4 + (0.6 * Math.Min(1, sinceCreated / 30)),
            AccountStory.Seasonal => 0.55 + (0.45 * Math.Sin((2 * Math.PI * age / SeasonPeriod) + SeasonPhase)),
            AccountStory.Churned => 0.85 - (0.7 * ChurnDecline(age)),
            _ => 0.8,
        };
    }
}

/// <summary>How one demo user behaves: how often they come back and, for users who drift away, when they stopped.</summary>
/// <param name="Level">Chance of using the product on a working day when the account is at full intensity.</param>
/// <param name="StopAge">Age (days before Now) at which the user stopped for good, -1 when they did not.</param>
/// <param name="StartHour">Hour of day (UTC) their sessions usually start.</param>
internal readonly record struct UserProfile(double Level, double StopAge, double StartHour);
