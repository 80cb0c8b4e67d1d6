using System.Globalization;
using HealthDashboard.Queries;

namespace HealthDashboard.Api;

/// <summary>
/// Strict reading of <c>GET /api/accounts</c>'s query. The pages forgive a hand-edited link (an unusable
/// value falls back to its default); a program calling the API is told instead what is wrong, so a typo
/// such as <c>size=-1</c> or <c>band=reed</c> is not silently answered with other rows.
/// </summary>
public static class AccountsQueryCheck
{
    private static readonly string[] TextKeys = ["segment", "owner", "plan", "q"];
    private static readonly string[] Known = ["band", "segment", "owner", "plan", "renewal", "q", "tag", "sort", "desc", "page", "size"];

    /// <summary>What is wrong with the query, one message per parameter; empty when it is fine.</summary>
    public static IReadOnlyList<string> Problems(IQueryCollection query)
    {
        var problems = new List<string>();
        foreach (var (key, values) in query)
        {
            var name = key.ToLowerInvariant();
            if (!Known.Contains(name))
            {
                problems.Add($"{Quote(key)}: not a parameter of /api/accounts ({string.Join(", ", Known)})");
                continue;
            }

            if (values.Count > 1 && name != "band")
            {
                problems.Add($"{name}: given {values.Count} times; give it once");
                continue;
            }

            var value = values.ToString();
            var problem = name switch
            {
                "band" => values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries))
                    .FirstOrDefault(b => b.ToLowerInvariant() is not ("red" or "yellow" or "green")) is { } bad
                    ? $"{Quote(bad)} is not a band (red, yellow, green)"
                    : null,
                "renewal" => WholeProblem(value, 0, AccountFilter.MaxRenewalDays),
                "page" => WholeProblem(value, 1, int.MaxValue),
                "size" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && AccountFilter.PageSizes.Contains(size)
                    ? null
                    : $"{Quote(value)} is not a page size ({string.Join(", ", AccountFilter.PageSizes)})",
                "sort" => value.All(char.IsAsciiLetter) && Enum.TryParse<AccountSort>(value, ignoreCase: true, out _)
                    ? null
                    : $"{Quote(value)} is not a sort column ({string.Join(", ", Enum.GetNames<AccountSort>().Select(n => n.ToLowerInvariant()))})",
                "tag" => value.Trim() is { Length: 0 or > Tasks.TagStore.MaxLength } ? $"not a tag (1 to {Tasks.TagStore.MaxLength} characters)" : null,
                "desc" => Import.ImportValues.TryParseBool(value, out _) ? null : $"{Quote(value)} is not a boolean (true, false, 1 or 0)",
                _ when TextKeys.Contains(name) && value.Trim().Length > QueryParams.MaxTextLength =>
                    $"longer than {QueryParams.MaxTextLength} characters",
                _ => null,
            };
            if (problem is not null)
            {
                problems.Add($"{name}: {problem}");
            }
        }

        return problems;
    }

    private static string? WholeProblem(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) && whole >= min && whole <= max
            ? null
            : max == int.MaxValue
                ? $"{Quote(value)} is not a whole number of at least {min}"
                : $"{Quote(value)} is not a whole number from {min} to {max}";

    private static string Quote(string value) => value.Length <= 40 ? $"'{value}'" : $"'{value[..37]}...'";
}
