using System.Text;

namespace HealthDashboard.Demo;

/// <summary>Believable company names, web domains, person names and e-mail addresses from the catalog's word lists.</summary>
internal sealed class DemoNames(Random random)
{
    private readonly HashSet<string> usedCompanies = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A company name not used before, such as "Northwind Logistics" or "Bluepeak Analytics". After a few
    /// thousand names it adds a region ("Northwind Logistics Europe"), and only past those a number.
    /// </summary>
    public string Company()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var name = $"{Stem()} {Pick(DemoCatalog.Industries)}";
            if (attempt >= 50)
            {
                name += " " + Pick(DemoCatalog.Regions);
            }

            if (usedCompanies.Add(name))
            {
                return name;
            }
        }

        // Only very large demo sets get here; a number keeps the name unique.
        for (var n = 2; ; n++)
        {
            var name = $"{Stem()} {Pick(DemoCatalog.Industries)} {n}";
            if (usedCompanies.Add(name))
            {
                return name;
            }
        }
    }

    /// <summary>The web domain of a company: its name in lower-case ASCII letters, then ".com".</summary>
    public static string Domain(string company) => Ascii(company) + ".com";

    /// <summary>A person's first and last name.</summary>
    public (string First, string Last) Person() => (Pick(DemoCatalog.FirstNames), Pick(DemoCatalog.LastNames));

    /// <summary>An address at <paramref name="domain"/> not in <paramref name="taken"/>: first.last, then f.last, then first.last2, ...</summary>
    public static string Email(string first, string last, string domain, HashSet<string> taken)
    {
        string f = Ascii(first), l = Ascii(last);
        var candidate = $"{f}.{l}@{domain}";
        if (taken.Add(candidate))
        {
            return candidate;
        }

        candidate = $"{f[0]}.{l}@{domain}";
        if (taken.Add(candidate))
        {
            return candidate;
        }

        for (var n = 2; ; n++)
        {
            candidate = $"{f}.{l}{n}@{domain}";
            if (taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private string Stem()
    {
        // "North" + "wind"; skip doubled sounds like "Stonestone".
        while (true)
        {
            var start = Pick(DemoCatalog.NameStarts);
            var end = Pick(DemoCatalog.NameEnds);
            if (!start.Equals(end, StringComparison.OrdinalIgnoreCase))
            {
                return start + end;
            }
        }
    }

    private string Pick(IReadOnlyList<string> words) => words[random.Next(words.Count)];

    /// <summary>Lower-case ASCII letters only; common accented letters lose their accent (the app runs with invariant globalization).</summary>
    private static string Ascii(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            var plain = c switch
            {
                'á' or 'à' or 'â' or 'ä' or 'ã' => 'a',
                'é' or 'è' or 'ê' or 'ë' => 'e',
                'í' or 'ì' or 'î' or 'ï' => 'i',
                'ó' or 'ò' or 'ô' or 'ö' or 'õ' => 'o',
                'ú' or 'ù' or 'û' or 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                _ => c,
            };
            if (plain is >= 'a' and <= 'z')
            {
                builder.Append(plain);
            }
        }

        return builder.ToString();
    }
}
