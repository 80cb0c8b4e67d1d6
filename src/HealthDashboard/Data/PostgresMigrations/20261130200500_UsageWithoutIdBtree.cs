using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.PostgresMigrations
{
    /// <summary>
    /// PostgreSQL only: raw usage loses its primary-key B-tree (<c>PK_Usage</c>); one BRIN index over (time, id)
    /// replaces the BRIN over time. The model keeps <c>Id</c> as its key (EF tracks rows by it); the constraint is
    /// dropped by SQL here, so the model snapshot still shows the key. Why: see <c>HealthDbContext</c>'s usage table.
    /// </summary>
    public partial class UsageWithoutIdBtree : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Usage_Time",
                table: "Usage");

            migrationBuilder.CreateIndex(
                name: "IX_Usage_TimeAndId",
                table: "Usage",
                columns: new[] { "Timestamp", "Id" })
                .Annotation("Npgsql:IndexMethod", "brin")
                .Annotation("Npgsql:StorageParameter:autosummarize", true);

            migrationBuilder.Sql("""ALTER TABLE "Usage" DROP CONSTRAINT "PK_Usage";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "Usage" ADD CONSTRAINT "PK_Usage" PRIMARY KEY ("Id");""");

            migrationBuilder.DropIndex(
                name: "IX_Usage_TimeAndId",
                table: "Usage");

            migrationBuilder.CreateIndex(
                name: "IX_Usage_Time",
                table: "Usage",
                column: "Timestamp")
                .Annotation("Npgsql:IndexMethod", "brin")
                .Annotation("Npgsql:StorageParameter:autosummarize", true);
        }
    }
}
