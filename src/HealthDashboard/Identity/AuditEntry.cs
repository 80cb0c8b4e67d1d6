namespace HealthDashboard.Identity;

/// <summary>
/// One recorded change (append-only: the database refuses updates and deletes of this table).
/// Who made it, when, what, and from where (an IP address, <c>cli</c> or an API key).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>The signed-in member's email, <c>api-key:NAME</c>, or <c>cli</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary>What the action was about (a model version, a user's email, a key's name, an import's files).</summary>
    public required string Target { get; set; }

    public string? Details { get; set; }

    /// <summary>Where it came from: the client's IP address, <c>cli</c>, or <c>api</c>.</summary>
    public required string Origin { get; set; }
}

/// <summary>The actions the audit trail records.</summary>
public static class AuditActions
{
    public const string ModelSave = "model.save";
    public const string ModelRestore = "model.restore";
    public const string ModelRemove = "model.remove";
    public const string OverrideSet = "override.set";
    public const string OverrideEnd = "override.end";
    public const string DataImport = "data.import";
    public const string UserAdd = "user.add";
    public const string UserRole = "user.role";
    public const string UserDisable = "user.disable";
    public const string UserEnable = "user.enable";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserPasswordChange = "user.password-change";
    public const string ApiKeyAdd = "api-key.add";
    public const string ApiKeyRevoke = "api-key.revoke";
    public const string ViewShare = "view.share";
    public const string ViewDelete = "view.delete";
    public const string TaskWontDo = "task.wont-do";
    public const string TaskReassign = "task.reassign";
    public const string NoteDelete = "note.delete";
    public const string TagAdd = "tag.add";
    public const string TagRemove = "tag.remove";
    public const string TaskBulkCreate = "task.bulk-create";
    public const string AccountOwner = "account.owner";

    public static IReadOnlyList<string> All { get; } =
    [
        ModelSave, ModelRestore, ModelRemove, OverrideSet, OverrideEnd, DataImport, UserAdd, UserRole, UserDisable, UserEnable, UserPasswordReset,
        UserPasswordChange, ApiKeyAdd, ApiKeyRevoke, ViewShare, ViewDelete, TaskWontDo, TaskReassign, NoteDelete, TagAdd, TagRemove,
        TaskBulkCreate, AccountOwner,
    ];
}

/// <summary>Who did something and from where: what an <see cref="AuditEntry"/> records beside the action.</summary>
/// <param name="Name">The member's email, <c>api-key:NAME</c> or <c>cli</c>.</param>
/// <param name="Origin">The client's IP address, <c>cli</c> or <c>api</c>.</param>
public sealed record Actor(string Name, string Origin)
{
    /// <summary>The command line (the operator of the machine).</summary>
    public static Actor CommandLine { get; } = new("cli", "cli");

    /// <summary>The app itself (start-up seeding).</summary>
    public static Actor System { get; } = new("system", "app");
}
