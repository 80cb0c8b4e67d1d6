using System.Text;
using HealthDashboard.Api;
using HealthDashboard.Import;
using Microsoft.AspNetCore.Http;

namespace HealthDashboard.Tests.Import;

/// <summary>The template CSV per import file (<c>GET /import/templates/{file}</c>): the file's header, which the importer takes.</summary>
public sealed class ImportTemplateTests
{
    [Fact]
    public async Task A_template_is_the_header_row_of_the_import_file_in_data_md_order()
    {
        var (status, disposition, text) = await GetAsync("USAGE.csv");

        Assert.Equal(200, status);
        Assert.Equal("attachment; filename=\"usage.csv\"", disposition);
        Assert.Equal("account_id,user_id,event_type,timestamp,count\n", text);
    }

    [Fact]
    public async Task An_unknown_template_is_not_found()
    {
        var (status, _, text) = await GetAsync("contacts.csv");

        Assert.Equal(404, status);
        Assert.Empty(text);
    }

    [Fact]
    public async Task Every_template_is_a_header_the_importer_takes()
    {
        await using var db = await ImportTestDatabase.CreateAsync();
        // Rows filled under each template's header, one table after another, as a person would fill them in.
        var rows = new Dictionary<string, string>
        {
            ["event_types.csv"] = "login,Logged in,1,false,false",
            ["accounts.csv"] = "A1,Acme,smb,pro,10,500,2027-01-31,maya,2025-01-01T00:00:00Z,",
            ["users.csv"] = "U1,A1,Ann,ann@example.com,2025-01-02T00:00:00Z",
            ["usage.csv"] = "A1,U1,login,2026-11-20T10:00:00Z,2",
            ["tickets.csv"] = "T1,A1,2026-11-01T09:00:00Z,2026-11-02T09:00:00Z,high,false,4",
            ["surveys.csv"] = "A1,U1,2026-11-03T09:00:00Z,nps,9",
            ["revenue.csv"] = "A1,2026-11-01,500",
            ["metrics.csv"] = "A1,onboarding_progress,2026-11-04T09:00:00Z,62.5",
        };
        var files = new List<(string, string)>();
        foreach (var spec in ImportFiles.InOrder)
        {
            files.Add((spec.Name, (await GetAsync(spec.Name)).Text + rows[spec.Name] + "\n"));
        }

        var result = await db.ImportAsync([.. files]);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(ImportFiles.InOrder.Select(f => (f.Name, 1)), result.Files.Select(f => (f.FileName, f.Rows)));
    }

    private static async Task<(int Status, string Disposition, string Text)> GetAsync(string fileName)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ExportEndpoints.WriteTemplateAsync(context, fileName);

        return (context.Response.StatusCode, context.Response.Headers.ContentDisposition.ToString(), Encoding.UTF8.GetString(body.ToArray()));
    }
}
