namespace HealthDashboard.Demo;

/// <summary>Who produces an event type in the demo's product.</summary>
internal enum EventSource
{
    /// <summary>A person does it; <see cref="DemoEventType.PerActiveDay"/> is the expected count on a day they use the product.</summary>
    User,

    /// <summary>The product does it for a user (a key feature or value moment); expected per active day once the account adopted it.</summary>
    AdoptedFeature,

    /// <summary>The account's integrations do it, with no user (account-level rows).</summary>
    System,
}

/// <summary>An event type of the demo product, with its scoring settings and how often it happens.</summary>
/// <param name="Feature">For system events, the adopted key feature that drives them (an index into the catalog), else -1.</param>
internal sealed record DemoEventType(
    string Key, string Name, double Weight, bool KeyFeature, bool ValueMoment, EventSource Source, double PerActiveDay, int Feature = -1);

/// <summary>A subscription plan: its segment fit and list price per seat.</summary>
internal sealed record DemoPlan(string Name, double PricePerSeat, double PlatformFee);

/// <summary>
/// The fixed vocabulary of the demo data set: a reporting and automation SaaS product with its event
/// types, plans, CSMs and word lists for believable company and person names.
/// </summary>
internal static class DemoCatalog
{
    /// <summary>27 event types; weights follow how much value each action shows (0-10).</summary>
    public static IReadOnlyList<DemoEventType> EventTypes { get; } = BuildEventTypes();

    private static DemoEventType[] BuildEventTypes()
    {
        var user = new DemoEventType[]
        {
            new("login", "Logged in", 1, false, false, EventSource.User, 1.1),
            new("dashboard_viewed", "Viewed a dashboard", 1, false, false, EventSource.User, 1.2),
            new("report_viewed", "Viewed a report", 2, false, false, EventSource.User, 0.7),
            new("search_performed", "Searched", 1, false, false, EventSource.User, 0.35),
            new("report_created", "Created a report", 5, false, false, EventSource.User, 0.18),
            new("report_exported", "Exported a report", 4, false, false, EventSource.User, 0.1),
            new("comment_added", "Added a comment", 3, false, false, EventSource.User, 0.15),
            new("file_uploaded", "Uploaded a file", 3, false, false, EventSource.User, 0.06),
            new("template_used", "Used a template", 3, false, false, EventSource.User, 0.05),
            new("mobile_session", "Used the mobile app", 2, false, false, EventSource.User, 0.08),
            new("settings_changed", "Changed settings", 1, false, false, EventSource.User, 0.02),
            new("help_article_viewed", "Read a help article", 0, false, false, EventSource.User, 0.04),
            new("billing_viewed", "Viewed billing", 0, false, false, EventSource.User, 0.01),
            new("user_invited", "Invited a teammate", 6, false, true, EventSource.User, 0.015),
            new("goal_reached", "Reached a goal", 8, false, true, EventSource.User, 0.01),
        };
        var features = new DemoEventType[]
        {
            new("dashboard_shared", "Shared a dashboard", 7, true, false, EventSource.AdoptedFeature, 0.09),
            new("integration_connected", "Connected an integration", 9, true, true, EventSource.AdoptedFeature, 0.02),
            new("data_source_added", "Added a data source", 8, true, true, EventSource.AdoptedFeature, 0.022),
            new("alert_created", "Created an alert", 6, true, false, EventSource.AdoptedFeature, 0.06),
            new("workflow_created", "Built a workflow", 8, true, true, EventSource.AdoptedFeature, 0.035),
            new("scheduled_report_created", "Scheduled a report", 7, true, false, EventSource.AdoptedFeature, 0.045),
            new("forecast_created", "Built a forecast", 8, true, false, EventSource.AdoptedFeature, 0.035),
        };
        var all = new List<DemoEventType>(user);
        all.AddRange(features);
        int Feature(string key) => all.FindIndex(e => e.Key == key);

        // Expected count per day for the whole account while it is active (account-level rows).
        all.Add(new("data_sync_completed", "Data sync completed", 1, false, false, EventSource.System, 3, Feature("integration_connected")));
        all.Add(new("alert_triggered", "Alert triggered", 1, false, false, EventSource.System, 0.6, Feature("alert_created")));
        all.Add(new("workflow_run", "Workflow ran", 2, false, false, EventSource.System, 2, Feature("workflow_created")));
        all.Add(new("scheduled_report_sent", "Scheduled report sent", 1, false, false, EventSource.System, 1, Feature("scheduled_report_created")));
        all.Add(new("api_request_batch", "API requests (batch)", 0, false, false, EventSource.System, 1.5, Feature("data_source_added")));
        return [.. all];
    }

    public static IReadOnlyList<string> Segments { get; } = ["SMB", "Mid-Market", "Enterprise"];

    /// <summary>Plans by segment: small companies start on Starter or Growth, large ones buy Business or Enterprise.</summary>
    public static IReadOnlyList<DemoPlan>[] PlansBySegment { get; } =
    [
        [new("Starter", 19, 0), new("Growth", 39, 0)],
        [new("Growth", 39, 0), new("Business", 59, 250)],
        [new("Business", 59, 250), new("Enterprise", 89, 1500)],
    ];

    public static IReadOnlyList<string> Owners { get; } =
        ["Priya Raman", "Marcus Bell", "Sofia Lindqvist", "Daniel Okafor", "Hannah Brooks", "Tomás Ferreira", "Grace Kim"];

    public static IReadOnlyList<string> TicketPriorities { get; } = ["Low", "Normal", "High", "Urgent"];

    public static IReadOnlyList<string> NameStarts { get; } =
    [
        "North", "Blue", "Iron", "Silver", "Bright", "Red", "Clear", "Green", "Stone", "Sun", "Oak", "Pine", "Cedar",
        "Maple", "River", "Lake", "Harbor", "Swift", "Bold", "True", "Star", "Wild", "High", "Deep", "Fair", "Gold",
        "Rock", "Snow", "Storm", "West", "East", "Copper", "Amber", "Falcon", "Fox", "Elm", "Birch", "Coral",
    ];

    public static IReadOnlyList<string> NameEnds { get; } =
    [
        "wind", "peak", "wood", "line", "water", "stone", "path", "field", "bridge", "gate", "point", "ridge", "view",
        "crest", "haven", "brook", "leaf", "light", "forge", "mark", "side", "vale", "works", "ford", "port",
    ];

    public static IReadOnlyList<string> Industries { get; } =
    [
        "Logistics", "Analytics", "Health", "Foods", "Labs", "Systems", "Partners", "Retail", "Robotics", "Energy",
        "Media", "Financial", "Insurance", "Manufacturing", "Software", "Travel", "Dental Group", "Legal", "Architects",
        "Biotech", "Outfitters", "Freight", "Consulting", "Learning", "Realty", "Hospitality", "Pharma", "Security",
        "Solar", "Marine", "Apparel", "Networks", "Clinics", "Studios", "Brewing",
    ];

    public static IReadOnlyList<string> Regions { get; } =
        ["Europe", "Pacific", "Americas", "Nordic", "Iberia", "Midwest", "Atlantic", "Alpine", "Gulf", "Asia"];

    public static IReadOnlyList<string> FirstNames { get; } =
    [
        "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sophia", "Mateo", "Isabella", "James",
        "Amelia", "Benjamin", "Harper", "Elijah", "Evelyn", "Henry", "Aisha", "Omar", "Mei", "Wei", "Yuki", "Hiro",
        "Anika", "Ravi", "Fatima", "Youssef", "Chloe", "Leo", "Zoe", "Samuel", "Nora", "Julian", "Layla", "Caleb",
        "Ingrid", "Lars", "Elena", "Pablo", "Camila", "Diego", "Chiara", "Marco", "Hannah", "Felix", "Clara", "Jonas",
        "Grace", "Isaac", "Ruth", "David", "Sarah", "Michael", "Laura", "Adam", "Nadia", "Kwame", "Amara", "Tunde",
        "Sven", "Freya", "Kai", "Maya", "Rosa", "Tariq", "Leila", "Arjun", "Divya", "Sean", "Niamh", "Owen",
    ];

    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Adams", "Baker", "Nelson", "Carter",
        "Mitchell", "Patel", "Shah", "Kumar", "Chen", "Wang", "Tanaka", "Sato", "Kim", "Park", "Müller", "Schmidt",
        "Novak", "Rossi", "Bianchi", "Silva", "Santos", "Costa", "Dubois", "Laurent", "Jensen", "Hansen", "Berg",
        "Okafor", "Mensah", "Haddad", "Nasser", "O'Brien", "Murphy", "Walsh", "Kowalski", "Ivanova", "Petrov", "Cohen",
    ];
}
