namespace HealthDashboard.Scoring.Tests;

/// <summary>SCORING.md step 1: P = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]), h = (n - 1) 0.9, on sorted x.</summary>
public class PercentileTests
{
    private static double P90(params double[] values) => Normalization.Percentile90(values.ToArray());

    [Fact]
    public void Contract_test_vector_gives_208_2()
    {
        // sorted: 1 2 3 7 9 13 21 37 89 101 149 223 475; n = 13, h = 12 x 0.9 = 10.8
        // P = x[10] + 0.8 (x[11] - x[10]) = 149 + 0.8 x 74 = 208.2
        Assert.Equal(208.2, P90(475, 89, 101, 7, 3, 21, 2, 149, 223, 1, 13, 9, 37), 1e-9);
    }

    [Fact]
    public void Single_value_is_its_own_percentile()
    {
        // n = 1: h = 0, P = x[0]
        Assert.Equal(42, P90(42));
    }

    [Fact]
    public void Two_values_interpolate_nine_tenths_of_the_way()
    {
        // n = 2: h = 0.9, P = 10 + 0.9 x (20 - 10) = 19, whatever the input order
        Assert.Equal(19, P90(10, 20), 1e-9);
        Assert.Equal(19, P90(20, 10), 1e-9);
    }

    [Fact]
    public void All_equal_values_give_that_value()
    {
        // every x[i] = 4, so any interpolation is 4
        Assert.Equal(4, P90(4, 4, 4, 4, 4, 4, 4));
    }

    [Fact]
    public void Duplicates_around_the_rank_interpolate_between_the_right_order_statistics()
    {
        // sorted: ten 1s, 50, 50; n = 12, h = 11 x 0.9 = 9.9: x[9] = 1, x[10] = 50
        // P = 1 + 0.9 x 49 = 45.1
        Assert.Equal(45.1, P90(50, 1, 1, 1, 1, 50, 1, 1, 1, 1, 1, 1), 1e-9);

        // sorted: eleven 1s, 50; h = 9.9: x[9] = x[10] = 1, so P = 1
        Assert.Equal(1, P90(1, 1, 1, 50, 1, 1, 1, 1, 1, 1, 1, 1), 1e-9);

        // sorted: 2 2 2 8 8 8; n = 6, h = 4.5: x[4] = x[5] = 8, so P = 8
        Assert.Equal(8, P90(2, 8, 8, 2, 8, 2), 1e-9);
    }

    [Fact]
    public void Already_sorted_and_reverse_sorted_input_give_the_same_percentile()
    {
        // 10, 20, ..., 100: n = 10, h = 8.1: P = x[8] + 0.1 (x[9] - x[8]) = 90 + 0.1 x 10 = 91
        var ascending = Enumerable.Range(1, 10).Select(i => i * 10.0).ToArray();
        Assert.Equal(91, P90(ascending), 1e-9);
        Assert.Equal(91, P90(ascending.Reverse().ToArray()), 1e-9);
    }

    [Fact]
    public void Long_sorted_and_reverse_sorted_runs_give_the_interpolated_rank()
    {
        // 0, 1, ..., 999: x[i] = i, n = 1000, h = 999 x 0.9 = 899.1, P = 899 + 0.1 x 1 = 899.1
        var ascending = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        Assert.Equal(899.1, P90(ascending), 1e-9);
        Assert.Equal(899.1, P90(ascending.Reverse().ToArray()), 1e-9);
    }

    [Fact]
    public void Any_order_of_any_population_matches_the_sorted_formula()
    {
        // The contract's formula written out on a sorted copy, against the core's selection,
        // over populations with many duplicates (values 0-9) and sizes 1-60.
        var random = new Random(20250630);
        for (var trial = 0; trial < 500; trial++)
        {
            var values = Enumerable.Range(0, random.Next(1, 61)).Select(_ => (double)random.Next(0, 10)).ToArray();
            var sorted = values.Order().ToArray();
            var h = (sorted.Length - 1) * 0.9;
            var lo = (int)Math.Floor(h);
            var expected = lo + 1 < sorted.Length ? sorted[lo] + ((h - lo) * (sorted[lo + 1] - sorted[lo])) : sorted[lo];

            Assert.Equal(expected, P90(values), 1e-9);
        }
    }

    [Fact]
    public void Empty_population_has_no_percentile()
    {
        Assert.Throws<ArgumentException>(() => Normalization.Percentile90(Span<double>.Empty));
    }
}
