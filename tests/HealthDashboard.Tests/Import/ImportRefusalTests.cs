using HealthDashboard.Data;

namespace HealthDashboard.Tests.Import;

/// <summary>
/// Every kind of bad row refuses the whole import with its exact problem, and leaves the database
/// exactly as it was, including rows that were already written from earlier files and lines.
/// </summary>
public abstract class ImportRefusalTests(DatabaseProvider engine)
{
    private const string UsageHeader = "account_id,user_id,event_type,timestamp,count\nA1,U1,login,2026-11-05T00:00:00Z,1\n";
    private const string AccountsHeader = "id,name,seats,mrr,created_at\nA5,Five,1,1,2025-01-01\n";
    private const string TicketsHeader = "id,account_id,opened_at,closed_at,escalated,satisfaction\nT5,A1,2026-10-01,,,\n";
    private const string SurveysHeader = "account_id,user_id,responded_at,kind,score\nA1,U1,2026-10-12,NPS,7\n";

    public static TheoryData<string, string, string> BadRows => new()
    {
        // usage.csv
        { "usage.csv", UsageHeader + "A1,U1,login,not-a-time,1\n", "usage.csv:3: timestamp: 'not-a-time' is not an ISO 8601 time or date" },
        { "usage.csv", UsageHeader + "A1,U1,login,,1\n", "usage.csv:3: timestamp: required value is empty" },
        { "usage.csv", UsageHeader + "A1,U1,login,2026-11-05,0\n", "usage.csv:3: count: '0' is out of range (1 to 1,000,000)" },
        { "usage.csv", UsageHeader + "A1,U1,login,2026-11-05,-3\n", "usage.csv:3: count: '-3' is out of range (1 to 1,000,000)" },
        { "usage.csv", UsageHeader + "A1,U1,login,2026-11-05,2.5\n", "usage.csv:3: count: '2.5' is not a whole number" },
        { "usage.csv", UsageHeader + "A1,U1,login,2026-11-05,99999999999\n", "usage.csv:3: count: '99999999999' is out of range (1 to 1,000,000)" },
        { "usage.csv", UsageHeader + "A1,U1,login,2026-11-05,1e999\n", "usage.csv:3: count: '1e999' is not a whole number" },
        { "usage.csv", UsageHeader + "A404,,login,2026-11-05,1\n", "usage.csv:3: account_id: unknown account 'A404': neither the database nor accounts.csv defines it" },
        { "usage.csv", UsageHeader + ",,login,2026-11-05,1\n", "usage.csv:3: account_id: required value is empty" },
        { "usage.csv", UsageHeader + "A1,U404,login,2026-11-05,1\n", "usage.csv:3: user_id: unknown user 'U404': neither the database nor users.csv defines it" },
        { "usage.csv", UsageHeader + "A1,U1,teleport,2026-11-05,1\n", "usage.csv:3: event_type: unknown event type 'teleport': neither the database nor event_types.csv defines it" },
        { "usage.csv", UsageHeader + "A2,U1,login,2026-11-05,1\n", "usage.csv:3: user_id: user 'U1' belongs to account 'A1', not 'A2'" },
        { "usage.csv", UsageHeader + "A1,U1,login\n", "usage.csv:3: the row has 3 fields, the header has 5" },
        { "usage.csv", UsageHeader + "A1,U1,\"login,2026-11-05,1\n", "usage.csv:3: a quoted field is not closed" },
        // accounts.csv
        { "accounts.csv", AccountsHeader + "A6,,1,1,\n", "accounts.csv:3: name: required value is empty" },
        { "accounts.csv", AccountsHeader + ",Nameless,1,1,\n", "accounts.csv:3: id: required value is empty" },
        { "accounts.csv", AccountsHeader + "A6,Six,-1,1,\n", "accounts.csv:3: seats: '-1' is out of range (0 to 10,000,000)" },
        { "accounts.csv", AccountsHeader + "A6,Six,123456789012345678901234567890,1,\n", "accounts.csv:3: seats: '123456789012345678901234567890' is out of range (0 to 10,000,000)" },
        { "accounts.csv", AccountsHeader + "A6,Six,1e3,1,\n", "accounts.csv:3: seats: '1e3' is not a whole number" },
        { "accounts.csv", AccountsHeader + "A6,Six,1,abc,\n", "accounts.csv:3: mrr: 'abc' is not a number" },
        { "accounts.csv", AccountsHeader + "A6,Six,1,1e400,\n", "accounts.csv:3: mrr: '1e400' is not a number" },
        { "accounts.csv", AccountsHeader + "A6,Six,1,NaN,\n", "accounts.csv:3: mrr: 'NaN' is not a number" },
        { "accounts.csv", AccountsHeader + "A6,Six,1,-5,\n", "accounts.csv:3: mrr: '-5' is out of range (0 to 1,000,000,000)" },
        { "accounts.csv", AccountsHeader + "A6,Six,1,1,2026-02-30\n", "accounts.csv:3: created_at: '2026-02-30' is not an ISO 8601 time or date" },
        { "accounts.csv", AccountsHeader + "A5,Five again,1,1,\n", "accounts.csv:3: id: duplicate id 'A5' (first on line 2)" },
        // users.csv
        { "users.csv", "id,account_id\nU5,A1\nU6,A404\n", "users.csv:3: account_id: unknown account 'A404': neither the database nor accounts.csv defines it" },
        { "users.csv", "id,account_id\nU5,A1\nU5,A2\n", "users.csv:3: id: duplicate id 'U5' (first on line 2)" },
        { "users.csv", "id,account_id,created_at\nU5,A1,\nU6,A1,March\n", "users.csv:3: created_at: 'March' is not an ISO 8601 time or date" },
        // event_types.csv
        { "event_types.csv", "key,weight,key_feature\nsearch,2,true\nshare,11,false\n", "event_types.csv:3: weight: '11' is out of range (0 to 10)" },
        { "event_types.csv", "key,weight,key_feature\nsearch,2,true\nshare,-0.5,false\n", "event_types.csv:3: weight: '-0.5' is out of range (0 to 10)" },
        { "event_types.csv", "key,weight,key_feature\nsearch,2,true\nshare,1,yes\n", "event_types.csv:3: key_feature: 'yes' is not a boolean (true, false, 1 or 0)" },
        { "event_types.csv", "key,weight,key_feature\nsearch,2,true\nsearch,3,true\n", "event_types.csv:3: key: duplicate key 'search' (first on line 2)" },
        // tickets.csv
        { "tickets.csv", TicketsHeader + "T6,A1,2026-10-01,,,6\n", "tickets.csv:3: satisfaction: '6' is out of range (1 to 5)" },
        { "tickets.csv", TicketsHeader + "T6,A1,2026-10-01,,,0\n", "tickets.csv:3: satisfaction: '0' is out of range (1 to 5)" },
        { "tickets.csv", TicketsHeader + "T6,A1,2026-10-05,2026-10-04,,\n", "tickets.csv:3: closed_at: closed before it was opened (2026-10-05 00:00:00 UTC)" },
        { "tickets.csv", TicketsHeader + "T6,A1,2026-10-05,,maybe,\n", "tickets.csv:3: escalated: 'maybe' is not a boolean (true, false, 1 or 0)" },
        { "tickets.csv", TicketsHeader + "T6,A1,,,,\n", "tickets.csv:3: opened_at: required value is empty" },
        { "tickets.csv", TicketsHeader + "T6,A404,2026-10-05,,,\n", "tickets.csv:3: account_id: unknown account 'A404': neither the database nor accounts.csv defines it" },
        { "tickets.csv", TicketsHeader + "T5,A1,2026-10-05,,,\n", "tickets.csv:3: id: duplicate id 'T5' (first on line 2)" },
        // surveys.csv
        { "surveys.csv", SurveysHeader + "A1,U1,2026-10-12,NPS,11\n", "surveys.csv:3: score: '11' is out of range (0 to 10)" },
        { "surveys.csv", SurveysHeader + "A1,U1,2026-10-12,CSAT,0\n", "surveys.csv:3: score: '0' is out of range (1 to 5)" },
        { "surveys.csv", SurveysHeader + "A1,U1,2026-10-12,CSAT,\n", "surveys.csv:3: score: required value is empty" },
        { "surveys.csv", SurveysHeader + "A1,U1,2026-10-12,XYZ,3\n", "surveys.csv:3: kind: 'XYZ' is not NPS or CSAT" },
        { "surveys.csv", SurveysHeader + "A2,U1,2026-10-12,NPS,3\n", "surveys.csv:3: user_id: user 'U1' belongs to account 'A1', not 'A2'" },
        // revenue.csv
        { "revenue.csv", "account_id,date,mrr\nA1,2026-11-01,1\nA1,2026-11-01,-1\n", "revenue.csv:3: mrr: '-1' is out of range (0 to 1,000,000,000)" },
        { "revenue.csv", "account_id,date,mrr\nA1,2026-11-01,1\nA1,Nov 2026,1\n", "revenue.csv:3: date: 'Nov 2026' is not an ISO 8601 time or date" },
        { "revenue.csv", "account_id,date,mrr\nA1,2026-11-01,1\nA1,2026-11-02,1.7e308\n", "revenue.csv:3: mrr: '1.7e308' is out of range (0 to 1,000,000,000)" },
        // sane ranges (issue 9)
        { "accounts.csv", AccountsHeader + "A6,Six,1,1.7e308,\n", "accounts.csv:3: mrr: '1.7e308' is out of range (0 to 1,000,000,000)" },
        { "accounts.csv", AccountsHeader + "A6,Six,20000000,1,\n", "accounts.csv:3: seats: '20000000' is out of range (0 to 10,000,000)" },
        { "accounts.csv", AccountsHeader + "A6,Six,1,1,1899-12-31\n", "accounts.csv:3: created_at: '1899-12-31' is before 1900-01-01" },
        { "accounts.csv", AccountsHeader + "A6,Six,1,1,2028-01-01\n", "accounts.csv:3: created_at: '2028-01-01' is more than 1 year in the future (after 2027-11-23)" },
        { "accounts.csv", "id,name,renewal_date\nA5,Five,2030-01-01\nA6,Six,2040-01-01\n", "accounts.csv:3: renewal_date: '2040-01-01' is more than 10 years in the future (after 2036-11-23)" },
        { "accounts.csv", "id,name,created_at,churned_at\nA5,Five,2025-01-01,\nA6,Six,2025-06-01,2025-05-31\n", "accounts.csv:3: churned_at: churned before it was created (2025-06-01 00:00:00 UTC)" },
        { "accounts.csv", AccountsHeader + "A6," + new string('n', 1001) + ",1,1,\n", "accounts.csv:3: name: the value is 1,001 characters long; at most 1,000 are taken" },
        { "usage.csv", UsageHeader + "A1,U1,login,2026-11-05,1000001\n", "usage.csv:3: count: '1000001' is out of range (1 to 1,000,000)" },
        { "usage.csv", UsageHeader + "A1,U1,login,0001-01-01T00:00:00Z,1\n", "usage.csv:3: timestamp: '0001-01-01T00:00:00Z' is before 1900-01-01" },
        { "usage.csv", UsageHeader + "A1,U1,login,9999-12-31,1\n", "usage.csv:3: timestamp: '9999-12-31' is more than 1 year in the future (after 2027-11-23)" },
        { "surveys.csv", SurveysHeader + "A1,U1,2026-10-12,NPS,7.5\n", "surveys.csv:3: score: '7.5' is not a whole number (NPS answers are 0 to 10)" },
        { "tickets.csv", TicketsHeader + "T6,A1,2026-10-05,,\"ma\nybe\",\n", "tickets.csv:3: escalated: 'ma\\nybe' is not a boolean (true, false, 1 or 0)" },
    };

    [Theory]
    [MemberData(nameof(BadRows), MemberType = typeof(ImportRefusalTests))]
    public async Task A_bad_row_refuses_the_import_and_changes_nothing(string file, string content, string expectedProblem)
    {
        await using var db = await ImportTestDatabase.CreateAsync(engine);
        Assert.True((await db.ImportAsync(ImportData.All)).Succeeded);
        var counts = await db.CountsAsync();
        var checksum = await db.ChecksumAsync();

        // Another, good file that is imported (and written) before the bad one, where the order allows.
        (string, string)[] files = file == "accounts.csv"
            ? [(file, content), ("revenue.csv", "account_id,date,mrr\nA1,2026-12-01,10\n")]
            : [("accounts.csv", "id,name\nA9,Nine\n"), (file, content)];
        var result = await db.ImportAsync(files);

        Assert.False(result.Succeeded);
        Assert.Equal([expectedProblem], result.Problems.Select(p => p.ToString()));
        Assert.Equal(1, result.ProblemCount);
        Assert.Null(result.BatchId);
        Assert.Equal(counts, await db.CountsAsync());
        Assert.Equal(checksum, await db.ChecksumAsync());
    }

    [Fact]
    public async Task Every_problem_of_every_file_is_reported_in_file_order()
    {
        await using var db = await ImportTestDatabase.CreateAsync(engine);

        var result = await db.ImportAsync(
            ("revenue.csv", "account_id,date,mrr\nA1,2026-11-01,x\n"),
            ("accounts.csv", "id,name,seats\nA1,Acme,1.5\nA2,,\n"),
            ("usage.csv", "account_id,event_type,timestamp\nA1,login,2026-11-01\n"));

        Assert.Equal(
        [
            "accounts.csv:2: seats: '1.5' is not a whole number",
            "accounts.csv:3: name: required value is empty",
            "usage.csv:2: event_type: unknown event type 'login': neither the database nor event_types.csv defines it",
            "revenue.csv:2: mrr: 'x' is not a number",
        ], result.Problems.Select(p => p.ToString()));
        Assert.Equal("event types 0, accounts 0, users 0, usage 0, tickets 0, surveys 0, revenue 0, batches 0, files 0, models 1", await db.CountsAsync());
    }
}

public sealed class ImportRefusalSqliteTests() : ImportRefusalTests(DatabaseProvider.Sqlite);

public sealed class ImportRefusalPostgresTests() : ImportRefusalTests(DatabaseProvider.Postgres);
