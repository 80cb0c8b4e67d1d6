using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class HistoryAlerts : Migration
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
                name: "AlertRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Band = table.Column<byte>(type: "INTEGER", nullable: true),
                    Threshold = table.Column<double>(type: "REAL", nullable: true),
                    Days = table.Column<int>(type: "INTEGER", nullable: true),
                    Indicator = table.Column<byte>(type: "INTEGER", nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    WebhookUrl = table.Column<string>(type: "TEXT", nullable: true),
                    WebhookSecret = table.Column<string>(type: "TEXT", nullable: true),
                    LastDeliveryAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastDeliveryResult = table.Column<string>(type: "TEXT", nullable: true),
                    LastDeliveryFailed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertRules", x => x.Id);
                });

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

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: false),
                    ClearedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", nullable: true),
                    SnoozedUntil = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Alerts_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Alerts_AlertRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "AlertRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_AccountId_Day",
                table: "Snapshots",
                columns: new[] { "AccountId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_AccountId",
                table: "Alerts",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_RuleId_AccountId",
                table: "Alerts",
                columns: new[] { "RuleId", "AccountId" },
                unique: true,
                filter: "\"ClearedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "SnapshotDays");

            migrationBuilder.DropTable(
                name: "AlertRules");

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
