using HealthDashboard.Data;
using System.Security.Cryptography;
using System.Text;
using HealthDashboard.Import;
using HealthDashboard.Scoring;
using Microsoft.EntityFrameworkCore;

namespace HealthDashboard.Tests.Import;

/// <summary>The importer's tests, run on SQLite (<see cref="FolderImporterSqliteTests"/>) and PostgreSQL (<see cref="FolderImporterPostgresTests"/>).</summary>
public abstract class FolderImporterTests(DatabaseProvider engine) : IAsyncLifetime
{
    private ImportTestDatabase db = null!;

    public async Task InitializeAsync() => this.db = await ImportTestDatabase.CreateAsync(engine);

    public async Task DisposeAsync() => await this.db.DisposeAsync();

    [Fact]
    public async Task A_good_folder_imports_every_file_with_its_values()
    {
        var result = await this.db.ImportAsync(ImportData.All);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(ImportData.AllSummary, result.Summary);
        Assert.Empty(result.Warnings);
        Assert.True(await this.db.TakeRescoreRequestAsync(), "a committed import asks the score board to re-score");
        Assert.Equal("event types 3, accounts 2, users 3, usage 4, tickets 2, surveys 2, revenue 2, batches 1, files 7, models 2",
            await this.db.CountsAsync());

        await using var db = await this.db.DbAsync();
        var accounts = await db.Accounts.OrderBy(a => a.ExternalId).ToListAsync();
        var a1 = accounts[0];
        Assert.Equal(("A1", "Acme", "SMB", "Pro", 10, 500.5, "ann"), (a1.ExternalId, a1.Name, a1.Segment, a1.Plan, a1.Seats, a1.Mrr, a1.Owner));
        Assert.Equal(ImportData.Utc(2027, 1, 31), a1.RenewalDate);
        Assert.Equal(ImportData.Utc(2025, 1, 15, 8), a1.CreatedAt);
        Assert.Null(a1.ChurnedAt);
        var a2 = accounts[1];
        Assert.Equal((0, 0.0, (DateTime?)null), (a2.Seats, a2.Mrr, a2.RenewalDate));
        Assert.Equal(ImportTestDatabase.Start.UtcDateTime, a2.CreatedAt);
        Assert.Equal(ImportData.Utc(2026, 9, 30), a2.ChurnedAt);

        var ids = accounts.ToDictionary(a => a.Id, a => a.ExternalId);
        var users = await db.Users.OrderBy(u => u.ExternalId).ToListAsync();
        Assert.Equal(["U1:A1:Ann:ann@acme.test", "U2:A1:Al:", "U3:A2:Gil:gil@globex.test"],
            users.Select(u => $"{u.ExternalId}:{ids[u.AccountId]}:{u.Name}:{u.Email}"));
        Assert.Equal(ImportData.Utc(2025, 2, 1), users[0].CreatedAt);
        Assert.Null(users[1].CreatedAt);
        Assert.Equal(ImportData.Utc(2025, 3, 1, 11), users[2].CreatedAt);

        var types = await db.EventTypes.OrderBy(e => e.Key).ToListAsync();
        Assert.Equal(["export:Export:9:True:True", "login:Log in:1:False:False", "report:Report viewed:5:True:False"],
            types.Select(e => $"{e.Key}:{e.Name}:{e.Weight}:{e.KeyFeature}:{e.ValueMoment}"));

        // Usage times are UTC ticks: +02:00 is two hours earlier in UTC, a date alone is midnight UTC; count defaults to 1.
        var userIds = users.ToDictionary(u => u.Id, u => u.ExternalId);
        var typeKeys = types.ToDictionary(e => e.Id, e => e.Key);
        var usage = await db.Usage.OrderBy(u => u.Timestamp).ToListAsync();
        Assert.Equal(
        [
            $"A1:U1:login:{ImportData.Utc(2026, 11, 1, 9).Ticks}:1",
            $"A1:U2:report:{ImportData.Utc(2026, 11, 2, 8, 30).Ticks}:3",
            $"A2:-:export:{ImportData.Utc(2026, 11, 3).Ticks}:2",
            $"A2:U3:login:{ImportData.Utc(2026, 11, 4).Ticks}:1",
        ], usage.Select(u => $"{ids[u.AccountId]}:{(u.UserId is { } id ? userIds[id] : "-")}:{typeKeys[u.EventTypeId]}:{u.Timestamp}:{u.Count}"));

        var tickets = await db.Tickets.OrderBy(t => t.ExternalId).ToListAsync();
        Assert.Equal(("T1", "A1", ImportData.Utc(2026, 10, 1, 10), ImportData.Utc(2026, 10, 2, 10), "high", true, 4),
            (tickets[0].ExternalId, ids[tickets[0].AccountId], tickets[0].OpenedAt, tickets[0].ClosedAt, tickets[0].Priority, tickets[0].Escalated, tickets[0].Satisfaction));
        Assert.Equal(("T2", "A2", ImportData.Utc(2026, 10, 5), (DateTime?)null, "low", false, (int?)null),
            (tickets[1].ExternalId, ids[tickets[1].AccountId], tickets[1].OpenedAt, tickets[1].ClosedAt, tickets[1].Priority, tickets[1].Escalated, tickets[1].Satisfaction));

        var surveys = await db.Surveys.OrderBy(s => s.RespondedAt).ToListAsync();
        Assert.Equal(["A1:U1:NPS:9", "A2:-:CSAT:4.5"],
            surveys.Select(s => $"{ids[s.AccountId]}:{(s.UserId is { } id ? userIds[id] : "-")}:{s.Kind}:{s.Score}"));
        Assert.Equal(ImportData.Utc(2026, 10, 11, 12), surveys[1].RespondedAt);

        var revenue = await db.Revenue.OrderBy(r => r.Mrr).ToListAsync();
        Assert.Equal(["A1:2026-10-01:500.5", "A2:2026-10-01:1200"], revenue.Select(r => $"{ids[r.AccountId]}:{r.Date:yyyy-MM-dd}:{r.Mrr}"));

        var batch = await db.ImportBatches.Include(b => b.Files).SingleAsync();
        Assert.Equal((result.BatchId, "test", ImportData.AllSummary, ImportTestDatabase.Start.UtcDateTime),
            ((int?)batch.Id, batch.Source, batch.Summary, batch.ImportedAt));
        var usageFile = batch.Files.Single(f => f.FileName == "usage.csv");
        Assert.Equal(4, usageFile.Rows);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ImportData.Usage))), usageFile.Sha256);
    }

    [Fact]
    public async Task Event_types_make_a_new_scoring_model_version_with_their_settings()
    {
        var result = await this.db.ImportAsync(("event_types.csv", ImportData.EventTypes));

        Assert.Equal(2, result.NewModelVersion);
        await using var db = await this.db.DbAsync();
        var version = await db.ModelVersions.SingleAsync(v => v.Id == 2);
        Assert.Equal(("import", "Event types from event_types.csv", ImportTestDatabase.Start.UtcDateTime), (version.SavedBy, version.Comment, version.SavedAt));
        var model = ScoringModel.FromJson(version.ModelJson);
        Assert.Equal(new EventTypeSettings(1, false, false), model.EventTypes["login"]);
        Assert.Equal(new EventTypeSettings(5, true, false), model.EventTypes["report"]);
        Assert.Equal(new EventTypeSettings(9, true, true), model.EventTypes["export"]);
        // Everything else is version 1's.
        Assert.Equal(ScoringModel.Default with { EventTypes = model.EventTypes }, model);
    }

    [Fact]
    public async Task Event_types_with_the_same_settings_make_no_new_version_and_a_changed_weight_does()
    {
        await this.db.ImportAsync(("event_types.csv", ImportData.EventTypes));

        // Names change, settings do not (missing flag columns keep the model's flags).
        var same = await this.db.ImportAsync(("event_types.csv", "key,name,weight\nlogin,Sign in,1\nreport,Report,5\n"));
        Assert.True(same.Succeeded);
        Assert.Null(same.NewModelVersion);

        var changed = await this.db.ImportAsync(("event_types.csv", "key,weight\nreport,6\n"));
        Assert.Equal(3, changed.NewModelVersion);

        await using var db = await this.db.DbAsync();
        Assert.Equal([1, 2, 3], await db.ModelVersions.OrderBy(v => v.Id).Select(v => v.Id).ToListAsync());
        var model = ScoringModel.FromJson((await db.ModelVersions.SingleAsync(v => v.Id == 3)).ModelJson);
        Assert.Equal(new EventTypeSettings(6, true, false), model.EventTypes["report"]);
        Assert.Equal(new EventTypeSettings(9, true, true), model.EventTypes["export"]);
        Assert.Equal("Sign in", (await db.EventTypes.SingleAsync(e => e.Key == "login")).Name);
        var report = await db.EventTypes.Where(e => e.Key == "report").Select(e => new { e.Weight, e.KeyFeature }).SingleAsync();
        Assert.Equal((6.0, true), (report.Weight, report.KeyFeature));
    }

    [Fact]
    public async Task A_second_import_updates_by_id_and_keeps_columns_it_leaves_out()
    {
        await this.db.ImportAsync(ImportData.All);
        this.db.Clock.SetUtcNow(ImportTestDatabase.Start.AddDays(1));

        var result = await this.db.ImportAsync(
            ("accounts.csv", "id,name,mrr\nA1,Acme Corp,750\nA3,Initech,0\n"),
            ("users.csv", "id,account_id,name\nU2,A2,Alfred\n"),
            ("tickets.csv", "id,account_id,opened_at,satisfaction\nT2,A2,2026-10-05,5\n"),
            ("usage.csv", "account_id,user_id,event_type,timestamp\nA2,U2,report,2026-11-05T00:00:00Z\n"));

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal("imported accounts.csv 2, users.csv 1, usage.csv 1, tickets.csv 1", result.Summary);
        Assert.Equal("event types 3, accounts 3, users 3, usage 5, tickets 2, surveys 2, revenue 2, batches 2, files 11, models 2",
            await this.db.CountsAsync());
        await using var db = await this.db.DbAsync();
        var a1 = await db.Accounts.SingleAsync(a => a.ExternalId == "A1");
        Assert.Equal(("Acme Corp", 750.0, "SMB", 10, ImportData.Utc(2025, 1, 15, 8)), (a1.Name, a1.Mrr, a1.Segment, a1.Seats, a1.CreatedAt));
        var a3 = await db.Accounts.SingleAsync(a => a.ExternalId == "A3");
        Assert.Equal(("Initech", ImportTestDatabase.Start.AddDays(1).UtcDateTime), (a3.Name, a3.CreatedAt));
        var a2 = await db.Accounts.SingleAsync(a => a.ExternalId == "A2");
        var u2 = await db.Users.SingleAsync(u => u.ExternalId == "U2");
        Assert.Equal((a2.Id, "Alfred"), (u2.AccountId, u2.Name));
        var t2 = await db.Tickets.SingleAsync(t => t.ExternalId == "T2");
        Assert.Equal((5, "low"), (t2.Satisfaction, t2.Priority));
    }

    [Fact]
    public async Task The_same_file_content_twice_is_refused_with_the_date_of_the_first_import()
    {
        await this.db.ImportAsync(ImportData.All);
        this.db.Clock.SetUtcNow(ImportTestDatabase.Start.AddDays(1));
        var before = await this.db.ChecksumAsync();

        var result = await this.db.ImportAsync(("accounts.csv", "id,name\nA5,Five\n"), ("usage.csv", ImportData.Usage));

        Assert.False(result.Succeeded);
        Assert.Equal("usage.csv: this exact file was already imported on 2026-11-23 10:00:00 UTC (as usage.csv, import 1)",
            Assert.Single(result.Problems).ToString());
        Assert.Equal(before, await this.db.ChecksumAsync());
    }

    [Fact]
    public async Task A_repeated_upload_is_refused_too_when_the_stream_cannot_seek()
    {
        await this.db.ImportAsync(ImportData.All);
        var before = await this.db.ChecksumAsync();

        await using var upload = new ForwardOnlyStream(Encoding.UTF8.GetBytes(ImportData.Revenue));
        var result = await this.db.Importer.ImportStreamsAsync(new Dictionary<string, Stream> { ["revenue.csv"] = upload }, "web");

        Assert.False(result.Succeeded);
        Assert.StartsWith("revenue.csv: this exact file was already imported on 2026-11-23 10:00:00 UTC", Assert.Single(result.Problems).ToString());
        Assert.Equal(before, await this.db.ChecksumAsync());
    }

    [Fact]
    public async Task Uploaded_streams_import_like_a_folder_with_names_matched_case_insensitively()
    {
        await using var accounts = new ForwardOnlyStream(Encoding.UTF8.GetBytes(ImportData.Accounts));
        await using var notes = new MemoryStream(Encoding.UTF8.GetBytes("hello"));
        var files = new Dictionary<string, Stream> { ["Accounts.CSV"] = accounts, ["notes.txt"] = notes };

        var result = await this.db.Importer.ImportStreamsAsync(files, "web");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal("imported accounts.csv 2", result.Summary);
        Assert.Equal(["notes.txt: not an import file of DATA.md; ignored."], result.Warnings);
        await using var db = await this.db.DbAsync();
        var file = await db.ImportedFiles.SingleAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ImportData.Accounts))), file.Sha256);
        Assert.Equal("web", (await db.ImportBatches.SingleAsync()).Source);
    }

    [Fact]
    public async Task Quoted_commas_quotes_and_line_breaks_with_a_BOM_and_CRLF()
    {
        var folder = this.db.Folder();
        var text = "Id,Name,Owner\r\nQ1,\"Quote \"\"Q\"\" Co, Ltd\",\"multi\r\nline\"\r\nQ2,Plain,\"\"\r\n";
        await File.WriteAllBytesAsync(Path.Combine(folder, "accounts.csv"), [.. new UTF8Encoding(true).GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        var result = await this.db.Importer.ImportFolderAsync(folder, "test");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        await using var db = await this.db.DbAsync();
        var accounts = await db.Accounts.OrderBy(a => a.ExternalId).ToListAsync();
        Assert.Equal(("Q1", "Quote \"Q\" Co, Ltd", "multi\r\nline"), (accounts[0].ExternalId, accounts[0].Name, accounts[0].Owner));
        Assert.Equal(("Q2", "Plain", (string?)null), (accounts[1].ExternalId, accounts[1].Name, accounts[1].Owner));
    }

    [Fact]
    public async Task Unknown_columns_are_ignored_with_a_warning_and_header_names_are_case_insensitive()
    {
        var result = await this.db.ImportAsync(("accounts.csv", "colour,NAME,Id\nred,Acme,A1\n"));

        Assert.True(result.Succeeded);
        Assert.Equal(["accounts.csv: column 'colour' is not a column of accounts.csv and was ignored."], result.Warnings);
        await using var db = await this.db.DbAsync();
        var account = await db.Accounts.Select(a => new { a.ExternalId, a.Name }).SingleAsync();
        Assert.Equal(("A1", "Acme"), (account.ExternalId, account.Name));
    }

    [Fact]
    public async Task A_missing_required_column_is_a_problem_naming_the_file_and_column()
    {
        var result = await this.db.ImportAsync(("accounts.csv", ImportData.Accounts), ("usage.csv", "account_id,event_type,count\nA1,login,1\n"));

        Assert.False(result.Succeeded);
        Assert.Equal(["usage.csv:1: timestamp: required column is missing"], result.Problems.Select(p => p.ToString()));
        Assert.Equal("event types 0, accounts 0, users 0, usage 0, tickets 0, surveys 0, revenue 0, batches 0, files 0, models 1", await this.db.CountsAsync());
    }

    [Fact]
    public async Task A_column_named_twice_is_a_problem()
    {
        var result = await this.db.ImportAsync(("accounts.csv", "id,name,Name\nA1,x,y\n"));

        Assert.Equal(["accounts.csv:1: name: the column appears twice in the header"], result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public async Task Empty_and_header_only_files_import_nothing_with_a_warning_and_may_come_again()
    {
        (string, string)[] files = [("tickets.csv", ""), ("surveys.csv", "account_id,responded_at,kind,score\n"), ("accounts.csv", "id,name\nA1,Acme\n")];

        var first = await this.db.ImportAsync(files);
        Assert.True(first.Succeeded, string.Join("\n", first.Problems));
        Assert.Equal("imported accounts.csv 1, tickets.csv 0, surveys.csv 0", first.Summary);
        Assert.Equal(["tickets.csv: the file is empty (no header); nothing imported from it.", "surveys.csv: no data rows."], first.Warnings);

        // Only the file with rows is remembered, so tomorrow's identical empty exports are not "already imported";
        // on their own they are "nothing to import", and nothing is recorded.
        var again = await this.db.ImportAsync(files[0], files[1]);
        Assert.False(again.Succeeded);
        Assert.Equal(["import: nothing to import: the files hold no data rows"], again.Problems.Select(p => p.ToString()));
        await using var db = await this.db.DbAsync();
        Assert.Equal(["accounts.csv"], await db.ImportedFiles.Select(f => f.FileName).ToListAsync());
        Assert.Equal(1, await db.ImportBatches.CountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("account_id,event_type,timestamp\n")]
    [InlineData("\uFEFF")]
    [InlineData("\n\n\r\n")]
    public async Task An_empty_header_only_or_bom_only_file_is_nothing_to_import_and_records_nothing(string usage)
    {
        var before = await this.db.CountsAsync();

        var result = await this.db.ImportAsync(("usage.csv", usage));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Message.StartsWith("nothing to import", StringComparison.Ordinal));
        Assert.Equal(before, await this.db.CountsAsync());
    }

    [Fact]
    public async Task Two_files_whose_names_differ_only_in_case_are_both_named()
    {
        var folder = this.db.Folder(("Usage.csv", "account_id,event_type,timestamp\n"), ("usage.csv", "account_id,event_type,timestamp\n"));

        var result = await this.db.Importer.ImportFolderAsync(folder, "test");

        Assert.False(result.Succeeded);
        Assert.Equal(["usage.csv: usage.csv is given twice: Usage.csv and usage.csv (file names are matched by how they start, ignoring case); import one of them at a time"],
            result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public async Task Warnings_are_capped_like_problems_with_a_count()
    {
        var header = "id,name," + string.Join(',', Enumerable.Range(0, 5000).Select(i => $"extra{i}"));
        var row = "A1,Acme" + new string(',', 5000);

        var result = await this.db.ImportAsync(("accounts.csv", header + "\n" + row + "\n"));

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(ImportResult.MaxProblems, result.Warnings.Count);
        Assert.Equal(5000, result.WarningCount);
    }

    [Fact]
    public async Task More_than_100_problems_keep_the_first_100_and_the_count()
    {
        var usage = new StringBuilder("account_id,event_type,timestamp\n");
        for (var i = 0; i < 150; i++)
        {
            usage.Append("A1,teleport,2026-11-01\n");
        }

        var result = await this.db.ImportAsync(("accounts.csv", "id,name\nA1,Acme\n"), ("usage.csv", usage.ToString()));

        Assert.False(result.Succeeded);
        Assert.Equal(150, result.ProblemCount);
        Assert.Equal(100, result.Problems.Count);
        Assert.Equal("refused: 150 problems", result.Summary);
        Assert.Equal("usage.csv:2: event_type: unknown event type 'teleport': neither the database nor event_types.csv defines it", result.Problems[0].ToString());
        Assert.Equal(101, result.Problems[99].Line);
    }

    [Fact]
    public async Task Users_moved_by_the_same_folder_count_with_their_new_account()
    {
        await this.db.ImportAsync(ImportData.All);

        var moved = await this.db.ImportAsync(
            ("users.csv", "id,account_id\nU1,A2\n"),
            ("usage.csv", "account_id,user_id,event_type,timestamp\nA2,U1,login,2026-11-06\n"));
        Assert.True(moved.Succeeded, string.Join("\n", moved.Problems));

        var before = await this.db.ChecksumAsync();
        var oldAccount = await this.db.ImportAsync(("usage.csv", "account_id,user_id,event_type,timestamp\nA1,U1,login,2026-11-07\n"));
        Assert.Equal(["usage.csv:2: user_id: user 'U1' belongs to account 'A2', not 'A1'"], oldAccount.Problems.Select(p => p.ToString()));
        Assert.Equal(before, await this.db.ChecksumAsync());
    }

    [Fact]
    public async Task A_bad_account_row_is_reported_once_not_again_for_every_row_that_refers_to_it()
    {
        var result = await this.db.ImportAsync(
            ("accounts.csv", "id,name,seats\nA7,Seven,many\n"),
            ("users.csv", "id,account_id\nU7,A7\n"),
            ("usage.csv", "account_id,user_id,event_type,timestamp\nA7,U7,login,2026-11-01\n"),
            ("event_types.csv", "key,weight\nlogin,11\n"));

        Assert.Equal(
            ["event_types.csv:2: weight: '11' is out of range (0 to 10)", "accounts.csv:2: seats: 'many' is not a whole number"],
            result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public async Task A_refused_import_asks_for_no_rescore()
    {
        await this.db.ImportAsync(("accounts.csv", "id,name\nA1,\n"));

        Assert.False(await this.db.TakeRescoreRequestAsync());
    }

    [Fact]
    public async Task A_missing_folder_or_a_folder_without_import_files_is_refused()
    {
        var missing = await this.db.Importer.ImportFolderAsync(Path.Combine(this.db.Directory, "nowhere"), "test");
        Assert.Equal($"{Path.Combine(this.db.Directory, "nowhere")}: the folder does not exist", Assert.Single(missing.Problems).ToString());

        var empty = await this.db.ImportAsync(("readme.txt", "hi"));
        Assert.False(empty.Succeeded);
        Assert.StartsWith("import: no import files (expected one or more of event_types.csv, accounts.csv,", Assert.Single(empty.Problems).ToString());
    }

    [Fact]
    public async Task Other_csv_files_in_the_folder_are_warned_about()
    {
        var result = await this.db.ImportAsync(("accounts.csv", "id,name\nA1,Acme\n"), ("contacts.csv", "a,b\n"));

        Assert.True(result.Succeeded);
        Assert.Equal(["contacts.csv: not an import file of DATA.md; ignored."], result.Warnings);
    }

    /// <summary>An upload-like stream: forward only, no length, no seeking.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        // Like an upload in Blazor, only asynchronous reads are allowed.
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

public sealed class FolderImporterSqliteTests() : FolderImporterTests(DatabaseProvider.Sqlite);

public sealed class FolderImporterPostgresTests() : FolderImporterTests(DatabaseProvider.Postgres);
