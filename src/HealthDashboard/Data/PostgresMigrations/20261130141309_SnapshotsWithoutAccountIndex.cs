using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class SnapshotsWithoutAccountIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Snapshots_AccountId_Day",
                table: "Snapshots");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_AccountId_Day",
                table: "Snapshots",
                columns: new[] { "AccountId", "Day" });
        }
    }
}
