using HealthDashboard.Import;
using static HealthDashboard.Csv.CsvWriter;

namespace HealthDashboard.Demo;

/// <summary>Writes a demo data set as the import folder of DATA.md: one file per table, headers from <see cref="ImportFiles"/>.</summary>
internal static class DemoFolderWriter
{
    public static async Task WriteAsync(DemoDataSet set, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var accounts = set.Accounts;
        var users = set.Users;

        await WriteImportFileAsync(directory, ImportFiles.EventTypes,
            set.EventTypes.Select(e => Row(e.Key, e.Name, Number(e.Weight), Bool(e.KeyFeature), Bool(e.ValueMoment))), cancellationToken);
        await WriteImportFileAsync(directory, ImportFiles.Accounts,
            accounts.Select(a => Row(a.Id, a.Name, a.Segment, a.Plan, Number(a.Seats), Number(a.Mrr), Date(a.RenewalDate), a.Owner, Time(a.CreatedAt), Time(a.ChurnedAt))),
            cancellationToken);
        await WriteImportFileAsync(directory, ImportFiles.Users,
            users.Select(u => Row(u.Id, accounts[u.Account].Id, u.Name, u.Email, Time(u.CreatedAt))), cancellationToken);
        await WriteImportFileAsync(directory, ImportFiles.Usage,
            set.Usage.Select(r => Row(accounts[r.Account].Id, r.User >= 0 ? users[r.User].Id : null, set.EventTypes[r.EventType].Key,
                Time(new DateTime(r.Ticks, DateTimeKind.Utc)), Number(r.Count))), cancellationToken);
        await WriteImportFileAsync(directory, ImportFiles.Tickets,
            set.Tickets.Select(t => Row(t.Id, accounts[t.Account].Id, Time(t.OpenedAt), Time(t.ClosedAt), t.Priority, Bool(t.Escalated), Number(t.Satisfaction))),
            cancellationToken);
        await WriteImportFileAsync(directory, ImportFiles.Surveys,
            set.Surveys.Select(s => Row(accounts[s.Account].Id, s.User >= 0 ? users[s.User].Id : null, Time(s.RespondedAt), s.Kind, Number(s.Score))),
            cancellationToken);
        await WriteImportFileAsync(directory, ImportFiles.Revenue,
            set.Revenue.Select(r => Row(accounts[r.Account].Id, Date(r.Date), Number(r.Mrr))), cancellationToken);
        await WriteImportFileAsync(directory, ImportFiles.Metrics,
            set.Metrics.Select(m => Row(accounts[m.Account].Id, m.Metric, Time(m.Time), Number(m.Value))), cancellationToken);
    }

    private static string?[] Row(params string?[] fields) => fields;
}
