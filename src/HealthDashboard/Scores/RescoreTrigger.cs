using System.Threading.Channels;

namespace HealthDashboard.Scores;

/// <summary>
/// The one re-score trigger. Whatever changes scored data in this process (an import from the page, the API
/// or the command line; a saved model version) calls <see cref="Request"/>, and the
/// <see cref="ScoreBoardWorker"/> re-scores at once. Requests made while a refresh runs fold into one.
/// Changes made by another process (the command line, another instance) have no way to call in: the worker
/// finds them with its periodic store-version check and handles them the same way.
/// </summary>
public sealed class RescoreTrigger
{
    // One pending request is all it takes: the next refresh reads everything committed before it starts.
    private readonly Channel<bool> requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Asks for a re-score with history (the store or the model changed).</summary>
    public void Request() => requests.Writer.TryWrite(true);

    /// <summary>
    /// Waits until a request is pending or <paramref name="timeout"/> (measured on <paramref name="clock"/>) has
    /// passed, and takes the request. True when there was one.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (requests.Reader.TryRead(out _))
        {
            return true;
        }

        using var timeoutSource = new CancellationTokenSource(timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await requests.Reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return requests.Reader.TryRead(out _);
    }
}
