using HealthDashboard.ModelVersions;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Tests.ModelVersions;

/// <summary>The editor's preview with segment models saved: a draft moves only the accounts of the model it replaces.</summary>
public class SegmentPreviewTests
{
    private static readonly DateTime T = PortfolioBuilder.T;

    private static ScoredPortfolio Saved()
    {
        var b = new PortfolioBuilder();
        for (var i = 0; i < 6; i++)
        {
            var segment = i % 2 == 0 ? "Enterprise" : "SMB";
            var account = b.Account($"acc{i}", seats: 10, segment: segment);
            b.AccountUse(account, "login", T.AddDays(-(i + 1)), 5 * (i + 1)).AccountUse(account, "report", T.AddDays(-2), i + 1);
        }

        var models = new ScoringModelSet(ScoringModel.Default, new Dictionary<string, ScoringModel> { ["Enterprise"] = ScoringModel.Default })
        {
            Versions = new Dictionary<ModelKey, int> { [ModelKey.Default] = 1, [ModelKey.ForSegment("Enterprise")] = 2 },
        };
        return ScoringService.Score(b.Build(), T, models);
    }

    [Fact]
    public void A_segment_draft_moves_only_that_segments_accounts_and_a_default_draft_only_the_others()
    {
        var saved = Saved();
        var preview = new ModelPreview();
        var draft = ScoringModel.Default.WithEventType("report", new EventTypeSettings(10)) with
        {
            IndicatorWeights = ScoringModel.Default.IndicatorWeights.With(Indicator.Recency, 60),
        };

        var enterprise = preview.Score(saved, ModelKey.ForSegment("Enterprise"), draft);
        var fallback = preview.Score(saved, draft);

        for (var a = 0; a < saved.Scores.AccountCount; a++)
        {
            var isEnterprise = saved.ModelKeyOf(a) == ModelKey.ForSegment("Enterprise");
            Assert.Equal(isEnterprise, enterprise.Health[a] != saved.Scores.Health[a]);
            Assert.Equal(!isEnterprise, fallback.Health[a] != saved.Scores.Health[a]);
        }

        var result = preview.Compute(saved, draft);
        Assert.Equal(3, result.Changed);
    }
}
