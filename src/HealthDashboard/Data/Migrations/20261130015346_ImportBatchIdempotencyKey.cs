using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImportBatchIdempotencyKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IdempotencyKey",
                table: "ImportBatches",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_IdempotencyKey",
                table: "ImportBatches",
                column: "IdempotencyKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ImportBatches_IdempotencyKey",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "IdempotencyKey",
                table: "ImportBatches");
        }
    }
}
