using System.Globalization;
using System.Text;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Demo;

/// <summary>Writes a demo data set as the seven CSV files of a DATA.md import folder.</summary>
internal static class DemoCsvWriter
{
    public static async Task WriteAsync(DemoDataSet set, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var accounts = set.Accounts;
        var users = set.Users;

        await WriteFileAsync(directory, "event_types.csv", "key,name,weight,key_feature,value_moment",
            set.EventTypes.Select(e => Line(e.Key, e.Name, Number(e.Weight), Bool(e.KeyFeature), Bool(e.ValueMoment))), cancellationToken);
        await WriteFileAsync(directory, "accounts.csv", "id,name,segment,plan,seats,mrr,renewal_date,owner,created_at,churned_at",
            accounts.Select(a => Line(a.Id, a.Name, a.Segment, a.Plan, Number(a.Seats), Number(a.Mrr), Date(a.RenewalDate), a.Owner, Time(a.CreatedAt), Time(a.ChurnedAt))),
            cancellationToken);
        await WriteFileAsync(directory, "users.csv", "id,account_id,name,email,created_at",
            users.Select(u => Line(u.Id, accounts[u.Account].Id, u.Name, u.Email, Time(u.CreatedAt))), cancellationToken);
        await WriteFileAsync(directory, "usage.csv", "account_id,user_id,event_type,timestamp,count",
            set.Usage.Select(r => Line(accounts[r.Account].Id, r.User >= 0 ? users[r.User].Id : "", set.EventTypes[r.EventType].Key,
                Time(new DateTime(r.Ticks, DateTimeKind.Utc)), Number(r.Count))), cancellationToken);
        await WriteFileAsync(directory, "tickets.csv", "id,account_id,opened_at,closed_at,priority,escalated,satisfaction",
            set.Tickets.Select(t => Line(t.Id, accounts[t.Account].Id, Time(t.OpenedAt), Time(t.ClosedAt), t.Priority, Bool(t.Escalated),
                t.Satisfaction is { } s ? Number(s) : "")), cancellationToken);
        await WriteFileAsync(directory, "surveys.csv", "account_id,user_id,responded_at,kind,score",
            set.Surveys.Select(s => Line(accounts[s.Account].Id, s.User >= 0 ? users[s.User].Id : "", Time(s.RespondedAt), s.Kind, Number(s.Score))),
            cancellationToken);
        await WriteFileAsync(directory, "revenue.csv", "account_id,date,mrr",
            set.Revenue.Select(r => Line(accounts[r.Account].Id, Date(r.Date), Number(r.Mrr))), cancellationToken);
    }

    private static async Task WriteFileAsync(string directory, string name, string header, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(Path.Combine(directory, name), append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        await writer.WriteLineAsync(header.AsMemory(), cancellationToken);
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
        }
    }

    private static string Line(params string?[] fields) => string.Join(',', fields.Select(f => ScoreCsv.Quote(f ?? "")));

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Time(DateTime? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    private static string Date(DateTime? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
