using HealthDashboard.Demo;
using HealthDashboard.Import;
using Microsoft.Extensions.DependencyInjection;

namespace HealthDashboard.Tests.Demo;

public class DemoCsvFolderTests
{
    private static readonly DateTime Now = new(2026, 6, 15, 12, 30, 15, DateTimeKind.Utc);

    [Fact]
    public async Task The_csv_folder_holds_the_same_data_set_in_the_data_md_format()
    {
        await using var database = await TestStore.CreateAsync(initialize: false);
        var folder = Path.Combine(database.Directory, "demo-csv");
        var generator = ActivatorUtilities.CreateInstance<DemoDataGenerator>(database.Services);
        var options = new DemoOptions { Accounts = 10, Seed = 5, Now = Now };

        var summary = await generator.WriteCsvFolderAsync(options, folder);

        var expected = new Dictionary<string, (string Header, int Rows)>
        {
            ["event_types.csv"] = ("key,name,weight,key_feature,value_moment", summary.EventTypes),
            ["accounts.csv"] = ("id,name,segment,plan,seats,mrr,renewal_date,owner,created_at,churned_at", summary.Accounts),
            ["users.csv"] = ("id,account_id,name,email,created_at", summary.Users),
            ["usage.csv"] = ("account_id,user_id,event_type,timestamp,count", summary.UsageRows),
            ["tickets.csv"] = ("id,account_id,opened_at,closed_at,priority,escalated,satisfaction", summary.Tickets),
            ["surveys.csv"] = ("account_id,user_id,responded_at,kind,score", summary.Surveys),
            ["revenue.csv"] = ("account_id,date,mrr", summary.RevenueEntries),
            ["metrics.csv"] = ("account_id,metric,time,value", summary.MetricRows),
        };
        Assert.Equal(expected.Keys.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order()!);
        foreach (var (file, (header, rows)) in expected)
        {
            var lines = await File.ReadAllLinesAsync(Path.Combine(folder, file));
            Assert.Equal(header, lines[0]);
            Assert.Equal(rows, lines.Length - 1);
        }

        // Every usage line carries exactly a row of the data set: ids, key, time to the second, count.
        var set = DemoDataBuilder.Build(options.Accounts, options.Seed, Now);
        var usage = (await File.ReadAllLinesAsync(Path.Combine(folder, "usage.csv"))).Skip(1).ToList();
        Assert.Equal(set.Usage.Length, usage.Count);
        Assert.Contains(usage, line => line.Split(',')[1] == "");
        for (var i = 0; i < usage.Count; i += 97)
        {
            var fields = usage[i].Split(',');
            var row = set.Usage[i];
            Assert.Equal(set.Accounts[row.Account].Id, fields[0]);
            Assert.Equal(row.User >= 0 ? set.Users[row.User].Id : "", fields[1]);
            Assert.Equal(set.EventTypes[row.EventType].Key, fields[2]);
            Assert.True(ImportValues.TryParseTime(fields[3], out var time));
            Assert.Equal(row.Ticks, time.Ticks);
            Assert.Equal(row.Count, int.Parse(fields[4], System.Globalization.CultureInfo.InvariantCulture));
        }

        var account = (await File.ReadAllLinesAsync(Path.Combine(folder, "accounts.csv")))[1].Split(',');
        Assert.Equal(["ACC-0001", set.Accounts[0].Name, set.Accounts[0].Segment, set.Accounts[0].Plan], account[..4]);
    }
}
