namespace HealthDashboard.Components.Shared;

/// <summary>Which way a change goes once rounded as shown.</summary>
public enum TrendDirection
{
    /// <summary>Nothing to compare with.</summary>
    Unknown,

    /// <summary>Rounds to zero.</summary>
    Flat,

    /// <summary>Rounds above zero.</summary>
    Up,

    /// <summary>Rounds below zero.</summary>
    Down,
}
