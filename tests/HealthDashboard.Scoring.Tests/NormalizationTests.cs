namespace HealthDashboard.Scoring.Tests;

/// <summary>SCORING.md "Normalization curve", steps 2 and 3.</summary>
public class NormalizationTests
{
    private static readonly double[] ContractVector = [475, 89, 101, 7, 3, 21, 2, 149, 223, 1, 13, 9, 37];

    private static Normalization Fit(double curvature, params double[] raw) => Normalization.Fit(raw.ToArray(), curvature);

    [Fact]
    public void Contract_test_vector_with_k_3()
    {
        var curve = Fit(3, ContractVector);

        Assert.Equal(208.2, curve.Benchmark, 1e-9);
        // norm(112) = 1 + 99 (1 - e^(-3 x 112 / 208.2)) / (1 - e^-3)
        //           = 1 + 99 (1 - e^-1.61383) / (1 - 0.049787) = 1 + 99 x 0.800877 / 0.950213 = 84.44
        Assert.Equal(84.44, curve.Apply(112), 2);
        // norm(0) = 1 + 99 (1 - e^0) / ... = 1
        Assert.Equal(1, curve.Apply(0), 1e-12);
        // at and above the benchmark: 100
        Assert.Equal(100, curve.Apply(208.2));
        Assert.Equal(100, curve.Apply(475));
    }

    [Fact]
    public void Curve_rises_steeply_first()
    {
        var curve = Fit(3, ContractVector);

        // half the benchmark: 1 + 99 (1 - e^-1.5) / (1 - e^-3) = 1 + 99 x 0.776870 / 0.950213 = 81.94, well above the straight line's 50.5
        Assert.Equal(81.94, curve.Apply(104.1), 2);
    }

    [Fact]
    public void Curvature_0_is_the_straight_line()
    {
        var curve = Fit(0, ContractVector);

        // 1 + 99 r / P: r = P/2 gives 1 + 49.5 = 50.5; r = P/4 gives 1 + 24.75 = 25.75
        Assert.Equal(50.5, curve.Apply(104.1), 1e-9);
        Assert.Equal(25.75, curve.Apply(52.05), 1e-9);
        Assert.Equal(1, curve.Apply(0), 1e-12);
        Assert.Equal(100, curve.Apply(208.2));
    }

    [Fact]
    public void Non_positive_percentile_falls_back_to_the_maximum()
    {
        // ten 0s and a 10: n = 11, h = 9: P = x[9] = 0 <= 0, so P = max(R) = 10
        var curve = Fit(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10);

        Assert.Equal(10, curve.Benchmark);
        // straight line over P = 10: norm(5) = 1 + 99 x 0.5 = 50.5
        Assert.Equal(50.5, curve.Apply(5), 1e-9);
        Assert.Equal(100, curve.Apply(10));
        Assert.Equal(1, curve.Apply(0), 1e-12);
    }

    [Fact]
    public void Non_positive_percentile_falls_back_to_the_maximum_with_default_curvature()
    {
        // P = max = 10, k = 3: norm(5) = 1 + 99 (1 - e^-1.5) / (1 - e^-3) = 81.94
        var curve = Fit(3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10);

        Assert.Equal(81.94, curve.Apply(5), 2);
    }

    [Fact]
    public void All_values_zero_or_below_score_1()
    {
        var curve = Fit(3, 0, 0, -2, 0);

        Assert.Equal(1, curve.Apply(0));
        Assert.Equal(1, curve.Apply(-2));
    }

    [Fact]
    public void Empty_population_fits_without_error()
    {
        var curve = Fit(3);

        Assert.Equal(1, curve.Apply(0));
    }

    [Fact]
    public void A_curve_copied_with_another_curvature_applies_that_curvature()
    {
        var copied = new Normalization(208.2, 1, AllScoreOne: false) with { Curvature = 3 };

        Assert.Equal(new Normalization(208.2, 3, AllScoreOne: false).Apply(112), copied.Apply(112));
        Assert.Equal(84.44, copied.Apply(112), 2);
    }
}
