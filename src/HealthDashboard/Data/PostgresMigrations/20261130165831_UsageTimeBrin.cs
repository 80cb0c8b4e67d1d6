using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class UsageTimeBrin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Usage_Window",
                table: "Usage");

            migrationBuilder.CreateIndex(
                name: "IX_Usage_Time",
                table: "Usage",
                column: "Timestamp")
                .Annotation("Npgsql:IndexMethod", "brin")
                .Annotation("Npgsql:StorageParameter:autosummarize", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Usage_Time",
                table: "Usage");

            migrationBuilder.CreateIndex(
                name: "IX_Usage_Window",
                table: "Usage",
                columns: new[] { "Timestamp", "AccountId", "EventTypeId", "UserId", "Count" });
        }
    }
}
