using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class UsageWithoutAccountIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Usage_AccountId",
                table: "Usage");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Usage_AccountId",
                table: "Usage",
                column: "AccountId");
        }
    }
}
