using System.Globalization;

namespace HealthDashboard.Bench;

/// <summary>A goal a figure must meet: strictly below or strictly above a limit.</summary>
public sealed record Target(bool Below, double Limit)
{
    public static Target Under(double limit) => new(true, limit);

    public static Target Over(double limit) => new(false, limit);

    public bool IsMetBy(double value) => Below ? value < Limit : value > Limit;
}

/// <summary>
/// One measured figure of the bench: what, how much, and the target it is held to (none: for
/// information). Children hand figures to the parent as tab-separated lines on standard output.
/// </summary>
public sealed record Figure(int Part, string Name, double Value, string Unit, Target? Target = null)
{
    private const string Marker = "#figure";

    /// <summary>PASS, FAIL, or "info" for a figure without a target.</summary>
    public string Result => Target is null ? "info" : Target.IsMetBy(Value) ? "PASS" : "FAIL";

    /// <summary>The line a child process prints for the parent.</summary>
    public string ToWireLine() => string.Join('\t',
        Marker, Part.ToString(CultureInfo.InvariantCulture), Name, Value.ToString("R", CultureInfo.InvariantCulture), Unit,
        Target is null ? "" : (Target.Below ? "<" : ">") + Target.Limit.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Reads a line printed by <see cref="ToWireLine"/>; false for any other line.</summary>
    public static bool TryParseWireLine(string line, out Figure figure)
    {
        figure = null!;
        var fields = line.Split('\t');
        if (fields.Length != 6 || fields[0] != Marker)
        {
            return false;
        }

        Target? target = fields[5].Length == 0
            ? null
            : new Target(fields[5][0] == '<', double.Parse(fields[5][1..], CultureInfo.InvariantCulture));
        figure = new Figure(int.Parse(fields[1], CultureInfo.InvariantCulture), fields[2],
            double.Parse(fields[3], CultureInfo.InvariantCulture), fields[4], target);
        return true;
    }

    /// <summary>The value as the table shows it (three significant digits at least, thousands separated).</summary>
    public string FormattedValue => Format(Value) + " " + Unit;

    public string FormattedTarget => Target is null ? "-" : (Target.Below ? "< " : "> ") + Format(Target.Limit) + " " + Unit;

    private static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0.0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };
}

/// <summary>Prints figures as a plain table, one line per figure.</summary>
public static class FigureTable
{
    public static void Print(IEnumerable<Figure> figures, TextWriter output)
    {
        var rows = figures
            .Select(f => new[] { f.Part.ToString(CultureInfo.InvariantCulture), f.Name, f.FormattedValue, f.FormattedTarget, f.Result })
            .Prepend(["Part", "Figure", "Value", "Target", "Result"])
            .ToList();
        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            // Numbers right-aligned, text left-aligned.
            output.WriteLine(string.Join("  ",
                row[0].PadRight(widths[0]), row[1].PadRight(widths[1]), row[2].PadLeft(widths[2]),
                row[3].PadLeft(widths[3]), row[4]));
        }
    }
}
