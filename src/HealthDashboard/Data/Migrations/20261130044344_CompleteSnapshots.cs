using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class CompleteSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The old rows lack the band, indicators and MRR: the back-fill scores every day again.
            migrationBuilder.Sql("DELETE FROM \"Snapshots\";");

            migrationBuilder.DropIndex(
                name: "IX_Snapshots_AccountId",
                table: "Snapshots");

            migrationBuilder.AddColumn<byte>(
                name: "Band",
                table: "Snapshots",
                type: "INTEGER",
                nullable: false,
                defaultValue: (byte)0);

            migrationBuilder.AddColumn<double>(
                name: "Breadth",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "BreadthRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Depth",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DepthRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Engagement",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "EngagementRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Frequency",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "FrequencyRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Growth",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "GrowthRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Mrr",
                table: "Snapshots",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "Recency",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "RecencyRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Sentiment",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SentimentRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Support",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SupportRaw",
                table: "Snapshots",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SnapshotDays",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ImportBatch = table.Column<int>(type: "INTEGER", nullable: false),
                    ModelVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    ScoredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Accounts = table.Column<int>(type: "INTEGER", nullable: false),
                    AverageHealth = table.Column<double>(type: "REAL", nullable: false),
                    Green = table.Column<int>(type: "INTEGER", nullable: false),
                    Yellow = table.Column<int>(type: "INTEGER", nullable: false),
                    Red = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SnapshotDays", x => x.Day);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_AccountId_Day",
                table: "Snapshots",
                columns: new[] { "AccountId", "Day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SnapshotDays");

            migrationBuilder.DropIndex(
                name: "IX_Snapshots_AccountId_Day",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Band",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Breadth",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "BreadthRaw",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Depth",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "DepthRaw",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Engagement",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "EngagementRaw",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Frequency",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "FrequencyRaw",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Growth",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "GrowthRaw",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Mrr",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Recency",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "RecencyRaw",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Sentiment",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "SentimentRaw",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "Support",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "SupportRaw",
                table: "Snapshots");

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_AccountId",
                table: "Snapshots",
                column: "AccountId");
        }
    }
}
