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

    [Fact]
    public void The_preview_of_a_model_compares_only_that_models_accounts()
    {
        var saved = Saved();
        var preview = new ModelPreview();
        var draft = ScoringModel.Default with { IndicatorWeights = ScoringModel.Default.IndicatorWeights.With(Indicator.Recency, 60) };

        var enterprise = preview.Compute(saved, ModelKey.ForSegment("Enterprise"), draft);
        var fallback = preview.Compute(saved, draft);

        // acc0, acc2, acc4 are Enterprise; acc1, acc3, acc5 (SMB, no model of their own) take the default.
        Assert.True(enterprise.OnlyModelAccounts);
        Assert.Equal(3, enterprise.Before.Total);
        Assert.Equal(3, enterprise.After.Total);
        Assert.All(enterprise.BiggestChanges, c => Assert.Contains(c.Id, new[] { "acc0", "acc2", "acc4" }));
        var enterpriseHealth = new[] { 0, 2, 4 }.Select(a => saved.Scores.Health[a]).Average();
        Assert.Equal(enterpriseHealth, enterprise.AverageBefore, 9);
        Assert.Equal(3, fallback.Before.Total);
        Assert.All(fallback.BiggestChanges, c => Assert.Contains(c.Id, new[] { "acc1", "acc3", "acc5" }));
    }

    [Fact]
    public void A_new_segment_models_preview_shows_its_accounts_normalised_among_themselves()
    {
        var saved = Saved();
        var preview = new ModelPreview();

        // SMB has no model yet: the default model as SMB's own changes SMB's scores only (its own curve).
        var smb = preview.Compute(saved, ModelKey.ForSegment("SMB"), ScoringModel.Default);
        var scored = preview.Score(saved, ModelKey.ForSegment("SMB"), ScoringModel.Default);

        Assert.Equal(3, smb.Before.Total);
        for (var a = 0; a < saved.Scores.AccountCount; a++)
        {
            var isSmb = saved.Data.Accounts[saved.Aggregates.Accounts[a]].Segment == "SMB";
            Assert.Equal(isSmb ? ModelKey.ForSegment("SMB") : saved.ModelKeyOf(a), scored.ModelKeyOf(a));
            if (!isSmb)
            {
                Assert.Equal(saved.Scores.Health[a], scored.Health[a]);
            }
        }
    }
}
