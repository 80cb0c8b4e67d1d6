using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Data;
using HealthDashboard.Import;
using HealthDashboard.Scores;
using Npgsql;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 20 (issue 11): the 100-million-event case on PostgreSQL, scored end to end once. Only when
/// <c>HEALTHDASHBOARD_BENCH_100M=1</c> is set, at full scale and with a PostgreSQL server configured (not in
/// <c>--quick</c>, not in CI): it writes about 20 GB and takes tens of minutes. Into a fresh database the importer loads
/// part 2's accounts, users and event types (10,000 accounts, 100,000 users); then 100 million raw events (count 1)
/// over the 30-day window, in time order, each of a user drawn uniformly and an event type drawn with a skew (the first
/// types the most used), are generated in this process and written the way the importer writes a usage file
/// (<see cref="PostgresUsageWriter"/>: one binary COPY of the rows, the daily roll-up summed in memory as they pass and
/// written by COPY, one transaction). The writer is flushed at each UTC day's end, so each day's groups are written once,
/// as new, by COPY (the merge path is for days met again). Then a fresh app scores the portfolio
/// (ScoringService.ScoreAtAsync at the window's midnight, then at noon) and its peak resident set is read. The database is
/// dropped at the end.
/// </summary>
/// <remarks>
/// Why not generated on the server and rolled up by one <c>GROUP BY</c> (<see cref="UsageRollup.RebuildAsync"/>), as at
/// first: the generation (one <c>INSERT ... SELECT generate_series</c>) took 494 s, and the <c>GROUP BY</c> over the
/// 100 million rows was half done after 23.5 min (it sorts them all on disk). The importer's way sums a day in memory
/// (about 1.7 million groups, under 200 MB) while the COPY streams.
/// </remarks>
public sealed class HundredMillionBench : BenchPart
{
    /// <summary>The environment variable that turns the part on ("1").</summary>
    public const string FlagVariable = "HEALTHDASHBOARD_BENCH_100M";

    private const string Database = "hd_bench_100m";

    private const long Events = 100_000_000;

    // A whole day's groups held at once (each day's are then written in one COPY); more only if a day had more.
    private const int MaxGroupsPerFlush = 8_000_000;

    public override int Number => 20;

    public override string Title => "100 million events on PostgreSQL";

    private static bool Enabled(Scale scale) =>
        !scale.Quick && Environment.GetEnvironmentVariable(FlagVariable) == "1" && PostgresDatabase.Server is not null;

    public override Task PrepareAsync(Scale scale, TextWriter log)
    {
        if (Enabled(scale))
        {
            CsvFolders.Ensure(scale.Portfolio, log);
        }

        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        if (!Enabled(scale))
        {
            log.WriteLine($"  skipped: set {FlagVariable}=1 (full scale, with a PostgreSQL server) to run the 100-million-event case.");
            return [];
        }

        var server = PostgresDatabase.Server!;
        var database = await PostgresDatabase.RecreateAsync(server, Database);
        try
        {
            using (var app = await AppHost.OpenAsync(databaseFile: null, PostgresDatabase.AppConfiguration(database)))
            {
                var reference = await app.Get<FolderImporter>().ImportFolderAsync(CsvFolders.PathsFor(scale.Portfolio).Reference, "bench");
                log.WriteLine($"  reference: {reference.Summary}");
            }

            DateTime asOf = PortfolioSpec.AsOf, from = asOf.AddDays(-PortfolioSpec.WindowDays);
            var events = await EventSource.ReadAsync(database, from, asOf);
            var (_, generation) = await Timing.OnceAsync(() => Task.FromResult(events.Checksum()));
            log.WriteLine($"  generating {Events:N0} events alone (no writes): {generation / 1000:N1} s; writing them as an import...");
            var (stages, load) = await Timing.OnceAsync(() => WriteAsync(database, events));
            var rollup = stages.ToList().Where(s => s.Name == "roll-up").Sum(s => s.Elapsed.TotalMilliseconds);
            log.WriteLine($"  written in {load / 1000:N0} s (of which roll-up writes {rollup / 1000:N0} s); vacuum and analyze...");
            var analyze = await TimedAsync(database, "VACUUM ANALYZE");
            var rows = await CountAsync(database, """SELECT count(*) FROM "Usage" """);
            var groups = await CountAsync(database, """SELECT count(*) FROM "UsageDaily" """);
            var megabytes = await CountAsync(database, "SELECT pg_database_size(current_database()) / 1048576");
            log.WriteLine($"  {rows:N0} rows, {groups:N0} groups, vacuum and analyze {analyze / 1000:N0} s, database {megabytes:N0} MB");

            NpgsqlConnection.ClearAllPools();
            PeakOf midnight, noon;
            using (var app = await AppHost.OpenAsync(databaseFile: null, PostgresDatabase.AppConfiguration(database)))
            {
                var service = app.Get<ScoringService>();
                // Each scoring's peak on its own, from a heap collected once the previous one's frames are gone.
                midnight = await PeakMemory.OfAsync(() => service.ScoreAtAsync(asOf));
                noon = await PeakMemory.OfAsync(() => service.ScoreAtAsync(asOf.AddHours(-12)));
            }

            log.WriteLine($"  scored in {midnight.Milliseconds:N0} ms (at noon {noon.Milliseconds:N0} ms), peak resident set {midnight.Peak:N0} MB " +
                $"from {midnight.ResidentBefore:N0} MB, managed heap {midnight.HeapBefore:N0} MB (at noon {noon.Peak:N0} MB from {noon.ResidentBefore:N0} MB, heap {noon.HeapBefore:N0} MB)");
            return
            [
                new(Number, $"100M: generation of {Events:N0} events in the process alone (no writes)", generation / 1000, "s"),
                new(Number, $"100M: import of the {rows:N0} rows with their roll-up (PostgresUsageWriter, one transaction, generation included)", load / 1000, "s"),
                new(Number, $"100M:   of which writing the roll-up ({groups:N0} groups, by COPY, one flush per day)", rollup / 1000, "s"),
                new(Number, "100M: import rate (generation included)", rows / (load / 1000), "rows/s"),
                new(Number, "100M: VACUUM ANALYZE after the load", analyze / 1000, "s"),
                new(Number, "100M: database size", megabytes, "MB"),
                new(Number, "100M: first ScoreAtAsync at midnight (fresh app: reference, roll-up read, aggregate, score)", midnight.Milliseconds / 1000, "s"),
                new(Number, "100M: ScoreAtAsync at noon (two edge days grouped by the database)", noon.Milliseconds / 1000, "s"),
                new(Number, "100M: peak resident set of the app during the first ScoreAtAsync (bench process, after the load was freed)", midnight.Peak, "MB"),
                new(Number, "100M:   resident set before it (after a full collection)", midnight.ResidentBefore, "MB"),
                new(Number, "100M: peak resident set during the ScoreAtAsync at noon (after a full collection)", noon.Peak, "MB"),
            ];
        }
        finally
        {
            await PostgresDatabase.DropAsync(server, Database);
        }
    }

    /// <summary>Writes every event through <see cref="PostgresUsageWriter"/> in one transaction, flushing at each day's end; returns its stages.</summary>
    private static async Task<ImportStages> WriteAsync(string database, EventSource events)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var stages = new ImportStages();
        await using (var writer = await PostgresUsageWriter.BeginAsync(connection, stages, MaxGroupsPerFlush, CancellationToken.None))
        {
            var day = -1L;
            for (var g = 1L; g <= Events; g++)
            {
                var (account, user, eventType, ticks) = events.At(g);
                if ((ticks / TimeSpan.TicksPerDay != day && day >= 0) || writer.Full)
                {
                    await writer.FlushAsync(CancellationToken.None);
                }

                day = ticks / TimeSpan.TicksPerDay;
                writer.Add(account, user, eventType, ticks, 1);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        await transaction.CommitAsync();
        return stages;
    }

    /// <summary>
    /// The generated events: event g (1 to <see cref="Events"/>) at <c>from + g * step</c> (time order), of a user drawn
    /// uniformly and an event type drawn with a cubic skew toward the first ones, both from a hash of g (deterministic).
    /// </summary>
    private sealed class EventSource(int[] userIds, int[] userAccounts, int[] eventTypeIds, long fromTicks, long step)
    {
        public static async Task<EventSource> ReadAsync(string database, DateTime from, DateTime asOf)
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            List<int> users = [], accounts = [], eventTypes = [];
            await using (var command = new NpgsqlCommand("""SELECT "Id", "AccountId" FROM "AccountUsers" ORDER BY "Id" """, connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    users.Add(reader.GetInt32(0));
                    accounts.Add(reader.GetInt32(1));
                }
            }

            await using (var command = new NpgsqlCommand("""SELECT "Id" FROM "EventTypes" ORDER BY "Id" """, connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    eventTypes.Add(reader.GetInt32(0));
                }
            }

            return new([.. users], [.. accounts], [.. eventTypes], from.Ticks, (asOf - from).Ticks / Events);
        }

        public (int Account, int User, int EventType, long Ticks) At(long g)
        {
            var u = (int)(Mix(g, 1) % (ulong)userIds.Length);
            var r = (Mix(g, 2) >> 11) * (1.0 / (1UL << 53));
            var e = Math.Min(eventTypeIds.Length - 1, (int)(eventTypeIds.Length * r * r * r));
            return (userAccounts[u], userIds[u], eventTypeIds[e], fromTicks + g * step);
        }

        /// <summary>Generates every event without writing it (the generation's own time), returning a sum so none is skipped.</summary>
        public long Checksum()
        {
            var sum = 0L;
            for (var g = 1L; g <= Events; g++)
            {
                var (account, user, eventType, ticks) = At(g);
                sum += account + user + eventType + (ticks & 0xFFFF);
            }

            return sum;
        }

        // SplitMix64's finaliser over g and a stream number: independent-looking draws per event and purpose.
        private static ulong Mix(long g, ulong stream)
        {
            var z = (ulong)g * 0x9E3779B97F4A7C15UL + stream * 0xD1B54A32D192ED69UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static async Task<double> TimedAsync(string database, string sql, Action<NpgsqlCommand>? parameters = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        parameters?.Invoke(command);
        var (_, milliseconds) = await Timing.OnceAsync(() => command.ExecuteNonQueryAsync());
        return milliseconds;
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
