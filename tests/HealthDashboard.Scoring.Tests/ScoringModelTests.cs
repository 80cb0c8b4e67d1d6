using System.Text.Json;

namespace HealthDashboard.Scoring.Tests;

/// <summary>
/// Validation (event weights 0-10, indicator weights 0-100 with one above 0, k 0-10, W 1-365,
/// thresholds strictly increasing within 1-100), JSON round trip and version diffs.
/// </summary>
public class ScoringModelTests
{
    private static string SingleProblemField(ScoringModel model) => Assert.Single(model.Validate()).Field;

    [Fact]
    public void Default_model_is_valid()
    {
        Assert.Empty(ScoringModel.Default.Validate());
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(-0.01, false)]
    [InlineData(10.01, false)]
    [InlineData(double.NaN, false)]
    public void Event_weight_is_0_to_10(double weight, bool valid)
    {
        var model = ScoringModel.Default.WithEventType("login", new EventTypeSettings(weight));

        if (valid)
        {
            Assert.Empty(model.Validate());
        }
        else
        {
            Assert.Equal("EventTypes[login].Weight", SingleProblemField(model));
        }
    }

    [Theory]
    [InlineData(Indicator.Engagement, 0, true)]
    [InlineData(Indicator.Growth, 100, true)]
    [InlineData(Indicator.Support, -1, false)]
    [InlineData(Indicator.Depth, 100.5, false)]
    [InlineData(Indicator.Recency, double.NaN, false)]
    public void Indicator_weight_is_0_to_100(Indicator indicator, double weight, bool valid)
    {
        var model = ScoringModel.Default with { IndicatorWeights = ScoringModel.Default.IndicatorWeights.With(indicator, weight) };

        if (valid)
        {
            Assert.Empty(model.Validate());
        }
        else
        {
            Assert.Equal($"IndicatorWeights.{indicator}", SingleProblemField(model));
        }
    }

    [Fact]
    public void At_least_one_indicator_weight_is_above_0()
    {
        var zero = new IndicatorWeights { Engagement = 0, Breadth = 0, Depth = 0, Frequency = 0, Recency = 0, Support = 0, Sentiment = 0, Growth = 0 };

        Assert.Equal("IndicatorWeights", SingleProblemField(ScoringModel.Default with { IndicatorWeights = zero }));
        Assert.Empty((ScoringModel.Default with { IndicatorWeights = zero with { Growth = 0.5 } }).Validate());
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(-0.1, false)]
    [InlineData(10.1, false)]
    public void Curvature_is_0_to_10(double k, bool valid)
    {
        var model = ScoringModel.Default with { Curvature = k };

        if (valid)
        {
            Assert.Empty(model.Validate());
        }
        else
        {
            Assert.Equal(nameof(ScoringModel.Curvature), SingleProblemField(model));
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(365, true)]
    [InlineData(0, false)]
    [InlineData(366, false)]
    public void Window_is_1_to_365_days(int days, bool valid)
    {
        var model = ScoringModel.Default with { WindowDays = days };

        if (valid)
        {
            Assert.Empty(model.Validate());
        }
        else
        {
            Assert.Equal(nameof(ScoringModel.WindowDays), SingleProblemField(model));
        }
    }

    [Theory]
    [InlineData(100, 2, 1)]
    [InlineData(90, 60, 30)]
    public void Thresholds_strictly_increasing_within_1_to_100_are_valid(double a, double b, double c)
    {
        Assert.Empty((ScoringModel.Default with { Thresholds = new GradeThresholds(a, b, c) }).Validate());
    }

    [Theory]
    [InlineData(85, 70, 70, "Thresholds")]      // C = B: not strictly increasing
    [InlineData(70, 70, 40, "Thresholds")]      // B = A
    [InlineData(85, 40, 70, "Thresholds")]      // C above B
    [InlineData(101, 70, 40, "Thresholds.A")]   // above 100
    [InlineData(85, 70, 0.5, "Thresholds.C")]   // below 1
    public void Thresholds_out_of_order_or_range_are_invalid(double a, double b, double c, string field)
    {
        Assert.Equal(field, SingleProblemField(ScoringModel.Default with { Thresholds = new GradeThresholds(a, b, c) }));
    }

    [Fact]
    public void Every_broken_rule_is_reported()
    {
        var model = ScoringModel.Default.WithEventType("x", new EventTypeSettings(11)) with
        {
            Curvature = 11,
            WindowDays = 0,
            Thresholds = new GradeThresholds(50, 60, 40),
        };

        Assert.Equal(
            ["EventTypes[x].Weight", "Curvature", "WindowDays", "Thresholds"],
            model.Validate().Select(p => p.Field).ToArray());
    }

    private static ScoringModel Custom() => ScoringModel.Default
        .WithEventType("report", new EventTypeSettings(7, KeyFeature: true, ValueMoment: true))
        .WithEventType("login", new EventTypeSettings(0.5)) with
    {
        IndicatorWeights = new IndicatorWeights { Engagement = 40, Growth = 0, Sentiment = 12.5 },
        Curvature = 2.5,
        WindowDays = 14,
        Thresholds = new GradeThresholds(90, 65, 35),
    };

    [Fact]
    public void Json_round_trip_keeps_every_field()
    {
        var model = Custom();

        var copy = ScoringModel.FromJson(model.ToJson());

        Assert.Equal(model, copy);
        Assert.Equal(new EventTypeSettings(7, KeyFeature: true, ValueMoment: true), copy.SettingsOf("report"));
        Assert.Equal(new EventTypeSettings(0.5), copy.SettingsOf("login"));
        Assert.Equal(40, copy.IndicatorWeights.Engagement);
        Assert.Equal(15, copy.IndicatorWeights.Breadth);
        Assert.Equal(12.5, copy.IndicatorWeights.Sentiment);
        Assert.Equal(0, copy.IndicatorWeights.Growth);
        Assert.Equal(2.5, copy.Curvature);
        Assert.Equal(14, copy.WindowDays);
        Assert.Equal(new GradeThresholds(90, 65, 35), copy.Thresholds);
        Assert.Equal(model.ToJson(), copy.ToJson());
    }

    [Fact]
    public void Models_that_differ_are_not_equal()
    {
        Assert.NotEqual(Custom(), Custom() with { Curvature = 3 });
        Assert.NotEqual(ScoringModel.Default, ScoringModel.Default.WithEventType("login", new EventTypeSettings(2)));
    }

    [Fact]
    public void Malformed_json_is_refused()
    {
        Assert.ThrowsAny<JsonException>(() => ScoringModel.FromJson("{ not json"));
        Assert.ThrowsAny<JsonException>(() => ScoringModel.FromJson("null"));
    }

    [Fact]
    public void Diff_lists_each_changed_field()
    {
        var before = ScoringModel.Default;
        var after = before.WithEventType("login", new EventTypeSettings(2, KeyFeature: true)) with
        {
            IndicatorWeights = before.IndicatorWeights.With(Indicator.Engagement, 30),
            Curvature = 2.5,
            WindowDays = 14,
            Thresholds = new GradeThresholds(90, 70, 45),
        };

        Assert.Equal(
            [
                new ModelChange("login weight", "1", "2"),
                new ModelChange("login key feature", "False", "True"),
                new ModelChange("Engagement weight", "25", "30"),
                new ModelChange("Curvature k", "3", "2.5"),
                new ModelChange("Window (days)", "30", "14"),
                new ModelChange("Grade A from", "85", "90"),
                new ModelChange("Grade C from", "40", "45"),
            ],
            after.DiffFrom(before).ToArray());
    }

    [Fact]
    public void Diff_of_an_unchanged_model_is_empty_and_a_single_change_is_one_entry()
    {
        var model = Custom();

        Assert.Empty(model.DiffFrom(Custom()));
        Assert.Equal(
            [new ModelChange("login weight", "0.5", "3")],
            model.WithEventType("login", new EventTypeSettings(3)).DiffFrom(model).ToArray());
    }

    [Fact]
    public void Diff_lists_only_settings_that_score_differently_and_names_event_types_by_display_name()
    {
        var before = new ScoringModel();
        var listedWithDefaults = before.WithEventType("login", new EventTypeSettings()).WithEventType("report_created", new EventTypeSettings(4));
        var names = new Dictionary<string, string> { ["login"] = "Logged in", ["report_created"] = "Report created" };

        Assert.Equal(
            [new ModelChange("Report created weight", "1", "4")],
            listedWithDefaults.DiffFrom(before, names).ToArray());
        Assert.Equal(
            [new ModelChange("report_created weight", "4", "1")],
            before.DiffFrom(listedWithDefaults).ToArray());
    }
}
