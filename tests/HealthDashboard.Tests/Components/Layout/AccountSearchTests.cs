using HealthDashboard.Components.Layout;

namespace HealthDashboard.Tests.Components.Layout;

public sealed class AccountSearchTests
{
    private static readonly IReadOnlyList<HealthDashboard.Scores.AccountSummary> Accounts = TestPortfolio.View().Accounts;

    [Fact]
    public void Finds_by_name_prefix_then_word_prefix_then_anywhere_case_insensitively()
    {
        // "p": "Pine" is a word of "Cedar & Pine Studio"; "Bluepeak" contains a p; "Quillon Labs" has none.
        Assert.Equal(["Cedar & Pine Studio", "Bluepeak Analytics"], AccountSearch.Find(Accounts, "p", 8).Select(a => a.Name));
        Assert.Equal(["Harborview Health"], AccountSearch.Find(Accounts, "HARBOR", 8).Select(a => a.Name));
    }

    [Fact]
    public void An_exact_id_comes_first()
    {
        Assert.Equal("ACC-3", AccountSearch.Find(Accounts, "acc-3", 8)[0].Id);
        Assert.Equal(5, AccountSearch.Find(Accounts, "ACC", 8).Count);
    }

    [Fact]
    public void Empty_text_finds_nothing_and_results_stop_at_the_maximum()
    {
        Assert.Empty(AccountSearch.Find(Accounts, "  ", 8));
        Assert.Equal(2, AccountSearch.Find(Accounts, "ACC", 2).Count);
    }
}
