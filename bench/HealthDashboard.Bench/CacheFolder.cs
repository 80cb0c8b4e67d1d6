namespace HealthDashboard.Bench;

/// <summary>Where generated databases and CSV files are kept between runs (HEALTHDASHBOARD_BENCH_CACHE, else the temp folder).</summary>
public static class CacheFolder
{
    public static string Path { get; } = Create();

    private static string Create()
    {
        var path = Environment.GetEnvironmentVariable("HEALTHDASHBOARD_BENCH_CACHE")
            is { Length: > 0 } configured ? configured : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthdashboard-bench");
        Directory.CreateDirectory(path);
        return path;
    }
}
