using HealthDashboard.Data;
using HealthDashboard.Identity;
using HealthDashboard.Scores;
using HealthDashboard.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HealthDashboard.Components.Shared;

/// <summary>
/// A task's comments (issue 16), loaded when opened; posting goes through <see cref="TaskStore.CommentAsync"/>, which
/// checks on the server that the member may see the task. Used on My tasks and the account page.
/// </summary>
public sealed partial class TaskComments
{
    private IReadOnlyList<TaskComment>? comments;
    private bool open;
    private string? text;
    private string? problem;

    [Inject]
    private TaskStore Tasks { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The task whose comments are shown (its count labels the toggle).</summary>
    [Parameter, EditorRequired]
    public TaskInfo For { get; set; } = default!;

    /// <summary>The shared view, for the task's account owner (who may see it).</summary>
    [Parameter, EditorRequired]
    public PortfolioView View { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        // A new count (someone commented): the open thread reads the new comment too.
        if (open && comments?.Count != For.CommentCount)
        {
            await LoadAsync();
        }
    }

    private async Task ToggleAsync()
    {
        open = !open;
        if (open)
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync() => comments = await Tasks.CommentsAsync(await SignedInMember.OfAsync(AuthenticationState), For.Id, View);

    private async Task AddAsync()
    {
        problem = await Tasks.CommentAsync(await SignedInMember.OfAsync(AuthenticationState), For.Id, text, View);
        if (problem is null)
        {
            text = null;
            await LoadAsync();
        }
    }
}
