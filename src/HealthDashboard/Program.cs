using HealthDashboard.Cli;
using HealthDashboard.Extensions;

if (!CommandLine.StartsDashboard(args))
{
    return await CommandLine.RunAsync(args, Console.Out, Console.Error, Console.IsInputRedirected ? Console.In : null);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddHealthDashboard();

var app = builder.Build();
app.UseHealthDashboard();
await app.RunAsync();
return 0;
