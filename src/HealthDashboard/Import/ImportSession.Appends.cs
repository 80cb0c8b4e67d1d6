using Microsoft.Data.Sqlite;
using Npgsql;

namespace HealthDashboard.Import;

// Usage, surveys and revenue: appended. Usage files are the big ones (millions of rows), so a usage
// row is checked on spans of the reader's buffer without allocating and inserted with one statement prepared
// on SQLite's own API (RawInsert); no EF change tracking is involved.
internal sealed partial class ImportSession
{
    private async Task<int> ImportUsageAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var columns = new UsageColumns(
            table.Column("account_id"), table.Column("user_id"), table.Column("event_type"), table.Column("timestamp"), table.Column("count"));
        // The roll-up is summed in memory as the rows pass on both engines. SQLite: multi-row inserts
        // (SqliteUsageWriter). PostgreSQL: binary COPY streams, written on the writer's own thread while this one reads
        // on (PostgresUsageWriter; ids are always preloaded there, so the reader runs no SQL meanwhile).
        await using var copy = connection is NpgsqlConnection postgres ? await PostgresUsageWriter.BeginAsync(postgres, this.stages, UsageDailySums.MaxGroups, inBackground: true, cancellationToken) : null;
        // A large import (ids preloaded, so the reader runs no SQL of its own meanwhile) stores its rows on a second
        // thread while this one reads and checks the next ones.
        using var insert = copy is null ? new SqliteUsageWriter((SqliteConnection)connection, this.stages, inBackground: lookups is null) : null;
        var rows = 0;
        var read = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            if (ImportUsageRow(table, columns, insert, copy))
            {
                rows++;
            }

            if ((++read & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (copy is not null)
        {
            // Ended even after a problem: a cancelled COPY would abort the transaction, and the import goes on reading
            // the other files (and checking their checksums in the database) to report every problem.
            await copy.CompleteAsync(cancellationToken);
        }
        else if (Writing)
        {
            insert!.Complete();
        }

        return rows;
    }

    private readonly record struct UsageColumns(ImportColumn Account, ImportColumn User, ImportColumn EventType, ImportColumn Timestamp, ImportColumn Count);

    private bool ImportUsageRow(ImportFileReader table, in UsageColumns columns, SqliteUsageWriter? insert, PostgresUsageWriter? copy)
    {
        var accountKnown = KnownAccount(table, columns.Account, out var accountId);
        var ok = accountKnown;
        ok &= KnownUserOf(table, columns.User, accountKnown ? accountId : null, out var userId);

        var eventCell = table.Cell(columns.EventType);
        var eventTypeId = 0;
        if (eventCell.IsEmpty)
        {
            table.Problem(columns.EventType, "required value is empty");
            ok = false;
        }
        else if (!TryEventType(eventCell, out eventTypeId))
        {
            table.Problem(columns.EventType,
                $"unknown event type {ImportLog.Quote(eventCell)}: neither the database nor {ImportFiles.EventTypes.Name} defines it");
            ok = false;
        }

        var timeCell = table.Cell(columns.Timestamp);
        DateTime timestamp = default;
        if (timeCell.IsEmpty)
        {
            table.Problem(columns.Timestamp, "required value is empty");
            ok = false;
        }
        else if (!ImportValues.TryParseTime(timeCell, out timestamp))
        {
            table.Problem(columns.Timestamp, $"{ImportLog.Quote(timeCell)} is not an ISO 8601 time or date");
            ok = false;
        }
        else if (!table.InTimeRange(columns.Timestamp, timeCell, timestamp))
        {
            ok = false;
        }

        var countCell = table.Cell(columns.Count);
        var count = 1;
        if (!countCell.IsEmpty && !(ImportValues.TryParseWhole(countCell, out count) && count is >= 1 and <= ImportLimits.MaxUsageCount))
        {
            table.ReportNotWhole(columns.Count, countCell, 1, ImportLimits.MaxUsageCount);
            ok = false;
        }

        if (ok && Writing && copy is not null)
        {
            copy.Add(accountId, userId, eventTypeId, timestamp.Ticks, count);
        }
        else if (ok && Writing && insert is not null)
        {
            insert.Add(accountId, userId, eventTypeId, timestamp.Ticks, count);
        }

        return ok;
    }

    private async Task<int> ImportSurveysAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var account = table.Column("account_id");
        var user = table.Column("user_id");
        var respondedAt = table.Column("responded_at");
        var kind = table.Column("kind");
        var score = table.Column("score");
        using var insert = Prepare("""
            INSERT INTO "Surveys" ("AccountId", "UserId", "RespondedAt", "Kind", "Score") VALUES (@p0, @p1, @p2, @p3, @p4)
            """, 5);
        var rows = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            var accountKnown = KnownAccount(table, account, out var accountId);
            var ok = accountKnown;
            ok &= KnownUserOf(table, user, accountKnown ? accountId : null, out var userId);
            ok &= table.Time(respondedAt, required: true, out var responded);

            var kindName = table.Text(kind)?.ToUpperInvariant();
            var (min, max) = kindName switch
            {
                "NPS" => (0d, 10d),
                "CSAT" => (1d, 5d),
                _ => (double.MinValue, double.MaxValue),
            };
            if (kindName is null)
            {
                table.Problem(kind, "required value is empty");
                ok = false;
            }
            else if (kindName is not ("NPS" or "CSAT"))
            {
                table.Problem(kind, $"{ImportLog.Quote(table.Cell(kind))} is not NPS or CSAT");
                ok = false;
            }

            ok &= table.Number(score, min, max, required: true, out var scoreValue);
            if (kindName == "NPS" && scoreValue is { } nps && Math.Floor(nps) != nps)
            {
                table.Problem(score, $"{ImportLog.Quote(table.Cell(score))} is not a whole number (NPS answers are 0 to 10)");
                ok = false;
            }

            if (!ok || !Writing)
            {
                continue;
            }

            insert.Set(0, accountId);
            insert.Set(1, userId);
            insert.Set(2, responded);
            insert.Set(3, kindName);
            insert.Set(4, scoreValue);
            insert.Execute();
            rows++;
        }

        return rows;
    }

    private async Task<int> ImportRevenueAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var account = table.Column("account_id");
        var date = table.Column("date");
        var mrr = table.Column("mrr");
        using var insert = Prepare("""
            INSERT INTO "Revenue" ("AccountId", "Date", "Mrr") VALUES (@p0, @p1, @p2)
            """, 3);
        var rows = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            var ok = KnownAccount(table, account, out var accountId);
            ok &= table.Time(date, required: true, out var day);
            ok &= table.Number(mrr, 0, ImportLimits.MaxMrr, required: true, out var mrrValue);
            if (!ok || !Writing)
            {
                continue;
            }

            insert.Set(0, accountId);
            insert.Set(1, day);
            insert.Set(2, mrrValue);
            insert.Execute();
            rows++;
        }

        return rows;
    }

    private async Task<int> ImportMetricsAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var account = table.Column("account_id");
        var metric = table.Column("metric");
        var time = table.Column("time");
        var value = table.Column("value");
        using var insert = Prepare("""
            INSERT INTO "Metrics" ("AccountId", "Metric", "Time", "Value") VALUES (@p0, @p1, @p2, @p3)
            """, 4);
        var rows = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            var ok = KnownAccount(table, account, out var accountId);
            var key = table.Text(metric);
            if (key is null)
            {
                table.Problem(metric, "required value is empty");
                ok = false;
            }
            else if (key.Length > ImportLimits.MaxMetricKeyLength)
            {
                table.Problem(metric, $"a metric key is at most {ImportLimits.MaxMetricKeyLength} characters");
                ok = false;
            }

            ok &= table.Time(time, required: true, out var at);
            ok &= table.Number(value, -ImportLimits.MaxMetricValue, ImportLimits.MaxMetricValue, required: true, out var number);
            if (!ok || !Writing)
            {
                continue;
            }

            // Rows go in file order, so the id orders rows of equal times: the last imported wins.
            insert.Set(0, accountId);
            insert.Set(1, key);
            insert.Set(2, at);
            insert.Set(3, number);
            insert.Execute();
            rows++;
        }

        return rows;
    }
}
