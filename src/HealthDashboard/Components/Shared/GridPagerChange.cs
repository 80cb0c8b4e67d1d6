namespace HealthDashboard.Components.Shared;

/// <summary>What the user asked <see cref="GridPager"/> for: a page (from 1) at a page size.</summary>
public readonly record struct GridPagerChange(int Page, int PageSize);
