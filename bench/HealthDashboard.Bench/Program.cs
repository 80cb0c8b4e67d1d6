using System.Diagnostics;
using HealthDashboard.Bench;

// Usage: HealthDashboard.Bench [--quick] [--part N | --prepare N]
// Without --part the bench runs every part, each in a child process of its own, and prints one table. Progress goes to standard error, the table to standard output.
// --part N prepares what the part needs first (cached, in a child process, so the part's peak memory
// stays its own): on a fresh machine a part alone would otherwise open an empty store.
var quick = args.Contains("--quick");
var scale = quick ? Scale.Small : Scale.Full;
var log = Console.Error;
string[] quickFlag = quick ? ["--quick"] : [];

if (ArgumentAfter("--prepare") is { } prepare)
{
    await PartNumbered(prepare).PrepareAsync(scale, log);
    return 0;
}

if (ArgumentAfter("--part") is { } partNumber)
{
    var part = PartNumbered(partNumber);
    await ChildProcess.RunAsync(["--prepare", partNumber, .. quickFlag], log);
    var figures = await part.RunAsync(scale, log);
    foreach (var figure in figures.Append(PeakMemory.Of(part)))
    {
        Console.WriteLine(figure.ToWireLine());
    }

    return 0;
}

var started = Stopwatch.GetTimestamp();
var all = new List<Figure>();
var failed = new List<string>();
foreach (var part in BenchPart.All)
{
    try
    {
        log.WriteLine($"[part {part.Number}] preparing, then measuring {part.Title}...");
        all.AddRange(await ChildProcess.RunAsync(["--part", $"{part.Number}", .. quickFlag], log));
    }
    catch (InvalidOperationException e)
    {
        // One broken part should not hide the others' figures.
        failed.Add($"part {part.Number}: {e.Message}");
    }
}

Console.WriteLine($"HealthDashboard bench ({(quick ? "quick, small scale: targets are for the full scale" : "full scale")}), {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
FigureTable.Print(all.OrderBy(f => f.Part), Console.Out);
foreach (var problem in failed)
{
    Console.WriteLine($"FAILED TO RUN: {problem}");
}

Console.WriteLine($"Total time: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
return failed.Count == 0 ? 0 : 1;

string? ArgumentAfter(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static BenchPart PartNumbered(string number) =>
    BenchPart.All.FirstOrDefault(p => p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == number)
        ?? throw new ArgumentException($"No part {number}.");
