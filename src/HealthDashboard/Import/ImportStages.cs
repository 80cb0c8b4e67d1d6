using System.Diagnostics;

namespace HealthDashboard.Import;

/// <summary>One stage of an import and the wall time it took (summed when the stage ran several times).</summary>
/// <param name="Name">What ran, e.g. <c>usage.csv</c> (its reading, checking and writing), <c>usage inserts</c> (the part
/// of it spent in the database), <c>roll-up</c>, <c>commit</c>.</param>
/// <param name="Elapsed">Its wall time.</param>
public sealed record ImportStage(string Name, TimeSpan Elapsed);

/// <summary>
/// Stopwatches per stage of one import, for the log and the bench's breakdown: an import that got slower says
/// where. Stages are named in the order they first ran; a stage that runs again (the checksum of each file) adds up.
/// </summary>
internal sealed class ImportStages
{
    private readonly List<(string Name, long Ticks)> stages = [];

    /// <summary>Adds the time since <paramref name="startedAt"/> (a <see cref="Stopwatch.GetTimestamp"/>) to stage <paramref name="name"/>.</summary>
    public void Add(string name, long startedAt) => AddTicks(name, Stopwatch.GetTimestamp() - startedAt);

    /// <summary>Adds <paramref name="stopwatchTicks"/> (in <see cref="Stopwatch"/> ticks) to stage <paramref name="name"/>.</summary>
    public void AddTicks(string name, long stopwatchTicks)
    {
        var index = this.stages.FindIndex(s => s.Name == name);
        if (index < 0)
        {
            this.stages.Add((name, stopwatchTicks));
        }
        else
        {
            this.stages[index] = (name, this.stages[index].Ticks + stopwatchTicks);
        }
    }

    /// <summary>The stages so far.</summary>
    public IReadOnlyList<ImportStage> ToList() =>
        [.. this.stages.Select(s => new ImportStage(s.Name, Stopwatch.GetElapsedTime(0, s.Ticks)))];
}
