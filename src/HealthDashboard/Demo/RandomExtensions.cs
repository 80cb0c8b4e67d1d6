namespace HealthDashboard.Demo;

/// <summary>The few distributions the demo needs, on a seeded <see cref="Random"/> so a seed always gives the same data.</summary>
internal static class RandomExtensions
{
    /// <summary>A random generator for one account and one phase of the generation: changing one phase leaves the others' draws alone.</summary>
    public static Random For(int seed, int account, int phase) =>
        new(unchecked((seed * 1_000_003) + (account * 7919) + (phase * 104_729)));

    public static double Uniform(this Random random, double from, double to) => from + (random.NextDouble() * (to - from));

    public static bool Chance(this Random random, double p) => random.NextDouble() < p;

    /// <summary>Uniform on a log scale: as many accounts with 3-6 seats as with 6-12.</summary>
    public static double LogUniform(this Random random, double from, double to) =>
        Math.Exp(random.Uniform(Math.Log(from), Math.Log(to)));

    /// <summary>Normal by Box-Muller.</summary>
    public static double Normal(this Random random, double mean, double deviation)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + (deviation * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Poisson by Knuth's method; the demo's rates are small.</summary>
    public static int Poisson(this Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    /// <summary>An index drawn with the given relative weights.</summary>
    public static int Weighted(this Random random, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        var x = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
