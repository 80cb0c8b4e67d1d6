using HealthDashboard.Scoring;

namespace HealthDashboard.Import;

// Event types, accounts, users and tickets: upserted by their id (key). A column the file leaves
// out keeps the stored value of an existing row (and takes the default for a new one); a column that
// is present but empty sets null or the default, as DATA.md says of empty cells.
internal sealed partial class ImportSession
{
    private async Task<int> ImportEventTypesAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var key = table.Column("key");
        var name = table.Column("name");
        var weight = table.Column("weight");
        var keyFeature = table.Column("key_feature");
        var valueMoment = table.Column("value_moment");

        // @p0 key, @p1 name (null: keep, or the key for a new type), @p2 weight, @p3 key feature, @p4 value moment.
        using var upsert = Prepare($"""
            INSERT INTO "EventTypes" ("Key", "Name", "Weight", "KeyFeature", "ValueMoment")
            VALUES (@p0, COALESCE(@p1, @p0), @p2, @p3, @p4)
            ON CONFLICT ("Key") DO UPDATE SET "Name" = COALESCE(@p1, "EventTypes"."Name")
            {SetIf(weight, "Weight")}{SetIf(keyFeature, "KeyFeature")}{SetIf(valueMoment, "ValueMoment")}
            RETURNING "Id"
            """, 5);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            var ok = NewKey(table, key, seen, out var eventKey);
            ok &= table.Number(weight, 0, 10, required: false, out var weightValue);
            ok &= table.Bool(keyFeature, out var keyFeatureValue);
            ok &= table.Bool(valueMoment, out var valueMomentValue);
            if (eventKey is null)
            {
                continue;
            }

            if (!ok || !Writing)
            {
                this.eventTypes.TryAdd(eventKey, nextPlaceholder--);
                continue;
            }

            // A column the file leaves out keeps the model's current setting.
            var current = this.model.SettingsOf(eventKey);
            var settings = new EventTypeSettings(
                weight.IsPresent ? weightValue ?? 1 : current.Weight,
                keyFeature.IsPresent ? keyFeatureValue ?? false : current.KeyFeature,
                valueMoment.IsPresent ? valueMomentValue ?? false : current.ValueMoment);
            upsert.Set(0, eventKey);
            upsert.Set(1, table.Text(name));
            upsert.Set(2, settings.Weight);
            upsert.Set(3, settings.KeyFeature);
            upsert.Set(4, settings.ValueMoment);
            this.eventTypes[eventKey] = upsert.ExecuteReturningId();
            rows++;

            if (!this.baseModel.EventTypes.TryGetValue(eventKey, out var before) || before != settings)
            {
                this.model = this.model.WithEventType(eventKey, settings);
                modelSource = table.FileName;
            }
        }

        return rows;
    }

    private async Task<int> ImportAccountsAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var id = table.Column("id");
        var name = table.Column("name");
        var segment = table.Column("segment");
        var plan = table.Column("plan");
        var seats = table.Column("seats");
        var mrr = table.Column("mrr");
        var renewalDate = table.Column("renewal_date");
        var owner = table.Column("owner");
        var createdAt = table.Column("created_at");
        var churnedAt = table.Column("churned_at");

        // @p8 is the creation time for a new account; @p10 the given one (null: keep an existing account's).
        using var upsert = Prepare($"""
            INSERT INTO "Accounts" ("ExternalId", "Name", "Segment", "Plan", "Seats", "Mrr", "RenewalDate", "Owner", "CreatedAt", "ChurnedAt")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
            ON CONFLICT ("ExternalId") DO UPDATE SET "Name" = excluded."Name"
            {SetIf(segment, "Segment")}{SetIf(plan, "Plan")}{SetIf(seats, "Seats")}{SetIf(mrr, "Mrr")}
            {SetIf(renewalDate, "RenewalDate")}{SetIf(owner, "Owner")}{SetIf(churnedAt, "ChurnedAt")}
            , "CreatedAt" = COALESCE(@p10, "Accounts"."CreatedAt")
            RETURNING "Id"
            """, 11);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            var ok = NewKey(table, id, seen, out var accountKey);
            ok &= table.RequiredText(name, out var accountName);
            ok &= table.Whole(seats, 0, ImportLimits.MaxSeats, out var seatCount);
            ok &= table.Number(mrr, 0, ImportLimits.MaxMrr, required: false, out var mrrValue);
            ok &= table.Time(renewalDate, required: false, out var renewal, ImportLimits.RenewalYearsAhead);
            ok &= table.Time(createdAt, required: false, out var created);
            ok &= table.Time(churnedAt, required: false, out var churned);
            if (churned < created)
            {
                table.Problem(churnedAt, $"churned before it was created ({created:yyyy-MM-dd HH:mm:ss} UTC)");
                ok = false;
            }

            if (accountKey is null)
            {
                continue;
            }

            if (!ok || !Writing)
            {
                RememberBadAccount(accountKey);
                continue;
            }

            upsert.Set(0, accountKey);
            upsert.Set(1, accountName);
            upsert.Set(2, table.Text(segment));
            upsert.Set(3, table.Text(plan));
            upsert.Set(4, seatCount ?? 0);
            upsert.Set(5, mrrValue ?? 0);
            upsert.Set(6, renewal);
            upsert.Set(7, table.Text(owner));
            upsert.Set(8, created ?? this.importedAt);
            upsert.Set(9, churned);
            upsert.Set(10, created);
            RememberAccount(accountKey, upsert.ExecuteReturningId());
            rows++;
        }

        return rows;
    }

    private async Task<int> ImportUsersAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var id = table.Column("id");
        var account = table.Column("account_id");
        var name = table.Column("name");
        var email = table.Column("email");
        var createdAt = table.Column("created_at");

        // Moving a user to another account is an ordinary update.
        using var upsert = Prepare($"""
            INSERT INTO "AccountUsers" ("ExternalId", "AccountId", "Name", "Email", "CreatedAt")
            VALUES (@p0, @p1, @p2, @p3, @p4)
            ON CONFLICT ("ExternalId") DO UPDATE SET "AccountId" = excluded."AccountId"
            {SetIf(name, "Name")}{SetIf(email, "Email")}{SetIf(createdAt, "CreatedAt")}
            RETURNING "Id"
            """, 5);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            var ok = NewKey(table, id, seen, out var userKey);
            var accountKnown = KnownAccount(table, account, out var accountId);
            ok &= accountKnown;
            ok &= table.Time(createdAt, required: false, out var created);
            if (userKey is null)
            {
                continue;
            }

            if (!ok || !Writing)
            {
                var existingId = this.users.TryGetValue(userKey, out var existing) ? existing.Id : nextPlaceholder--;
                this.users[userKey] = new UserRef(existingId, accountKnown ? accountId : AnyAccount);
                continue;
            }

            upsert.Set(0, userKey);
            upsert.Set(1, accountId);
            upsert.Set(2, table.Text(name));
            upsert.Set(3, table.Text(email));
            upsert.Set(4, created);
            this.users[userKey] = new UserRef(upsert.ExecuteReturningId(), accountId);
            rows++;
        }

        return rows;
    }

    private async Task<int> ImportTicketsAsync(ImportFileReader table, CancellationToken cancellationToken)
    {
        var id = table.Column("id");
        var account = table.Column("account_id");
        var openedAt = table.Column("opened_at");
        var closedAt = table.Column("closed_at");
        var priority = table.Column("priority");
        var escalated = table.Column("escalated");
        var satisfaction = table.Column("satisfaction");

        using var upsert = Prepare($"""
            INSERT INTO "Tickets" ("ExternalId", "AccountId", "OpenedAt", "ClosedAt", "Priority", "Escalated", "Satisfaction")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
            ON CONFLICT ("ExternalId") DO UPDATE SET "AccountId" = excluded."AccountId", "OpenedAt" = excluded."OpenedAt"
            {SetIf(closedAt, "ClosedAt")}{SetIf(priority, "Priority")}{SetIf(escalated, "Escalated")}{SetIf(satisfaction, "Satisfaction")}
            """, 7);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        while (await table.ReadAsync(cancellationToken))
        {
            var ok = NewKey(table, id, seen, out var ticketKey);
            ok &= KnownAccount(table, account, out var accountId);
            ok &= table.Time(openedAt, required: true, out var opened);
            ok &= table.Time(closedAt, required: false, out var closed);
            ok &= table.Bool(escalated, out var escalatedValue);
            ok &= table.Whole(satisfaction, 1, 5, out var satisfactionValue);
            if (closed < opened)
            {
                table.Problem(closedAt, $"closed before it was opened ({opened:yyyy-MM-dd HH:mm:ss} UTC)");
                ok = false;
            }

            if (!ok || !Writing)
            {
                continue;
            }

            upsert.Set(0, ticketKey);
            upsert.Set(1, accountId);
            upsert.Set(2, opened);
            upsert.Set(3, closed);
            upsert.Set(4, table.Text(priority));
            upsert.Set(5, escalatedValue ?? false);
            upsert.Set(6, satisfactionValue);
            upsert.Execute();
            rows++;
        }

        return rows;
    }

    /// <summary>The <c>SET</c> assignment of an upsert for a column the file has (empty when it lacks it).</summary>
    private static string SetIf(ImportColumn column, string field) =>
        column.IsPresent ? $", \"{field}\" = excluded.\"{field}\"" : "";
}
