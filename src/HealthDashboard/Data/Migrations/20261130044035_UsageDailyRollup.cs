using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class UsageDailyRollup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Written by hand: a WITHOUT ROWID table is clustered on its primary key, so the loader's read of a
            // day range is one contiguous range of the b-tree with every column in it (no second lookup), and
            // the table is not stored twice (rowid table + key index). The model (HealthDbContext) has the same key.
            migrationBuilder.Sql("""
                CREATE TABLE "UsageDaily" (
                    "Day" INTEGER NOT NULL,
                    "AccountId" INTEGER NOT NULL,
                    "EventTypeId" INTEGER NOT NULL,
                    "UserId" INTEGER NOT NULL,
                    "AtMidnight" INTEGER NOT NULL,
                    "Count" INTEGER NOT NULL,
                    "LastTimestamp" INTEGER NOT NULL,
                    CONSTRAINT "PK_UsageDaily" PRIMARY KEY ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight")
                ) WITHOUT ROWID;
                """);

            // Existing stores: the roll-up of every usage row already there (UsageRollup's grouping).
            migrationBuilder.Sql("""
                INSERT INTO "UsageDaily" ("Day", "AccountId", "EventTypeId", "UserId", "AtMidnight", "Count", "LastTimestamp")
                SELECT "Timestamp" / 864000000000, "AccountId", "EventTypeId", coalesce("UserId", 0),
                       "Timestamp" % 864000000000 = 0, sum("Count"), max("Timestamp")
                FROM "Usage" WHERE true
                GROUP BY 1, 2, 3, 4, 5;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageDaily");
        }
    }
}
