using System.Threading.Channels;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;

namespace HealthDashboard.Alerts;

/// <summary>
/// Evaluates the alert rules whenever the <see cref="ScoreBoard"/> publishes a view: after an import, a model save,
/// the clock moving on, a back-fill bringing new snapshot days, and a rule or playbook saved; then the playbooks (which
/// may fire on the alerts just opened). Views published while an evaluation runs fold
/// into one more evaluation of the newest. New alerts go to their rule's webhook.
/// </summary>
public sealed class AlertWorker(ScoreBoard board, AlertService alerts, PlaybookService playbooks, WebhookSender webhooks, ILogger<AlertWorker> logger) : BackgroundService
{
    private readonly Channel<bool> published = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        board.Changed += OnChanged;
        alerts.RulesChanged += OnRulesChanged;
        playbooks.PlaybooksChanged += OnRulesChanged;
        try
        {
            if (board.Current is not null)
            {
                published.Writer.TryWrite(true);
            }

            while (await published.Reader.WaitToReadAsync(stoppingToken))
            {
                published.Reader.TryRead(out _);
                // Rules judge scores made from the data, not the snapshot shown at start-up.
                if (board.Current is not { IsFromSnapshot: false } view)
                {
                    continue;
                }

                try
                {
                    var result = await alerts.EvaluateAsync(view, stoppingToken);
                    // Before the webhooks, whose retries may take a while: the tasks should not wait for Slack.
                    await playbooks.EvaluateAsync(view, stoppingToken);
                    foreach (var (rule, alert) in result.Opened.Where(o => o.Rule.WebhookUrl is not null))
                    {
                        await webhooks.DeliverAsync(rule, alert, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Evaluating the alert rules and playbooks failed");
                }
            }
        }
        finally
        {
            board.Changed -= OnChanged;
            alerts.RulesChanged -= OnRulesChanged;
            playbooks.PlaybooksChanged -= OnRulesChanged;
        }
    }

    private void OnChanged(PortfolioView view) => published.Writer.TryWrite(true);

    private void OnRulesChanged() => published.Writer.TryWrite(true);
}
