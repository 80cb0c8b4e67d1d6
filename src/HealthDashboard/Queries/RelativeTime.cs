namespace HealthDashboard.Queries;

/// <summary>Times as people say them ("3 days ago"), relative to the view's as-of time, not the wall clock.</summary>
public static class RelativeTime
{
    /// <summary>How long before <paramref name="asOf"/> <paramref name="time"/> was; "never" without a time.</summary>
    public static string Ago(DateTime? time, DateTime asOf)
    {
        if (time is not { } t)
        {
            return "never";
        }

        var span = asOf - t;
        if (span < TimeSpan.Zero)
        {
            return "in the future";
        }

        if (span.TotalMinutes < 1)
        {
            return "just now";
        }

        if (span.TotalHours < 1)
        {
            return Plural((int)span.TotalMinutes, "minute") + " ago";
        }

        if (span.TotalDays < 1)
        {
            return Plural((int)span.TotalHours, "hour") + " ago";
        }

        var days = (int)span.TotalDays;
        if (days == 1)
        {
            return "yesterday";
        }

        if (days < 30)
        {
            return $"{days} days ago";
        }

        if (days < 365)
        {
            return Plural(days / 30, "month") + " ago";
        }

        return Plural(days / 365, "year") + " ago";
    }

    /// <summary>"in 12 days", "today", "tomorrow", "3 days ago" for a calendar-day distance.</summary>
    public static string Days(int days) => days switch
    {
        0 => "today",
        1 => "tomorrow",
        -1 => "yesterday",
        > 1 => $"in {days} days",
        _ => $"{-days} days ago",
    };

    /// <summary>How long a customer has been one: "45 days", "13 months", "2.5 years" (whole days from created to as-of).</summary>
    public static string Tenure(DateTime createdAt, DateTime asOf)
    {
        var days = Math.Max(0, (int)(asOf - createdAt).TotalDays);
        if (days < 60)
        {
            return Plural(days, "day");
        }

        if (days < 730)
        {
            return Plural(days / 30, "month");
        }

        var years = Math.Floor(days / 365.25 * 10) / 10;
        return $"{years.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} years";
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
