using System.Text;
using HealthDashboard.Api;
using HealthDashboard.Import;
using Microsoft.AspNetCore.Http;

namespace HealthDashboard.Tests.Import;

/// <summary>The template CSV per import file (<c>GET /import/templates/{file}</c>): the file's header, which the importer takes.</summary>
public sealed class ImportTemplateTests
{
    [Fact]
    public async Task A_template_is_the_header_row_of_the_import_file_required_columns_first()
    {
        var (status, disposition, text) = await GetAsync("USAGE.csv");

        Assert.Equal(200, status);
        Assert.Equal("attachment; filename=\"usage.csv\"", disposition);
        Assert.Equal("account_id,event_type,timestamp,user_id,count\r\n", text);
    }

    [Fact]
    public async Task An_unknown_template_is_not_found()
    {
        var (status, _, text) = await GetAsync("contacts.csv");

        Assert.Equal(404, status);
        Assert.Empty(text);
    }

    [Fact]
    public async Task Every_template_imports_as_an_empty_file()
    {
        await using var db = await ImportTestDatabase.CreateAsync();
        var files = new List<(string, string)>();
        foreach (var spec in ImportFiles.InOrder)
        {
            files.Add((spec.Name, (await GetAsync(spec.Name)).Text));
        }

        var result = await db.ImportAsync([.. files]);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(0, result.TotalRows);
        Assert.Equal(ImportFiles.InOrder.Select(f => f.Name), result.Files.Select(f => f.FileName));
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
