using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditActionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
