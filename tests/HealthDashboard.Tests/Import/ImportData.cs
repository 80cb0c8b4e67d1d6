namespace HealthDashboard.Tests.Import;

/// <summary>A small, complete and valid import folder whose every value the tests check by hand.</summary>
internal static class ImportData
{
    public const string EventTypes = """
        key,name,weight,key_feature,value_moment
        login,Log in,1,false,false
        report,Report viewed,5,true,false
        export,Export,9,TRUE,1

        """;

    // A2 leaves seats, mrr and created_at empty: 0, 0 and the import time.
    public const string Accounts = """
        id,name,segment,plan,seats,mrr,renewal_date,owner,created_at,churned_at
        A1,Acme,SMB,Pro,10,500.5,2027-01-31,ann,2025-01-15T08:00:00Z,
        A2,Globex,Enterprise,Ent,,,,bob,,2026-09-30

        """;

    public const string Users = """
        id,account_id,name,email,created_at
        U1,A1,Ann,ann@acme.test,2025-02-01
        U2,A1,Al,,
        U3,A2,Gil,gil@globex.test,2025-03-01T12:00:00+01:00

        """;

    public const string Usage = """
        account_id,user_id,event_type,timestamp,count
        A1,U1,login,2026-11-01T09:00:00Z,
        A1,U2,report,2026-11-02T10:30:00+02:00,3
        A2,,export,2026-11-03,2
        A2,U3,login,2026-11-04T00:00:00Z,1

        """;

    public const string Tickets = """
        id,account_id,opened_at,closed_at,priority,escalated,satisfaction
        T1,A1,2026-10-01T10:00:00Z,2026-10-02T10:00:00Z,high,true,4
        T2,A2,2026-10-05,,low,,

        """;

    public const string Surveys = """
        account_id,user_id,responded_at,kind,score
        A1,U1,2026-10-10,NPS,9
        A2,,2026-10-11T12:00:00Z,csat,4.5

        """;

    public const string Revenue = """
        account_id,date,mrr
        A1,2026-10-01,500.5
        A2,2026-10-01,1200

        """;

    public static (string, string)[] All =>
    [
        ("event_types.csv", EventTypes), ("accounts.csv", Accounts), ("users.csv", Users), ("usage.csv", Usage),
        ("tickets.csv", Tickets), ("surveys.csv", Surveys), ("revenue.csv", Revenue),
    ];

    public const string AllSummary =
        "imported event_types.csv 3, accounts.csv 2, users.csv 3, usage.csv 4, tickets.csv 2, surveys.csv 2, revenue.csv 2";

    public static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);
}
