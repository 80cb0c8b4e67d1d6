using System.Net;
using System.Net.Sockets;

namespace HealthDashboard.TestKit;

/// <summary>
/// Where the repository is and which loopback port is free: what the browser tests and the bench need to start the real
/// app. The bench compiles this file in (a link in its project) rather than referencing the test kit and its xunit.
/// </summary>
public static class LocalMachine
{
    /// <summary>A loopback port nothing listens on now (the OS picks it; free until someone else takes it).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The folder holding HealthDashboard.sln, found upwards from the running assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthDashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"HealthDashboard.sln was not found above {AppContext.BaseDirectory}.");
    }
}
