using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HealthDashboard.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class MultiInstance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            // Written by hand: a new import batch, model version or override NOTIFYs every listening instance when its
            // transaction commits, whichever process wrote it (PostgresChangeListener re-scores on it).
            migrationBuilder.Sql("""
                CREATE FUNCTION "NotifyScoresChanged"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('healthdashboard_changes', TG_TABLE_NAME);
                    RETURN NULL;
                END;
                $$;
                CREATE TRIGGER "ImportBatches_Notify" AFTER INSERT ON "ImportBatches" FOR EACH STATEMENT EXECUTE FUNCTION "NotifyScoresChanged"();
                CREATE TRIGGER "ModelVersions_Notify" AFTER INSERT ON "ModelVersions" FOR EACH STATEMENT EXECUTE FUNCTION "NotifyScoresChanged"();
                CREATE TRIGGER "Overrides_Notify" AFTER INSERT OR UPDATE ON "Overrides" FOR EACH STATEMENT EXECUTE FUNCTION "NotifyScoresChanged"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "ImportBatches_Notify" ON "ImportBatches";
                DROP TRIGGER IF EXISTS "ModelVersions_Notify" ON "ModelVersions";
                DROP TRIGGER IF EXISTS "Overrides_Notify" ON "Overrides";
                DROP FUNCTION IF EXISTS "NotifyScoresChanged"();
                """);
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");
        }
    }
}
